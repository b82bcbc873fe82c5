#include "sql.hpp"

#include <blogen/store/login_throttle_repository.hpp>

namespace blogen::store {

LoginThrottle LoginThrottleRepository::find(const std::string& username_key) {
  Statement query(m_db, "SELECT failures, next_attempt_at FROM login_throttle WHERE username_key = ?");
  bind_all(query, username_key);
  const auto found = first_row(query, [](Row& r) {
    LoginThrottle throttle;
    throttle.failures = r.get<int>();
    throttle.next_attempt_at = r.get<std::int64_t>();
    return throttle;
  });
  return found.value_or(LoginThrottle{});
}

void LoginThrottleRepository::save(const std::string& username_key, const LoginThrottle& throttle, TimestampMs now) {
  Statement upsert(m_db, R"sql(
    INSERT INTO login_throttle (username_key, failures, next_attempt_at, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT(username_key) DO UPDATE SET failures = excluded.failures, next_attempt_at = excluded.next_attempt_at,
      updated_at = excluded.updated_at)sql");
  bind_all(upsert, username_key, throttle.failures, throttle.next_attempt_at, now);
  upsert.exec();
}

void LoginThrottleRepository::clear(const std::string& username_key) {
  Statement remove(m_db, "DELETE FROM login_throttle WHERE username_key = ?");
  bind_all(remove, username_key);
  remove.exec();
}

void LoginThrottleRepository::forget_older_than(TimestampMs before) {
  Statement remove(m_db, "DELETE FROM login_throttle WHERE updated_at < ?");
  bind_all(remove, before);
  remove.exec();
}

} // namespace blogen::store
