#pragma once
// Time as a seam: real code uses SystemClock; tests use ManualClock to expire sessions, leases and back-offs
// without sleeping.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace blogen {

/// Milliseconds since the Unix epoch (UTC). The store keeps every timestamp in this unit.
using TimestampMs = std::int64_t;

/// A source of the current time and a way to wait.
class Clock {
public:
  virtual ~Clock() = default;
  /// The current time in milliseconds since the epoch.
  [[nodiscard]] virtual TimestampMs now_ms() const = 0;
  /// Waits for `duration` (a manual clock advances instead of sleeping).
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

/// The wall clock and real sleeps.
class SystemClock final : public Clock {
public:
  [[nodiscard]] TimestampMs now_ms() const override;
  void sleep_for(std::chrono::milliseconds duration) override;
  /// A shared instance for code that has no clock injected.
  static SystemClock& instance();
};

/// The wall clock set to start at another instant: time passes and sleeps are real. `BLOGEN_NOW` uses it so tests
/// of the real binary can pin the time (a schedule's occurrence, a DST change) without waiting for it.
class OffsetClock final : public Clock {
public:
  explicit OffsetClock(TimestampMs start_ms) : m_offset(start_ms - SystemClock::instance().now_ms()) {}
  [[nodiscard]] TimestampMs now_ms() const override { return SystemClock::instance().now_ms() + m_offset; }
  void sleep_for(std::chrono::milliseconds duration) override { SystemClock::instance().sleep_for(duration); }

private:
  TimestampMs m_offset;
};

/// A clock that only moves when told to; `sleep_for` advances it and records the total slept.
class ManualClock final : public Clock {
public:
  explicit ManualClock(TimestampMs start_ms = 1'700'000'000'000) : m_now(start_ms) {}
  [[nodiscard]] TimestampMs now_ms() const override;
  void sleep_for(std::chrono::milliseconds duration) override;
  /// Moves the clock forward.
  void advance(std::chrono::milliseconds duration);
  /// The sum of all `sleep_for` calls so far.
  [[nodiscard]] std::chrono::milliseconds total_slept() const;

private:
  mutable std::mutex m_mutex;
  TimestampMs m_now;
  std::chrono::milliseconds m_slept{0};
};

/// Formats a timestamp as ISO 8601 UTC with seconds, e.g. `2026-11-24T09:30:00Z`.
std::string format_iso8601(TimestampMs ms);
/// Formats a timestamp for people in UTC, e.g. `2026-11-24 09:30`.
std::string format_short_time(TimestampMs ms);
/// Parses a duration like `30d`, `12h`, `45m`, `90s` or a bare number of seconds; throws usage Error naming `flag`.
std::chrono::seconds parse_duration(const std::string& text, const std::string& flag);

} // namespace blogen
