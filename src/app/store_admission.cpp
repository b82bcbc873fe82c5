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
                               Clock& clock)
    : m_db(std::move(db)), m_provider(std::move(provider)), m_limits(limits), m_lease(lease), m_clock(clock),
      m_owner(process::self_tag()) {}

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

std::optional<std::int64_t> StoreAdmission::acquire(std::stop_token stop) {
  for (;;) {
    if (stop.stop_requested()) return std::nullopt;
    store::SlotClaim claim;
    bool reclaimed = false;
    {
      std::lock_guard lock(m_mutex);
      const TimestampMs now = m_clock.now_ms();
      claim = store::ProviderSlotRepository(m_db).claim(m_provider, m_owner, m_limits.max_concurrency,
                                                        m_limits.requests_per_minute, now, now + m_lease.count());
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
    store::ProviderSlotRepository(m_db).release(slot);
  } catch (...) { // NOLINT(bugprone-empty-catch): a slot that cannot be freed now ends with its lease
  }
}

} // namespace blogen::app
