#pragma once
// The sessions table: one row per login, found by the BLAKE2b hash of its token (the token itself is never stored).

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

namespace blogen::store {

/// The 32-byte BLAKE2b hash of a session token.
using TokenHash = std::array<unsigned char, 32>;

/// A login session (expires), or a runner token for cron (never expires, good only for `schedule run-due` and
/// `worker`).
enum class SessionKind { login, runner };
/// Stable lower-case name ("runner").
std::string_view to_string(SessionKind kind);

/// Stored as the expiry of a token that never expires.
constexpr TimestampMs k_never_expires = std::numeric_limits<TimestampMs>::max();

/// One row of the sessions table.
struct SessionRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  TokenHash token_hash{};
  TimestampMs created_at = 0;
  TimestampMs expires_at = 0;
  TimestampMs last_used_at = 0;
  std::optional<TimestampMs> revoked_at;
  SessionKind kind = SessionKind::login;
};

/// The sessions table on one connection.
class SessionRepository {
public:
  explicit SessionRepository(Database& db) : m_db(db) {}
  /// Stores a new session; returns its id.
  std::int64_t insert(std::int64_t user_id, const TokenHash& token_hash, TimestampMs created_at, TimestampMs expires_at,
                      SessionKind kind = SessionKind::login);
  /// The session with this token hash (through the UNIQUE index).
  std::optional<SessionRecord> find_by_hash(const TokenHash& token_hash);
  /// The user's sessions that can still be used (not revoked, not expired), newest first.
  std::vector<SessionRecord> active_of_user(std::int64_t user_id, TimestampMs now);
  /// Stamps last_used_at.
  void touch(std::int64_t id, TimestampMs now);
  /// Revokes one session; returns whether it was still active.
  bool revoke(std::int64_t id, TimestampMs now);
  /// Revokes every active session of a user; returns how many.
  int revoke_all_of_user(std::int64_t user_id, TimestampMs now);
  /// Revokes every active session of a user but `keep_id`; returns how many.
  int revoke_others_of_user(std::int64_t user_id, std::int64_t keep_id, TimestampMs now);
  /// Active (not revoked, not expired) sessions of a user.
  std::int64_t count_active_of_user(std::int64_t user_id, TimestampMs now);
  /// Deletes rows of a user that expired or were revoked before `cutoff` (they can never be used again).
  int purge_ended_of_user(std::int64_t user_id, TimestampMs cutoff);

private:
  Database& m_db;
};

} // namespace blogen::store
