#include <blogen/app/current_user.hpp>
#include <blogen/app/sessions.hpp>
#include <blogen/app/user_admin.hpp>
#include <blogen/core/error.hpp>

namespace blogen::app {

ResolvedSession require_session(Context& context, SessionUse use) {
  // The store first: a broken store is a clearer error than "not logged in".
  (void)context.db();
  auto stored = load_session_token();
  if (!stored) throw Error(ErrorCode::auth, "not logged in; run 'blogen login'");
  try {
    return ResolvedSession{authenticate(context, stored->token, use), std::move(*stored)};
  } catch (const Error& e) {
    if (e.code() != ErrorCode::auth || stored->source == TokenSource::file) throw;
    throw Error(ErrorCode::auth, std::string(e.what()) + (stored->source == TokenSource::environment
                                                              ? " (the token came from BLOGEN_TOKEN)"
                                                              : " (the token came from BLOGEN_TOKEN_FILE)"));
  }
}

CurrentUser require_user(Context& context) { return require_session(context).session.user; }

CurrentUser require_admin(Context& context) {
  CurrentUser user = require_user(context);
  check_admin(user);
  return user;
}

} // namespace blogen::app
