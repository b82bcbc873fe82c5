#include "dialect.hpp"
#include "sql.hpp"

#include <blogen/store/campaign_repository.hpp>

#include <array>

namespace blogen::store {
namespace {

constexpr std::array k_status_names{"draft", "active", "archived"};

constexpr Columns k_columns{
    "id, user_id, name, brand, audience, tone, description, status, created_at, updated_at, deleted_at"};

Campaign read_campaign(Row& row) {
  return row.read(k_columns, [](Row& r) {
    Campaign campaign;
    campaign.id = r.get<std::int64_t>();
    campaign.user_id = r.get<std::int64_t>();
    campaign.name = r.get<std::string>();
    campaign.brand = r.get<std::string>();
    campaign.audience = r.get<std::string>();
    campaign.tone = r.get<std::string>();
    campaign.description = r.get<std::string>();
    campaign.status = parse_campaign_status(r.get<std::string>()).value_or(CampaignStatus::draft);
    campaign.created_at = r.get<std::int64_t>();
    campaign.updated_at = r.get<std::int64_t>();
    campaign.deleted_at = r.get<std::optional<std::int64_t>>();
    return campaign;
  });
}

} // namespace

std::string_view to_string(CampaignStatus status) { return k_status_names.at(static_cast<std::size_t>(status)); }

std::vector<std::string> campaign_status_names() { return {k_status_names.begin(), k_status_names.end()}; }

std::optional<CampaignStatus> parse_campaign_status(std::string_view text) {
  for (std::size_t i = 0; i < k_status_names.size(); ++i) {
    if (text == k_status_names[i]) return static_cast<CampaignStatus>(i);
  }
  return std::nullopt;
}

std::int64_t CampaignRepository::insert(const NewCampaign& campaign, TimestampMs now) {
  Statement insert(m_db, R"sql(
    INSERT INTO campaigns(user_id, name, brand, audience, tone, description, status, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  bind_all(insert, campaign.user_id, campaign.name, campaign.brand, campaign.audience, campaign.tone,
           campaign.description, to_string(campaign.status), now, now);
  insert.exec();
  return dialect::last_insert_id(m_db);
}

std::optional<Campaign> CampaignRepository::find(std::int64_t campaign_id, std::int64_t user_id) {
  Statement query(m_db, "SELECT " + k_columns.text() + " FROM campaigns WHERE id = ? AND user_id = ?");
  bind_all(query, campaign_id, user_id);
  return first_row(query, read_campaign);
}

std::vector<Campaign> CampaignRepository::list(std::int64_t user_id) {
  Statement query(m_db, "SELECT " + k_columns.text() +
                            " FROM campaigns WHERE user_id = ? AND deleted_at IS NULL"
                            " ORDER BY created_at DESC, id DESC");
  bind_all(query, user_id);
  return all_rows(query, read_campaign);
}

bool CampaignRepository::update(std::int64_t campaign_id, const CampaignChanges& changes, TimestampMs now) {
  // Unset fields keep their value through coalesce, so one statement serves every combination.
  Statement update(m_db, R"sql(
    UPDATE campaigns SET name = coalesce(?, name), brand = coalesce(?, brand), audience = coalesce(?, audience),
      tone = coalesce(?, tone), description = coalesce(?, description), status = coalesce(?, status),
      updated_at = ? WHERE id = ?)sql");
  const auto status = changes.status ? std::optional(to_string(*changes.status)) : std::nullopt;
  bind_all(update, changes.name, changes.brand, changes.audience, changes.tone, changes.description, status, now,
           campaign_id);
  return update.exec() == 1;
}

bool CampaignRepository::soft_delete(std::int64_t campaign_id, TimestampMs now) {
  Statement update(m_db, "UPDATE campaigns SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2 AND deleted_at IS NULL");
  bind_all(update, now, campaign_id);
  return update.exec() == 1;
}

bool CampaignRepository::restore(std::int64_t campaign_id, TimestampMs now) {
  Statement update(m_db,
                   "UPDATE campaigns SET deleted_at = NULL, updated_at = ?1 WHERE id = ?2 AND deleted_at IS NOT NULL");
  bind_all(update, now, campaign_id);
  return update.exec() == 1;
}

} // namespace blogen::store
