#pragma once
// Campaigns: a brand, its audience and tone, the defaults every social post of its batches inherits. Deleting is
// soft (deleted_at) so a campaign can be restored; every read takes the owner, so another user's campaign looks
// exactly like a missing one.

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::store {

/// Where a campaign is in its life (set by its owner; nothing changes it automatically).
enum class CampaignStatus { draft, active, archived };
/// Stable lower-case name ("active").
std::string_view to_string(CampaignStatus status);
/// Parses a status name; nullopt when unknown.
std::optional<CampaignStatus> parse_campaign_status(std::string_view text);
/// Every status name, in the enum's order (for help texts and completion).
std::vector<std::string> campaign_status_names();

/// One row of the campaigns table.
struct Campaign {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::string brand;
  std::string audience;
  std::string tone;
  std::string description;
  CampaignStatus status = CampaignStatus::draft;
  TimestampMs created_at = 0;
  TimestampMs updated_at = 0;
  std::optional<TimestampMs> deleted_at;
};

/// What is needed to insert a campaign.
struct NewCampaign {
  std::int64_t user_id = 0;
  std::string name;
  std::string brand;
  std::string audience;
  std::string tone;
  std::string description;
  CampaignStatus status = CampaignStatus::draft;
};

/// A partial update: only the fields that are set change.
struct CampaignChanges {
  std::optional<std::string> name;
  std::optional<std::string> brand;
  std::optional<std::string> audience;
  std::optional<std::string> tone;
  std::optional<std::string> description;
  std::optional<CampaignStatus> status;
};

/// The campaigns table, on one connection.
class CampaignRepository {
public:
  explicit CampaignRepository(Database& db) : m_db(db) {}

  /// Inserts a campaign; returns its id.
  std::int64_t insert(const NewCampaign& campaign, TimestampMs now);
  /// The campaign with this id owned by `user_id` (deleted ones included), or nullopt.
  std::optional<Campaign> find(std::int64_t campaign_id, std::int64_t user_id);
  /// The user's live campaigns, newest first.
  std::vector<Campaign> list(std::int64_t user_id);
  /// Applies the set fields; returns whether the campaign exists.
  bool update(std::int64_t campaign_id, const CampaignChanges& changes, TimestampMs now);
  /// Moves a campaign to the trash; false when it is missing or already there.
  bool soft_delete(std::int64_t campaign_id, TimestampMs now);
  /// Takes a campaign out of the trash; false when it is missing or not there.
  bool restore(std::int64_t campaign_id, TimestampMs now);

private:
  Database& m_db;
};

} // namespace blogen::store
