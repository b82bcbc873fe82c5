#pragma once
// Retrying transient provider failures: exponential back-off with full jitter, honouring the server's Retry-After,
// waiting through an injected Clock so tests never sleep.

#include <blogen/core/clock.hpp>
#include <blogen/gen/provider.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <stop_token>

namespace blogen::gen {

/// How failed attempts are retried.
struct RetryPolicy {
  int max_attempts = 5;                        ///< attempts in all, the first included (values below 1 mean 1)
  std::chrono::milliseconds base_delay{1000};  ///< the back-off ceiling before the first retry
  std::chrono::milliseconds max_delay{60'000}; ///< no wait is longer, whatever the server asks
  std::uint64_t jitter_seed = 0;               ///< 0: seeded from std::random_device; tests fix it

  /// The default policy with the provider's `max_attempts`.
  static RetryPolicy from_config(const ProviderConfig& config);
  /// The wait before retry number `retry` (1 = the second attempt): uniform in [0, min(max, base * 2^(retry-1))],
  /// but never shorter than the server's `retry_after` (itself capped at `max_delay`).
  [[nodiscard]] std::chrono::milliseconds
  delay_before_retry(int retry, std::optional<std::chrono::milliseconds> retry_after, std::mt19937_64& rng) const;
};

/// What one attempt led to, for the observer (the job layer logs every attempt).
struct AttemptInfo {
  int attempt = 1; ///< 1-based
  int max_attempts = 1;
  bool will_retry = false;            ///< another attempt follows after `delay`
  std::chrono::milliseconds delay{0}; ///< the wait before the next attempt (0 when none follows)
};

/// One attempt of a chat call; receives the 1-based attempt number.
using ChatAttempt = std::function<ChatResult(int attempt)>;
/// One attempt of an image call; receives the 1-based attempt number.
using ImageAttempt = std::function<ImageResult(int attempt)>;
/// Told about every chat attempt after it finished (and before any wait).
using ChatAttemptObserver = std::function<void(const ChatResult& result, const AttemptInfo& info)>;
/// Told about every image attempt after it finished (and before any wait).
using ImageAttemptObserver = std::function<void(const ImageResult& result, const AttemptInfo& info)>;

/// Runs `attempt` until it succeeds, fails for good (not retryable), runs out of attempts, or `stop` is requested
/// (then the result is `cancelled`). Sleeps through `clock`; the returned result's `attempts` counts the tries.
ChatResult run_with_retry(const RetryPolicy& policy, Clock& clock, std::stop_token stop, const ChatAttempt& attempt,
                          const ChatAttemptObserver& on_attempt = {});
/// The same for image generation.
ImageResult run_with_retry(const RetryPolicy& policy, Clock& clock, std::stop_token stop, const ImageAttempt& attempt,
                           const ImageAttemptObserver& on_attempt = {});

} // namespace blogen::gen
