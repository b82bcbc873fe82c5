#pragma once
// App-internal: gen::SharedAdmission over the store's provider slots, so a provider's concurrency and requests per
// minute hold across every process on the store (gen knows no store; the store knows no gen).

#include <blogen/core/clock.hpp>
#include <blogen/gen/governor.hpp>
#include <blogen/gen/shared_admission.hpp>
#include <blogen/store/database.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace blogen::app {

/// The slots of one provider, shared through the store. Thread-safe: its connection is used under a mutex, for
/// short claims only; waiting happens outside it.
///
/// A slot given back is kept ("parked") for a moment before it is freed in the store: a call that starts meanwhile
/// in this process takes it over without a write (a batch's next call starts within milliseconds), and a slot still
/// parked after a linger (k_linger) is freed by a thread of its own, so other processes wait for it no longer than
/// that. Only without a requests-per-minute limit: with one, every call's start is recorded by a claim.
class StoreAdmission final : public gen::SharedAdmission {
public:
  /// How long a released slot stays parked by default: long against the few milliseconds between one job's call
  /// and the next's, short against a call, and what another process may wait extra for it.
  static constexpr std::chrono::milliseconds k_linger{250};

  /// `db` is a connection of its own; `lease` bounds how long a slot outlives a process that vanished without a
  /// trace this host can check (another machine, a stopped process): longer than any one call may take. `linger`:
  /// how long a released slot stays parked.
  StoreAdmission(store::Database db, std::string provider, gen::GovernorLimits limits, std::chrono::milliseconds lease,
                 Clock& clock, std::chrono::milliseconds linger = k_linger);
  /// Frees the parked slots.
  ~StoreAdmission() override;
  StoreAdmission(const StoreAdmission&) = delete;
  StoreAdmission& operator=(const StoreAdmission&) = delete;

  std::optional<std::int64_t> acquire(std::stop_token stop) override;
  void release(std::int64_t slot) noexcept override;

  /// The lease a provider's slots get: its connect and request timeouts and a minute to spare.
  static std::chrono::milliseconds lease_for(std::chrono::milliseconds connect_timeout,
                                             std::chrono::milliseconds request_timeout);

private:
  // A slot held in the store between two calls of this process.
  struct Parked {
    std::int64_t slot = 0;
    TimestampMs lease_until = 0;
    std::chrono::steady_clock::time_point since;
  };

  // Frees the slots of processes of this host that are gone; whether any were. Caller holds m_mutex.
  bool reclaim_dead_owners();
  // A parked slot with at least half its lease left, taken over; slots nearer their lease end are freed. Caller
  // holds m_mutex.
  std::optional<std::int64_t> take_parked(TimestampMs now);
  // Parks `slot` (held in the store until `lease_until`) from now on. Wakes the reaper only when it waits for a
  // first parked slot: otherwise it sleeps until the oldest one's linger ends, which a newer slot does not change
  // (woken at every release, it cost a batch three futex calls a post). Caller holds m_mutex.
  void park(std::int64_t slot, TimestampMs lease_until);
  // Frees `slots` in the store in one transaction. Never throws: a slot it cannot free ends with its lease. Caller
  // holds m_mutex.
  void free_in_store(const std::vector<std::int64_t>& slots) noexcept;
  // The thread that frees slots parked for longer than k_linger.
  void free_lingering(const std::stop_token& stop);

  std::mutex m_mutex;
  store::Database m_db;
  std::string m_provider;
  gen::GovernorLimits m_limits;
  std::chrono::milliseconds m_lease;
  Clock& m_clock;
  std::string m_owner;
  std::chrono::milliseconds m_linger;
  std::map<std::int64_t, TimestampMs> m_in_use; ///< slots taken by acquire, by the end of their lease
  std::vector<Parked> m_parked;
  std::atomic<int> m_acquiring{0}; ///< threads inside acquire: a claim from the store takes a slot for each
  std::condition_variable_any m_parked_changed;
  std::jthread m_reaper; // last: it stops (and is joined) before the members it uses go
};

} // namespace blogen::app
