#include "connection.hpp"

#include <blogen/store/campaign_repository.hpp>

#include <array>

namespace blogen::store {
namespace {

constexpr std::array k_status_names{"draft", "active", "archived"};

constexpr const char* k_columns =
    "id, user_id, name, brand, audience, tone, description, status, created_at, updated_at, deleted_at";

Campaign read_campaign(SQLite::Statement& query) {
  Campaign campaign;
  campaign.id = query.getColumn(0).getInt64();
  campaign.user_id = query.getColumn(1).getInt64();
  campaign.name = query.getColumn(2).getString();
  campaign.brand = query.getColumn(3).getString();
  campaign.audience = query.getColumn(4).getString();
  campaign.tone = query.getColumn(5).getString();
  campaign.description = query.getColumn(6).getString();
  campaign.status = parse_campaign_status(query.getColumn(7).getString()).value_or(CampaignStatus::draft);
  campaign.created_at = query.getColumn(8).getInt64();
  campaign.updated_at = query.getColumn(9).getInt64();
  if (auto c = query.getColumn(10); !c.isNull()) campaign.deleted_at = c.getInt64();
  return campaign;
}

} // namespace

std::string_view to_string(CampaignStatus status) { return k_status_names.at(static_cast<std::size_t>(status)); }

std::optional<CampaignStatus> parse_campaign_status(std::string_view text) {
  for (std::size_t i = 0; i < k_status_names.size(); ++i) {
    if (text == k_status_names[i]) return static_cast<CampaignStatus>(i);
  }
  return std::nullopt;
}

std::int64_t CampaignRepository::insert(const NewCampaign& campaign, TimestampMs now) {
  SQLite::Statement insert(sql(m_db), R"sql(
    INSERT INTO campaigns(user_id, name, brand, audience, tone, description, status, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  insert.bind(1, campaign.user_id);
  insert.bind(2, campaign.name);
  insert.bind(3, campaign.brand);
  insert.bind(4, campaign.audience);
  insert.bind(5, campaign.tone);
  insert.bind(6, campaign.description);
  insert.bind(7, std::string(to_string(campaign.status)));
  insert.bind(8, now);
  insert.bind(9, now);
  insert.exec();
  return sql(m_db).getLastInsertRowid();
}

std::optional<Campaign> CampaignRepository::find(std::int64_t campaign_id, std::int64_t user_id) {
  SQLite::Statement query(sql(m_db),
                          std::string("SELECT ") + k_columns + " FROM campaigns WHERE id = ? AND user_id = ?");
  query.bind(1, campaign_id);
  query.bind(2, user_id);
  if (!query.executeStep()) return std::nullopt;
  return read_campaign(query);
}

std::vector<Campaign> CampaignRepository::list(std::int64_t user_id) {
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_columns +
                                         " FROM campaigns WHERE user_id = ? AND deleted_at IS NULL"
                                         " ORDER BY created_at DESC, id DESC");
  query.bind(1, user_id);
  std::vector<Campaign> campaigns;
  while (query.executeStep())
    campaigns.push_back(read_campaign(query));
  return campaigns;
}

bool CampaignRepository::update(std::int64_t campaign_id, const CampaignChanges& changes, TimestampMs now) {
  // Unset fields keep their value through coalesce, so one statement serves every combination.
  SQLite::Statement update(sql(m_db), R"sql(
    UPDATE campaigns SET name = coalesce(?, name), brand = coalesce(?, brand), audience = coalesce(?, audience),
      tone = coalesce(?, tone), description = coalesce(?, description), status = coalesce(?, status),
      updated_at = ? WHERE id = ?)sql");
  int i = 1;
  const auto bind_optional = [&](const std::optional<std::string>& value) {
    if (value)
      update.bind(i++, *value);
    else
      update.bind(i++);
  };
  bind_optional(changes.name);
  bind_optional(changes.brand);
  bind_optional(changes.audience);
  bind_optional(changes.tone);
  bind_optional(changes.description);
  bind_optional(changes.status ? std::optional<std::string>(std::string(to_string(*changes.status))) : std::nullopt);
  update.bind(i++, now);
  update.bind(i++, campaign_id);
  return update.exec() == 1;
}

bool CampaignRepository::soft_delete(std::int64_t campaign_id, TimestampMs now) {
  SQLite::Statement update(
      sql(m_db), "UPDATE campaigns SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2 AND deleted_at IS NULL");
  update.bind(1, now);
  update.bind(2, campaign_id);
  return update.exec() == 1;
}

bool CampaignRepository::restore(std::int64_t campaign_id, TimestampMs now) {
  SQLite::Statement update(
      sql(m_db), "UPDATE campaigns SET deleted_at = NULL, updated_at = ?1 WHERE id = ?2 AND deleted_at IS NOT NULL");
  update.bind(1, now);
  update.bind(2, campaign_id);
  return update.exec() == 1;
}

} // namespace blogen::store
