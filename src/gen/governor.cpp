#include <blogen/gen/governor.hpp>

#include <algorithm>
#include <utility>

namespace blogen::gen {
namespace {

using std::chrono::milliseconds;

constexpr TimestampMs k_window_ms = 60'000;
// While the minute window is full we sleep in slices, to notice stop requests and changed limits.
constexpr milliseconds k_sleep_slice{250};

} // namespace

GovernorLimits GovernorLimits::from_config(const ProviderConfig& config) {
  return {config.max_concurrency, config.requests_per_minute};
}

Governor::Permit::Permit(Permit&& other) noexcept : m_governor(std::exchange(other.m_governor, nullptr)) {}

Governor::Permit& Governor::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    release();
    m_governor = std::exchange(other.m_governor, nullptr);
  }
  return *this;
}

Governor::Permit::~Permit() { release(); }

void Governor::Permit::release() {
  if (m_governor) std::exchange(m_governor, nullptr)->release_one();
}

Governor::Governor(GovernorLimits limits, Clock& clock) : m_limits(limits), m_clock(clock) {}

Governor::Permit Governor::acquire(std::stop_token stop) { return acquire_impl(stop, Wait::yes); }

Governor::Permit Governor::try_acquire() { return acquire_impl({}, Wait::no); }

milliseconds Governor::window_wait(TimestampMs now) {
  if (m_limits.requests_per_minute <= 0) return milliseconds(0);
  while (!m_starts.empty() && m_starts.front() <= now - k_window_ms)
    m_starts.pop_front();
  if (static_cast<int>(m_starts.size()) < m_limits.requests_per_minute) return milliseconds(0);
  // Room comes back when the oldest start that must leave the window does.
  const auto blocking = m_starts[m_starts.size() - static_cast<std::size_t>(m_limits.requests_per_minute)];
  return milliseconds(std::max<TimestampMs>(1, blocking + k_window_ms - now));
}

Governor::Permit Governor::acquire_impl(const std::stop_token& stop, Wait wait) {
  std::unique_lock lock(m_mutex);
  for (;;) {
    if (stop.stop_requested()) return {};
    if (m_in_flight >= std::max(1, m_limits.max_concurrency)) {
      if (wait == Wait::no) return {};
      m_changed.wait(lock, stop, [this] { return m_in_flight < std::max(1, m_limits.max_concurrency); });
      continue;
    }
    const auto now = m_clock.now_ms();
    if (const auto pause = window_wait(now); pause.count() > 0) {
      if (wait == Wait::no) return {};
      lock.unlock();
      m_clock.sleep_for(std::min(pause, k_sleep_slice));
      lock.lock();
      continue;
    }
    if (m_limits.requests_per_minute > 0) m_starts.push_back(now);
    ++m_in_flight;
    ++m_granted;
    m_peak = std::max(m_peak, m_in_flight);
    return Permit(this);
  }
}

void Governor::release_one() {
  {
    std::lock_guard lock(m_mutex);
    --m_in_flight;
  }
  m_changed.notify_all(); // a woken waiter may have been cancelled; let every waiter re-check
}

void Governor::set_limits(GovernorLimits limits) {
  {
    std::lock_guard lock(m_mutex);
    m_limits = limits;
  }
  m_changed.notify_all();
}

GovernorLimits Governor::limits() const {
  std::lock_guard lock(m_mutex);
  return m_limits;
}

int Governor::in_flight() const {
  std::lock_guard lock(m_mutex);
  return m_in_flight;
}

int Governor::peak_in_flight() const {
  std::lock_guard lock(m_mutex);
  return m_peak;
}

std::int64_t Governor::granted() const {
  std::lock_guard lock(m_mutex);
  return m_granted;
}

} // namespace blogen::gen
