#include <blogen/gen/retry.hpp>

#include <algorithm>

namespace blogen::gen {
namespace {

using std::chrono::milliseconds;

// Waits are taken in slices so a stop request is noticed within one slice even on the real clock.
constexpr milliseconds k_sleep_slice{250};

// Sleeps `duration` on `clock`; false when `stop` was requested before the time was up.
bool sleep_unless_stopped(Clock& clock, milliseconds duration, const std::stop_token& stop) {
  while (duration.count() > 0) {
    if (stop.stop_requested()) return false;
    const auto slice = std::min(duration, k_sleep_slice);
    clock.sleep_for(slice);
    duration -= slice;
  }
  return !stop.stop_requested();
}

std::uint64_t seed_of(const RetryPolicy& policy) {
  if (policy.jitter_seed != 0) return policy.jitter_seed;
  // A std::random_device per call cost 1.5% of a batch's CPU (it probes and opens the OS's source each time): one
  // per thread seeds a generator of the calls' seeds.
  thread_local std::mt19937_64 seeds = [] {
    std::random_device device;
    return std::mt19937_64((static_cast<std::uint64_t>(device()) << 32) ^ device());
  }();
  return seeds();
}

template <typename Result, typename Attempt, typename Observer>
Result retry_loop(const RetryPolicy& policy, Clock& clock, const std::stop_token& stop, const Attempt& attempt,
                  const Observer& on_attempt) {
  std::mt19937_64 rng(seed_of(policy));
  const int max_attempts = std::max(1, policy.max_attempts);
  Result result;
  for (int number = 1;; ++number) {
    if (stop.stop_requested()) {
      result.ok = false;
      result.error = ErrorKind::cancelled;
      result.error_message = "cancelled";
      result.attempts = number - 1;
      return result;
    }
    result = attempt(number);
    result.attempts = number;
    AttemptInfo info{number, max_attempts, false, milliseconds(0)};
    info.will_retry = result.retryable() && number < max_attempts && !stop.stop_requested();
    if (info.will_retry) info.delay = policy.delay_before_retry(number, result.retry_after, rng);
    if (on_attempt) on_attempt(result, info);
    if (!info.will_retry) return result;
    if (!sleep_unless_stopped(clock, info.delay, stop)) {
      // The last failure is kept in the message; the kind says why we gave up, which decides the job's fate.
      result.error = ErrorKind::cancelled;
      result.error_message = "cancelled while waiting to retry after: " + result.error_message;
      return result;
    }
  }
}

} // namespace

RetryPolicy RetryPolicy::from_config(const ProviderConfig& config) {
  RetryPolicy policy;
  policy.max_attempts = std::max(1, config.max_attempts);
  return policy;
}

milliseconds RetryPolicy::delay_before_retry(int retry, std::optional<milliseconds> retry_after,
                                             std::mt19937_64& rng) const {
  const auto cap = std::max(milliseconds(0), max_delay);
  // Doubling stops at the cap, so large retry numbers cannot overflow.
  auto ceiling = std::max(milliseconds(0), base_delay);
  for (int i = 1; i < retry && ceiling < cap; ++i)
    ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  std::uniform_int_distribution<std::int64_t> uniform(0, ceiling.count());
  const auto jittered = milliseconds(uniform(rng));
  if (!retry_after) return jittered;
  return std::max(jittered, std::min(std::max(milliseconds(0), *retry_after), cap));
}

ChatResult run_with_retry(const RetryPolicy& policy, Clock& clock, std::stop_token stop, const ChatAttempt& attempt,
                          const ChatAttemptObserver& on_attempt) {
  return retry_loop<ChatResult>(policy, clock, stop, attempt, on_attempt);
}

ImageResult run_with_retry(const RetryPolicy& policy, Clock& clock, std::stop_token stop, const ImageAttempt& attempt,
                           const ImageAttemptObserver& on_attempt) {
  return retry_loop<ImageResult>(policy, clock, stop, attempt, on_attempt);
}

} // namespace blogen::gen
