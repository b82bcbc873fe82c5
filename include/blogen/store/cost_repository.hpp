#pragma once
// The money side of the generation log: prices per provider and model, cost totals, budgets and the reservations
// that make a budget hold while calls are in flight. Money is integer nano-dollars (1e-9 USD); the arithmetic on it
// lives in app (costs.hpp), this file only stores and sums.

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace blogen::store {

/// One price of a provider (and model: empty for every model without a price of its own) from a time on.
struct PriceRow {
  std::int64_t id = 0;
  std::string provider;
  std::string model;
  std::int64_t input_nanos_per_million = 0;
  std::int64_t output_nanos_per_million = 0;
  std::optional<std::int64_t> image_nanos; ///< nullopt: images unpriced (sizes without a price of their own)
  std::map<std::string, std::int64_t> image_size_nanos; ///< "1792x1024" -> its price; other sizes: image_nanos
  TimestampMs effective_at = 0;
};

/// Prices as set by `provider price`; a new price is a new row, so the old one still prices the calls made under it.
class PriceRepository {
public:
  explicit PriceRepository(Database& db) : m_db(db) {}
  /// Records a price; returns its id.
  std::int64_t add(const PriceRow& price, TimestampMs now);
  /// A provider's prices (every provider's when empty), by provider and model, newest first.
  std::vector<PriceRow> list(const std::string& provider);
  /// The price in force at `at` for this model: its own, else the provider-wide one (model ''), else nullopt.
  std::optional<PriceRow> in_force(const std::string& provider, const std::string& model, TimestampMs at);

private:
  Database& m_db;
};

/// Which calls a cost total covers (unset: any).
struct CostFilter {
  std::optional<std::int64_t> user_id;
  std::optional<std::int64_t> batch_id;
  std::optional<std::int64_t> campaign_id;
  std::optional<std::int64_t> post_id;
  std::optional<std::int64_t> job_id;
  std::optional<TimestampMs> since; ///< created_at >= since
  std::optional<TimestampMs> until; ///< created_at < until
};

/// What cost totals are grouped by.
enum class CostGrouping { none, day, provider, model, campaign, batch, user };

/// Calls, tokens, images and money of one group of calls.
struct CostTotal {
  std::string key; ///< the group: a UTC day, provider, provider/model, campaign or batch id, username; "" for none
  std::int64_t calls = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t images = 0;
  std::int64_t cost_nanos = 0;     ///< of the priced calls
  std::int64_t unpriced_calls = 0; ///< calls whose price was unknown (their cost is not in cost_nanos)
};

/// A cost held for a call in flight until its actual cost is in the log.
struct Reservation {
  std::int64_t user_id = 0;
  std::optional<std::int64_t> batch_id;
  std::optional<std::int64_t> job_id;
  std::int64_t amount_nanos = 0;
  TimestampMs expires_at = 0;
};

/// Cost totals, budgets and reservations.
class CostRepository {
public:
  explicit CostRepository(Database& db) : m_db(db) {}
  /// Totals of the chat and image calls in the log matching `filter`, one per group (one row for none), by key.
  std::vector<CostTotal> totals(const CostFilter& filter, CostGrouping grouping);
  /// The logged cost of the calls matching `filter` (priced calls only).
  std::int64_t logged_cost(const CostFilter& filter);
  /// The sum of the reservations still in force at `now` of a user or a batch.
  std::int64_t reserved(std::optional<std::int64_t> user_id, std::optional<std::int64_t> batch_id, TimestampMs now);
  /// Holds a reservation; returns its id. Call inside the transaction that checked the budget.
  std::int64_t reserve(const Reservation& reservation);
  /// Drops a reservation (its call's cost is in the log now, or the call was not made).
  void release(std::int64_t reservation_id);

  /// A batch's per-run budget (nullopt: none).
  std::optional<std::int64_t> batch_budget(std::int64_t batch_id);
  /// Sets or clears a batch's per-run budget.
  void set_batch_budget(std::int64_t batch_id, std::optional<std::int64_t> nanos);
  /// A user's monthly budget (nullopt: none).
  std::optional<std::int64_t> monthly_budget(std::int64_t user_id);
  /// Sets or clears a user's monthly budget.
  void set_monthly_budget(std::int64_t user_id, std::optional<std::int64_t> nanos);

private:
  Database& m_db;
};

} // namespace blogen::store
