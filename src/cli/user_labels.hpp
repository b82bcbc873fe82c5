#pragma once
// Short human labels of an account, shared by the account and user commands (the JSON is app::user_json).

#include <blogen/app/accounts.hpp>

#include <string>

namespace blogen::cli {

/// "admin" or "user".
std::string role_label(const app::UserView& user);
/// "enabled" or "disabled".
std::string state_label(const app::UserView& user);

} // namespace blogen::cli
