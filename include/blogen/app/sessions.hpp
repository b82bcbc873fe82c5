#pragma once
// Turning a session token into the user it belongs to, with every check a token must pass.

#include <blogen/app/context.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/app/session_file.hpp>

#include <cstdint>
#include <string_view>

namespace blogen::app {

/// A token that passed every check.
struct ActiveSession {
  CurrentUser user;
  std::int64_t session_id = 0;
  TimestampMs expires_at = 0;
};

/// Whether resolving a session may stamp its last use (doctor only looks).
enum class SessionUse { record, peek };

/// How long last_used_at may lag: read-only commands should not write to the store each time.
constexpr TimestampMs k_last_used_resolution_ms = 60'000;

/// Resolves a token to its user. Throws Error{auth} (telling to run `blogen login`) when the token is malformed,
/// unknown, revoked or expired, or its user is disabled.
ActiveSession authenticate(Context& context, std::string_view token, SessionUse use = SessionUse::record);

/// The session of this command and the token it came from.
struct ResolvedSession {
  ActiveSession session;
  StoredToken token;
};

/// Opens the store, then resolves `BLOGEN_TOKEN` or the session file (require_user with the session details).
ResolvedSession require_session(Context& context, SessionUse use = SessionUse::record);

} // namespace blogen::app
