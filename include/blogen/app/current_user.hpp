#pragma once
// "Who is running this command": the one function every use case calls to resolve the logged-in user.

#include <blogen/app/context.hpp>

#include <cstdint>
#include <string>

namespace blogen::app {

/// The logged-in user of this command.
struct CurrentUser {
  std::int64_t id = 0;
  std::string username;
  bool is_admin = false;
};

/// Resolves the session token (`BLOGEN_TOKEN`, else the session file) to its user. Throws Error{auth} telling the
/// user to run `blogen login` when the token is missing, unknown, expired, revoked or tampered with, or the user is
/// disabled.
CurrentUser require_user(Context& context);

/// Like require_user, and also throws Error{auth} ("admin only") when the user is not an admin.
CurrentUser require_admin(Context& context);

} // namespace blogen::app
