#include <blogen/app/session_token.hpp>
#include <blogen/app/sessions.hpp>
#include <blogen/core/error.hpp>
#include <blogen/store/session_repository.hpp>
#include <blogen/store/user_repository.hpp>

#include <fmt/format.h>

namespace blogen::app {

ActiveSession authenticate(Context& context, std::string_view token, SessionUse use) {
  const auto hash = hash_token(token);
  if (!hash) throw Error(ErrorCode::auth, "the session token is malformed (truncated or edited); run 'blogen login'");
  store::Database& db = context.db();
  store::SessionRepository sessions(db);
  const auto session = sessions.find_by_hash(*hash);
  // The index finds the row; the constant-time comparison is a second line that does not trust the lookup alone.
  if (!session || !same_hash(session->token_hash, *hash)) {
    throw Error(ErrorCode::auth, "the session token is not valid; run 'blogen login'");
  }
  if (session->revoked_at) {
    throw Error(ErrorCode::auth, session->kind == store::SessionKind::runner
                                     ? "this runner token was revoked; run 'blogen schedule crontab' for a new one"
                                     : "this session was logged out; run 'blogen login'");
  }
  if (session->kind == store::SessionKind::runner && !context.accepts_runner_tokens()) {
    throw Error(ErrorCode::auth, "a runner token only runs 'blogen schedule run-due' and 'blogen worker'; run "
                                 "'blogen login' for other commands");
  }
  const TimestampMs now = context.clock().now_ms();
  if (now >= session->expires_at) {
    throw Error(ErrorCode::auth,
                fmt::format("the session expired at {}; run 'blogen login'", format_iso8601(session->expires_at)));
  }
  const auto user = store::UserRepository(db).find_by_id(session->user_id);
  if (!user) throw Error(ErrorCode::auth, "the session token is not valid; run 'blogen login'");
  if (user->state == store::AccountState::disabled) {
    throw Error(ErrorCode::auth, "this account is disabled; ask an admin to enable it");
  }
  if (use == SessionUse::record && now - session->last_used_at >= k_last_used_resolution_ms) {
    sessions.touch(session->id, now);
  }
  return ActiveSession{CurrentUser{user->id, user->username, user->role == store::Role::admin}, session->id,
                       session->expires_at};
}

} // namespace blogen::app
