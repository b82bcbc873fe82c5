#pragma once
// Per-provider admission control shared by every worker thread of a process (each GuardedProvider owns one): at most
// N calls in flight and at most M calls started in any sliding minute, so a batch of thousands of posts cannot trip
// the provider's limits.

#include <blogen/core/clock.hpp>
#include <blogen/gen/provider.hpp>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <stop_token>

namespace blogen::gen {

/// The limits a Governor enforces.
struct GovernorLimits {
  int max_concurrency = 4;     ///< calls in flight at once (values below 1 mean 1)
  int requests_per_minute = 0; ///< calls started in any 60 s window; 0: unlimited

  /// The limits configured for a provider.
  static GovernorLimits from_config(const ProviderConfig& config);
};

/// Hands out permits; a call holds one for as long as it talks to the provider.
class Governor {
public:
  /// A right to make one call; released when destroyed. An empty permit means acquisition was cancelled.
  class Permit {
  public:
    Permit() = default;
    Permit(Permit&& other) noexcept;
    Permit& operator=(Permit&& other) noexcept;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit();
    /// Gives the slot back early (idempotent).
    void release();
    /// Whether this permit holds a slot.
    explicit operator bool() const { return m_governor != nullptr; }

  private:
    friend class Governor;
    explicit Permit(Governor* governor) : m_governor(governor) {}
    Governor* m_governor = nullptr;
  };

  /// `clock` measures the per-minute window and is slept on while the window is full.
  explicit Governor(GovernorLimits limits, Clock& clock = SystemClock::instance());
  Governor(const Governor&) = delete;
  Governor& operator=(const Governor&) = delete;

  /// Blocks until both limits allow one more call; an empty permit when `stop` is requested first.
  [[nodiscard]] Permit acquire(std::stop_token stop = {});
  /// A permit only if one is free right now.
  [[nodiscard]] Permit try_acquire();
  /// Changes the limits; waiting callers re-check at once.
  void set_limits(GovernorLimits limits);
  /// The limits in force.
  [[nodiscard]] GovernorLimits limits() const;
  /// Calls in flight now.
  [[nodiscard]] int in_flight() const;
  /// The most calls ever in flight at once (what tests assert never exceeds the limit).
  [[nodiscard]] int peak_in_flight() const;
  /// Permits granted so far.
  [[nodiscard]] std::int64_t granted() const;

private:
  enum class Wait { no, yes };
  Permit acquire_impl(const std::stop_token& stop, Wait wait);
  void release_one();
  // How long until the minute window has room; 0 when it has room now. Caller holds m_mutex.
  std::chrono::milliseconds window_wait(TimestampMs now);

  mutable std::mutex m_mutex;
  std::condition_variable_any m_changed;
  GovernorLimits m_limits;
  Clock& m_clock;
  std::deque<TimestampMs> m_starts; // start times of calls inside the last minute
  int m_in_flight = 0;
  int m_peak = 0;
  std::int64_t m_granted = 0;
};

} // namespace blogen::gen
