#pragma once
// App-internal: gen::SharedAdmission over the store's provider slots, so a provider's concurrency and requests per
// minute hold across every process on the store (gen knows no store; the store knows no gen).

#include <blogen/core/clock.hpp>
#include <blogen/gen/governor.hpp>
#include <blogen/gen/shared_admission.hpp>
#include <blogen/store/database.hpp>

#include <chrono>
#include <mutex>
#include <string>

namespace blogen::app {

/// The slots of one provider, shared through the store. Thread-safe: its connection is used under a mutex, for
/// short claims only; waiting happens outside it.
class StoreAdmission final : public gen::SharedAdmission {
public:
  /// `db` is a connection of its own; `lease` bounds how long a slot outlives a process that vanished without a
  /// trace this host can check (another machine, a stopped process): longer than any one call may take.
  StoreAdmission(store::Database db, std::string provider, gen::GovernorLimits limits, std::chrono::milliseconds lease,
                 Clock& clock);

  std::optional<std::int64_t> acquire(std::stop_token stop) override;
  void release(std::int64_t slot) noexcept override;

  /// The lease a provider's slots get: its connect and request timeouts and a minute to spare.
  static std::chrono::milliseconds lease_for(std::chrono::milliseconds connect_timeout,
                                             std::chrono::milliseconds request_timeout);

private:
  // Frees the slots of processes of this host that are gone; whether any were. Caller holds m_mutex.
  bool reclaim_dead_owners();

  std::mutex m_mutex;
  store::Database m_db;
  std::string m_provider;
  gen::GovernorLimits m_limits;
  std::chrono::milliseconds m_lease;
  Clock& m_clock;
  std::string m_owner;
};

} // namespace blogen::app
