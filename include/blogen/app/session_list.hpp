#pragma once
// `session list` and `session revoke`: a user's live login sessions and runner tokens (see runner_tokens.hpp),
// so a runner token minted for cron can be found and revoked like any session.

#include <blogen/app/context.hpp>
#include <blogen/store/session_repository.hpp>

#include <cstdint>
#include <vector>

namespace blogen::app {

/// One live session of the user.
struct SessionView {
  store::SessionRecord record;
  bool current = false; ///< the session this command runs on
};

/// The user's sessions that still work (not revoked, not expired), newest first.
std::vector<SessionView> list_sessions(Context& context);
/// Revokes one of the user's live sessions (a runner token too); Error{not_found} for another user's, a revoked or
/// an expired one.
void revoke_session(Context& context, std::int64_t session_id);

} // namespace blogen::app
