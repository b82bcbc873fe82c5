#include "dialect.hpp"
#include "sql.hpp"

#include <blogen/store/provider_slot_repository.hpp>

#include <algorithm>

namespace blogen::store {
namespace {

constexpr TimestampMs k_window_ms = 60'000;

int count_of(Database& db, const char* query, const std::string& provider, TimestampMs bound) {
  Statement statement(db, query);
  bind_all(statement, provider, bound);
  return static_cast<int>(single_value<std::int64_t>(statement));
}

} // namespace

SlotClaim ProviderSlotRepository::claim(const std::string& provider, const std::string& owner, int max_in_flight,
                                        int per_minute, TimestampMs now, TimestampMs lease_until, int wanted) {
  SlotClaim claim;
  WriteTransaction transaction(m_db);
  {
    Statement expired(m_db, "DELETE FROM provider_slots WHERE provider = ? AND lease_until <= ?");
    bind_all(expired, provider, now);
    expired.exec();
    Statement old(m_db, "DELETE FROM provider_calls WHERE provider = ? AND started_at <= ?");
    bind_all(old, provider, now - k_window_ms);
    old.exec();
  }
  const int free = std::max(1, max_in_flight) - count_of(m_db,
                                                         "SELECT count(*) FROM provider_slots WHERE provider = ? "
                                                         "AND lease_until > ?",
                                                         provider, now);
  if (free <= 0) {
    transaction.commit(); // keep the clean-up
    return claim;
  }
  if (per_minute > 0) {
    // The start that must leave the window before another fits: the per_minute-th newest.
    Statement blocking(m_db, "SELECT started_at FROM provider_calls WHERE provider = ? AND started_at > ? "
                             "ORDER BY started_at DESC LIMIT 1 OFFSET ?");
    bind_all(blocking, provider, now - k_window_ms, per_minute - 1);
    if (const auto started = first_row(blocking, [](Row& row) { return row.get<std::int64_t>(); })) {
      claim.window_wait = std::chrono::milliseconds(std::max<TimestampMs>(1, *started + k_window_ms - now));
      transaction.commit();
      return claim;
    }
    Statement start(m_db, "INSERT INTO provider_calls(provider, started_at) VALUES (?, ?)");
    bind_all(start, provider, now);
    start.exec();
  }
  // With a per-minute limit every call's start is recorded by a claim of its own: one slot.
  const int taking = per_minute > 0 ? 1 : std::clamp(wanted, 1, free);
  for (int taken = 0; taken < taking; ++taken) {
    Statement take(m_db, "INSERT INTO provider_slots(provider, owner, acquired_at, lease_until) VALUES (?, ?, ?, ?)");
    bind_all(take, provider, owner, now, lease_until);
    take.exec();
    const std::int64_t id = dialect::last_insert_id(m_db);
    if (claim.slot) {
      claim.more.push_back(id);
    } else {
      claim.slot = id;
    }
  }
  transaction.commit();
  return claim;
}

void ProviderSlotRepository::release(std::int64_t slot) {
  // A transaction of its own although it is one statement: it then takes this process's writer gate, so the other
  // threads' writes wait for it there instead of sleeping in the busy handler.
  WriteTransaction transaction(m_db);
  Statement statement(m_db, "DELETE FROM provider_slots WHERE id = ?");
  bind_all(statement, slot);
  statement.exec();
  transaction.commit();
}

std::vector<std::string> ProviderSlotRepository::owners(const std::string& provider) {
  Statement query(m_db, "SELECT DISTINCT owner FROM provider_slots WHERE provider = ? ORDER BY owner");
  bind_all(query, provider);
  return all_rows(query, [](Row& row) { return row.get<std::string>(); });
}

int ProviderSlotRepository::release_owner(const std::string& owner) {
  Statement statement(m_db, "DELETE FROM provider_slots WHERE owner = ?");
  bind_all(statement, owner);
  return statement.exec();
}

} // namespace blogen::store
