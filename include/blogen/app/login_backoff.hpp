#pragma once
// Per-account back-off after wrong passwords: free attempts first, then waits that double up to a cap, so
// guessing is slow but the real owner is never locked out for longer than the cap.

#include <chrono>

namespace blogen::app {

/// Consecutive failures allowed before attempts have to wait.
constexpr int k_free_login_attempts = 3;
/// The longest wait between attempts.
constexpr std::chrono::seconds k_max_login_delay{300};

/// How long to wait after `failed_logins` consecutive failures: 0 below 3, then 1 s, 2 s, 4 s ... up to 5 minutes.
std::chrono::milliseconds login_delay(int failed_logins);

} // namespace blogen::app
