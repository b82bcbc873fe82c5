#include "user_json.hpp"

namespace blogen::cli {

nlohmann::json user_json(const app::UserView& user) {
  return {{"id", user.id},
          {"username", user.username},
          {"email", user.email ? nlohmann::json(*user.email) : nlohmann::json(nullptr)},
          {"is_admin", user.is_admin},
          {"disabled", user.disabled},
          {"created_at", format_iso8601(user.created_at)},
          {"last_login_at",
           user.last_login_at ? nlohmann::json(format_iso8601(*user.last_login_at)) : nlohmann::json(nullptr)}};
}

std::string role_label(const app::UserView& user) { return user.is_admin ? "admin" : "user"; }

std::string state_label(const app::UserView& user) { return user.disabled ? "disabled" : "enabled"; }

} // namespace blogen::cli
