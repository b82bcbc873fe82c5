#include <blogen/core/clock.hpp>
#include <blogen/core/error.hpp>

#include <ctime>
#include <thread>

namespace blogen {

TimestampMs SystemClock::now_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void SystemClock::sleep_for(std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }

SystemClock& SystemClock::instance() {
  static SystemClock clock;
  return clock;
}

TimestampMs ManualClock::now_ms() const {
  std::lock_guard lock(m_mutex);
  return m_now;
}

void ManualClock::sleep_for(std::chrono::milliseconds duration) {
  std::lock_guard lock(m_mutex);
  m_now += duration.count();
  m_slept += duration;
}

void ManualClock::advance(std::chrono::milliseconds duration) {
  std::lock_guard lock(m_mutex);
  m_now += duration.count();
}

std::chrono::milliseconds ManualClock::total_slept() const {
  std::lock_guard lock(m_mutex);
  return m_slept;
}

namespace {
std::string format_utc(TimestampMs ms, const char* pattern) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[64];
  const auto length = std::strftime(buffer, sizeof buffer, pattern, &parts);
  return std::string(buffer, length);
}
} // namespace

std::string format_iso8601(TimestampMs ms) { return format_utc(ms, "%Y-%m-%dT%H:%M:%SZ"); }

std::string format_short_time(TimestampMs ms) { return format_utc(ms, "%Y-%m-%d %H:%M"); }

std::chrono::seconds parse_duration(const std::string& text, const std::string& flag) {
  const auto fail = [&] {
    return Error(ErrorCode::usage, flag + ": '" + text + "' is not a duration (examples: 90s, 45m, 12h, 30d)");
  };
  if (text.empty()) throw fail();
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
    ++digits;
  if (digits == 0 || digits > 9) throw fail();
  const long long value = std::stoll(text.substr(0, digits));
  const std::string unit = text.substr(digits);
  long long factor = 0;
  if (unit.empty() || unit == "s") {
    factor = 1;
  } else if (unit == "m") {
    factor = 60;
  } else if (unit == "h") {
    factor = 3600;
  } else if (unit == "d") {
    factor = 86400;
  } else {
    throw fail();
  }
  return std::chrono::seconds(value * factor);
}

} // namespace blogen
