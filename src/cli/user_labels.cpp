#include "user_labels.hpp"

namespace blogen::cli {

std::string role_label(const app::UserView& user) { return user.is_admin ? "admin" : "user"; }

std::string state_label(const app::UserView& user) { return user.disabled ? "disabled" : "enabled"; }

} // namespace blogen::cli
