#pragma once
// Provider limits shared by every process on the store: a slot row per call in flight and a start row per call in
// the last minute. A claim checks both and takes one of each in one write transaction, so two worker processes
// together never pass a provider's concurrency or requests-per-minute.

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blogen::store {

/// The outcome of one claim attempt.
struct SlotClaim {
  std::optional<std::int64_t> slot; ///< the slot taken; nullopt when the limits allow no call now
  std::vector<std::int64_t> more;   ///< further slots taken in the same claim (`wanted` > 1)
  /// When refused because the minute window is full: how long until its oldest start leaves it. 0 when refused for
  /// concurrency (a slot frees when a call ends, which nobody can predict).
  std::chrono::milliseconds window_wait{0};
};

/// Slots and request starts of providers, by provider name.
class ProviderSlotRepository {
public:
  explicit ProviderSlotRepository(Database& db) : m_db(db) {}
  /// Takes a slot for `owner` when fewer than `max_in_flight` are held and fewer than `per_minute` calls started in
  /// the last 60 s (`per_minute` 0: unlimited), and records the start. Slots past their lease are freed first (their
  /// process stopped without releasing them). Without a per-minute limit it takes up to `wanted` slots, as many as
  /// the concurrency leaves free (a process whose threads all start at once claims them together). One write
  /// transaction.
  SlotClaim claim(const std::string& provider, const std::string& owner, int max_in_flight, int per_minute,
                  TimestampMs now, TimestampMs lease_until, int wanted = 1);
  /// Gives a slot back (no-op when it is gone already).
  void release(std::int64_t slot);
  /// The owners holding slots of `provider`.
  std::vector<std::string> owners(const std::string& provider);
  /// Frees every slot `owner` holds (its process is gone); returns how many.
  int release_owner(const std::string& owner);

private:
  Database& m_db;
};

} // namespace blogen::store
