#include "store_admission.hpp"

#include <blogen/core/process.hpp>
#include <blogen/store/provider_slot_repository.hpp>

#include <algorithm>

namespace blogen::app {
namespace {

using std::chrono::milliseconds;

// A full provider is polled this often: a slot frees when any process's call ends, which no row announces. Short
// against a call's seconds, long enough that waiting workers cost the store a few small writes a second.
constexpr milliseconds k_poll{100};
// The longest single sleep, so a stop request is noticed promptly.
constexpr milliseconds k_sleep_slice{250};

} // namespace

StoreAdmission::StoreAdmission(store::Database db, std::string provider, gen::GovernorLimits limits, milliseconds lease,
                               Clock& clock, milliseconds linger)
    : m_db(std::move(db)), m_provider(std::move(provider)), m_limits(limits), m_lease(lease), m_clock(clock),
      m_owner(process::self_tag()), m_linger(linger),
      m_reaper([this](const std::stop_token& stop) { free_lingering(stop); }) {}

StoreAdmission::~StoreAdmission() {
  m_reaper.request_stop();
  m_reaper.join();
  std::lock_guard lock(m_mutex);
  std::vector<std::int64_t> slots;
  for (const Parked& parked : m_parked)
    slots.push_back(parked.slot);
  free_in_store(slots);
}

milliseconds StoreAdmission::lease_for(milliseconds connect_timeout, milliseconds request_timeout) {
  return connect_timeout + request_timeout + milliseconds(60'000);
}

bool StoreAdmission::reclaim_dead_owners() {
  store::ProviderSlotRepository slots(m_db);
  bool freed = false;
  for (const auto& owner : slots.owners(m_provider)) {
    if (owner != m_owner && process::is_gone(owner)) freed = slots.release_owner(owner) > 0 || freed;
  }
  return freed;
}

std::optional<std::int64_t> StoreAdmission::take_parked(TimestampMs now) {
  std::vector<std::int64_t> near_end;
  std::optional<std::int64_t> taken;
  while (!taken && !m_parked.empty()) {
    const Parked parked = m_parked.back();
    m_parked.pop_back();
    if (parked.lease_until - now >= m_lease.count() / 2) {
      taken = parked.slot;
      m_in_use[parked.slot] = parked.lease_until;
    } else {
      near_end.push_back(parked.slot);
    }
  }
  free_in_store(near_end);
  return taken;
}

void StoreAdmission::park(std::int64_t slot, TimestampMs lease_until) {
  const bool none_parked = m_parked.empty();
  m_parked.push_back({slot, lease_until, std::chrono::steady_clock::now()});
  if (none_parked) m_parked_changed.notify_all();
}

void StoreAdmission::free_in_store(const std::vector<std::int64_t>& slots) noexcept {
  if (slots.empty()) return;
  try {
    store::WriteTransaction transaction(m_db);
    store::ProviderSlotRepository repository(m_db);
    for (const std::int64_t slot : slots)
      repository.release(slot);
    transaction.commit();
  } catch (...) { // NOLINT(bugprone-empty-catch): a slot that cannot be freed now ends with its lease
  }
}

void StoreAdmission::free_lingering(const std::stop_token& stop) {
  std::unique_lock lock(m_mutex);
  while (!stop.stop_requested()) {
    if (m_parked.empty()) {
      m_parked_changed.wait(lock, stop, [this] { return !m_parked.empty(); });
      continue;
    }
    const auto oldest = std::min_element(m_parked.begin(), m_parked.end(),
                                         [](const Parked& a, const Parked& b) { return a.since < b.since; });
    const auto due = oldest->since + m_linger;
    if (std::chrono::steady_clock::now() < due) {
      m_parked_changed.wait_until(lock, stop, due, [] { return false; });
      continue;
    }
    std::vector<std::int64_t> slots;
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(m_parked, [&](const Parked& parked) {
      if (now < parked.since + m_linger) return false;
      slots.push_back(parked.slot);
      return true;
    });
    free_in_store(slots);
  }
}

std::optional<std::int64_t> StoreAdmission::acquire(std::stop_token stop) {
  // The threads waiting here are counted so that one claim takes a slot for each of them: a batch's workers all
  // start at once, and fifty claims one after another (a write each) delayed the last worker's first call by 150 ms.
  ++m_acquiring;
  struct Leaving {
    std::atomic<int>& count;
    ~Leaving() { --count; }
  } leaving{m_acquiring};
  for (;;) {
    if (stop.stop_requested()) return std::nullopt;
    store::SlotClaim claim;
    bool reclaimed = false;
    {
      std::lock_guard lock(m_mutex);
      const TimestampMs now = m_clock.now_ms();
      if (auto parked = take_parked(now)) return parked;
      claim = store::ProviderSlotRepository(m_db).claim(m_provider, m_owner, m_limits.max_concurrency,
                                                        m_limits.requests_per_minute, now, now + m_lease.count(),
                                                        m_acquiring.load());
      if (claim.slot) m_in_use[*claim.slot] = now + m_lease.count();
      // The others wait parked for the threads behind this one (or are freed by the reaper after the linger).
      for (const std::int64_t more : claim.more)
        park(more, now + m_lease.count());
      // Full for concurrency: a process that died (kill -9, power loss) holding slots gives them back now, not when
      // their leases end minutes later.
      if (!claim.slot && claim.window_wait.count() == 0) reclaimed = reclaim_dead_owners();
    }
    if (claim.slot) return claim.slot;
    if (reclaimed) continue;
    const milliseconds wait = claim.window_wait.count() > 0 ? claim.window_wait : k_poll;
    m_clock.sleep_for(std::min(wait, k_sleep_slice));
  }
}

void StoreAdmission::release(std::int64_t slot) noexcept {
  try {
    std::lock_guard lock(m_mutex);
    const auto in_use = m_in_use.find(slot);
    if (in_use != m_in_use.end() && m_limits.requests_per_minute == 0) {
      park(slot, in_use->second);
      m_in_use.erase(in_use);
      return;
    }
    if (in_use != m_in_use.end()) m_in_use.erase(in_use);
    free_in_store({slot});
  } catch (...) { // NOLINT(bugprone-empty-catch): a slot that cannot be freed now ends with its lease
  }
}

} // namespace blogen::app
