#pragma once
// The login back-off, kept per username tried (an account's or not), so that an unknown name backs off exactly like
// a known one and the answer never tells which names exist.

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>

#include <string>

namespace blogen::store {

/// The back-off state of one username.
struct LoginThrottle {
  int failures = 0;                ///< consecutive failed (or reserved) attempts
  TimestampMs next_attempt_at = 0; ///< no password is checked before this time
};

/// The login_throttle table on one connection.
class LoginThrottleRepository {
public:
  explicit LoginThrottleRepository(Database& db) : m_db(db) {}
  /// The back-off of a lower-case username; zeros when nothing is recorded.
  LoginThrottle find(const std::string& username_key);
  /// Records the back-off of a lower-case username.
  void save(const std::string& username_key, const LoginThrottle& throttle, TimestampMs now);
  /// Forgets a username's failures (its password was right).
  void clear(const std::string& username_key);
  /// Forgets every username whose last attempt is older than `before`, so names tried once do not pile up.
  void forget_older_than(TimestampMs before);

private:
  Database& m_db;
};

} // namespace blogen::store
