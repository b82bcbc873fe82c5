#include "dialect.hpp"
#include "sql.hpp"

#include <blogen/store/cost_repository.hpp>

#include <nlohmann/json.hpp>

namespace blogen::store {
namespace {

constexpr Columns k_price_columns{
    "id, provider, model, input_nanos_per_million, output_nanos_per_million, image_nanos, effective_at, "
    "image_size_nanos"};

// Per-size image prices are kept as a JSON object of nano-dollars; NULL when there are none.
std::optional<std::string> sizes_text(const std::map<std::string, std::int64_t>& sizes) {
  if (sizes.empty()) return std::nullopt;
  return nlohmann::json(sizes).dump();
}

std::map<std::string, std::int64_t> sizes_of(const std::optional<std::string>& text) {
  std::map<std::string, std::int64_t> sizes;
  if (!text) return sizes;
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object()) return sizes; // a damaged value prices every size alike rather than failing every call
  for (const auto& [size, nanos] : json.items()) {
    if (nanos.is_number_integer()) sizes[size] = nanos.get<std::int64_t>();
  }
  return sizes;
}

PriceRow read_price(Row& row) {
  return row.read(k_price_columns, [](Row& r) {
    PriceRow price;
    price.id = r.get<std::int64_t>();
    price.provider = r.get<std::string>();
    price.model = r.get<std::string>();
    price.input_nanos_per_million = r.get<std::int64_t>();
    price.output_nanos_per_million = r.get<std::int64_t>();
    price.image_nanos = r.get<std::optional<std::int64_t>>();
    price.effective_at = r.get<std::int64_t>();
    price.image_size_nanos = sizes_of(r.get<std::optional<std::string>>());
    return price;
  });
}

// The group key of each grouping as an SQL expression over generation_log `g` (and users `u`). Days are UTC.
std::string group_key(const Database& db, CostGrouping grouping) {
  switch (grouping) {
  case CostGrouping::none:
    return "''";
  case CostGrouping::day:
    return dialect::utc_day(db, "g.created_at");
  case CostGrouping::provider:
    return "g.provider";
  case CostGrouping::model:
    return "g.provider || '/' || g.model";
  case CostGrouping::campaign:
    return "coalesce(CAST(g.campaign_id AS TEXT), '')";
  case CostGrouping::batch:
    return "coalesce(CAST(g.batch_id AS TEXT), '')";
  case CostGrouping::user:
    return "coalesce(u.username, '')";
  }
  return "''";
}

Where cost_where(const CostFilter& filter) {
  Where where;
  where.add("g.call IN ('chat', 'image')")
      .add_if("g.user_id = ?", filter.user_id)
      .add_if("g.batch_id = ?", filter.batch_id)
      .add_if("g.campaign_id = ?", filter.campaign_id)
      .add_if("g.post_id = ?", filter.post_id)
      .add_if("g.job_id = ?", filter.job_id)
      .add_if("g.created_at >= ?", filter.since)
      .add_if("g.created_at < ?", filter.until);
  return where;
}

} // namespace

std::int64_t PriceRepository::add(const PriceRow& price, TimestampMs now) {
  Statement insert(m_db, R"sql(
    INSERT INTO provider_prices(provider, model, input_nanos_per_million, output_nanos_per_million, image_nanos,
                                effective_at, created_at, image_size_nanos)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?))sql");
  bind_all(insert, price.provider, price.model, price.input_nanos_per_million, price.output_nanos_per_million,
           price.image_nanos, price.effective_at, now, sizes_text(price.image_size_nanos));
  insert.exec();
  return dialect::last_insert_id(m_db);
}

std::vector<PriceRow> PriceRepository::list(const std::string& provider) {
  Where where;
  if (!provider.empty()) where.add("provider = ?", provider);
  Statement query(m_db, "SELECT " + k_price_columns.text() + " FROM provider_prices" + where.clause() +
                            " ORDER BY provider, model, effective_at DESC, id DESC");
  where.bind(query);
  return all_rows(query, read_price);
}

std::optional<PriceRow> PriceRepository::in_force(const std::string& provider, const std::string& model,
                                                  TimestampMs at) {
  // The model's own price wins over the provider-wide one, whatever their dates. Two probes down the index, each
  // already in its order: one query for both models sorted them in a temporary B-tree at every call, and a batch
  // prices every call (5% of a batch's CPU).
  Statement query(m_db, "SELECT " + k_price_columns.text() + R"sql( FROM provider_prices
    WHERE provider = ? AND model = ? AND effective_at <= ? ORDER BY effective_at DESC, id DESC LIMIT 1)sql");
  bind_all(query, provider, model, at);
  if (auto own = first_row(query, read_price); own || model.empty()) return own;
  query.reset();
  bind_all(query, provider, std::string(), at);
  return first_row(query, read_price);
}

std::vector<CostTotal> CostRepository::totals(const CostFilter& filter, CostGrouping grouping) {
  const Where where = cost_where(filter);
  const std::string key = group_key(m_db, grouping);
  const std::string join = grouping == CostGrouping::user ? " LEFT JOIN users u ON u.id = g.user_id" : "";
  Statement query(m_db, "SELECT " + key + R"sql( AS key, count(*), coalesce(sum(g.prompt_tokens), 0),
      coalesce(sum(g.completion_tokens), 0), count(*) FILTER (WHERE g.call = 'image' AND g.status = 'ok'),
      coalesce(sum(g.cost_nanos), 0), count(*) FILTER (WHERE g.cost_nanos IS NULL)
    FROM generation_log g)sql" +
                            join + where.clause() +
                            (grouping == CostGrouping::none ? "" : " GROUP BY key ORDER BY key"));
  where.bind(query);
  auto rows = all_rows(query, [](Row& row) {
    CostTotal total;
    total.key = row.get<std::string>();
    total.calls = row.get<std::int64_t>();
    total.prompt_tokens = row.get<std::int64_t>();
    total.completion_tokens = row.get<std::int64_t>();
    total.images = row.get<std::int64_t>();
    total.cost_nanos = row.get<std::int64_t>();
    total.unpriced_calls = row.get<std::int64_t>();
    return total;
  });
  return rows;
}

std::int64_t CostRepository::logged_cost(const CostFilter& filter) {
  const Where where = cost_where(filter);
  Statement query(m_db, "SELECT coalesce(sum(g.cost_nanos), 0) FROM generation_log g" + where.clause());
  where.bind(query);
  return single_value<std::int64_t>(query);
}

std::int64_t CostRepository::reserved(std::optional<std::int64_t> user_id, std::optional<std::int64_t> batch_id,
                                      TimestampMs now) {
  Where where;
  where.add("expires_at > ?", now).add_if("user_id = ?", user_id).add_if("batch_id = ?", batch_id);
  Statement query(m_db, "SELECT coalesce(sum(amount_nanos), 0) FROM cost_reservations" + where.clause());
  where.bind(query);
  return single_value<std::int64_t>(query);
}

std::int64_t CostRepository::reserve(const Reservation& reservation) {
  Statement insert(m_db, R"sql(
    INSERT INTO cost_reservations(user_id, batch_id, job_id, amount_nanos, expires_at) VALUES (?, ?, ?, ?, ?))sql");
  bind_all(insert, reservation.user_id, reservation.batch_id, reservation.job_id, reservation.amount_nanos,
           reservation.expires_at);
  insert.exec();
  return dialect::last_insert_id(m_db);
}

void CostRepository::release(std::int64_t reservation_id) {
  Statement remove(m_db, "DELETE FROM cost_reservations WHERE id = ?");
  bind_all(remove, reservation_id);
  remove.exec();
}

std::optional<std::int64_t> CostRepository::batch_budget(std::int64_t batch_id) {
  Statement query(m_db, "SELECT max_cost_nanos FROM batches WHERE id = ?");
  bind_all(query, batch_id);
  const auto value = first_row(query, [](Row& row) { return row.get<std::optional<std::int64_t>>(); });
  return value ? *value : std::nullopt;
}

void CostRepository::set_batch_budget(std::int64_t batch_id, std::optional<std::int64_t> nanos) {
  Statement update(m_db, "UPDATE batches SET max_cost_nanos = ? WHERE id = ?");
  bind_all(update, nanos, batch_id);
  update.exec();
}

std::optional<std::int64_t> CostRepository::monthly_budget(std::int64_t user_id) {
  Statement query(m_db, "SELECT monthly_budget_nanos FROM users WHERE id = ?");
  bind_all(query, user_id);
  const auto value = first_row(query, [](Row& row) { return row.get<std::optional<std::int64_t>>(); });
  return value ? *value : std::nullopt;
}

void CostRepository::set_monthly_budget(std::int64_t user_id, std::optional<std::int64_t> nanos) {
  Statement update(m_db, "UPDATE users SET monthly_budget_nanos = ? WHERE id = ?");
  bind_all(update, nanos, user_id);
  update.exec();
}

} // namespace blogen::store
