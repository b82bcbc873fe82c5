#include <blogen/app/accounts.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/app/init.hpp>
#include <blogen/app/session_file.hpp>
#include <blogen/app/session_token.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/paths.hpp>
#include <blogen/store/user_repository.hpp>

namespace blogen::app {
namespace {

// The login name of this machine's user when it makes a valid account name; "writer" otherwise.
std::string default_username() {
  if (auto user = paths::env("USER")) {
    try {
      check_username(*user);
      return *user;
    } catch (const Error&) { // NOLINT(bugprone-empty-catch): an unusable $USER falls back to "writer"
    }
  }
  return "writer";
}

} // namespace

InitResult initialize(Context& context, const std::optional<std::string>& username) {
  InitResult result;
  try {
    const CurrentUser user = require_user(context);
    result.username = user.username;
    result.is_admin = user.is_admin;
    return result;
  } catch (const Error& e) {
    if (e.code() != ErrorCode::auth) throw;
  }
  if (store::UserRepository(context.db()).count() > 0) {
    throw Error(ErrorCode::auth, "this store has accounts already; run 'blogen login' (or 'blogen register')");
  }
  Registration registration;
  registration.username = username.value_or(default_username());
  check_username(registration.username);
  // 24 hex digits of a fresh random token: 96 bits, shown once so the writer can log in elsewhere later.
  registration.password = generate_token().substr(4, 24);
  const UserView user = register_user(context, registration);
  const LoginResult login_result = login(context, {user.username, registration.password, k_default_session_ttl});
  save_session_token(login_result.token);
  result.outcome = InitOutcome::created;
  result.username = user.username;
  result.is_admin = user.is_admin;
  result.password = registration.password;
  return result;
}

} // namespace blogen::app
