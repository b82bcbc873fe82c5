#pragma once
// How an account is shown: the JSON object every account command prints, and short human labels.

#include <blogen/app/accounts.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace blogen::cli {

/// {id, username, email, is_admin, disabled, created_at, last_login_at} with ISO 8601 times (null when never).
nlohmann::json user_json(const app::UserView& user);
/// "admin" or "user".
std::string role_label(const app::UserView& user);
/// "enabled" or "disabled".
std::string state_label(const app::UserView& user);

} // namespace blogen::cli
