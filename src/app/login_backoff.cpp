#include <blogen/app/login_backoff.hpp>

#include <algorithm>

namespace blogen::app {

std::chrono::milliseconds login_delay(int failed_logins) {
  if (failed_logins < k_free_login_attempts) return std::chrono::milliseconds{0};
  // 2^9 s already exceeds the cap; stopping there keeps the shift defined for any count.
  const int doublings = std::min(failed_logins - k_free_login_attempts, 9);
  const std::chrono::seconds delay{std::int64_t{1} << doublings};
  return std::min<std::chrono::milliseconds>(delay, k_max_login_delay);
}

} // namespace blogen::app
