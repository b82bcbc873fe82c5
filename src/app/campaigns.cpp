#include "posts_common.hpp"

#include <blogen/app/campaigns.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/core/error.hpp>
#include <blogen/store/batch_repository.hpp>
#include <blogen/store/job_repository.hpp>

#include <fmt/format.h>

namespace blogen::app {
namespace {

using text::trim;

enum class Required { no, yes };

std::string check_field(std::string_view value, std::string_view flag, std::size_t max_chars, Required required) {
  std::string trimmed(trim(value));
  if (required == Required::yes && trimmed.empty()) throw Error(ErrorCode::usage, fmt::format("{} is empty", flag));
  if (text::utf8_length(trimmed) > max_chars) {
    throw Error(ErrorCode::usage, fmt::format("{} is longer than {} characters", flag, max_chars));
  }
  return trimmed;
}

std::string check_line(std::string_view value, std::string_view flag, Required required) {
  std::string checked = check_field(value, flag, k_max_campaign_name_chars, required);
  if (checked.find_first_of("\r\n") != std::string::npos) {
    throw Error(ErrorCode::usage, fmt::format("{} must be a single line", flag));
  }
  return checked;
}

store::CampaignStatus check_status(std::string_view status) {
  if (auto parsed = store::parse_campaign_status(trim(status))) return *parsed;
  throw Error(ErrorCode::usage,
              fmt::format("--status: unknown status '{}'; use one of: draft, active, archived", status));
}

store::CampaignChanges validated_changes(const CampaignInput& input, Required required) {
  store::CampaignChanges changes;
  if (input.name) changes.name = check_line(*input.name, "--name", Required::yes);
  if (input.brand) changes.brand = check_line(*input.brand, "--brand", Required::yes);
  if (input.audience) changes.audience = check_line(*input.audience, "--audience", Required::no);
  if (input.tone) changes.tone = detail::check_tone(*input.tone, "--tone");
  if (input.description) {
    changes.description =
        check_field(*input.description, "--description", k_max_campaign_description_chars, Required::no);
  }
  if (input.status) changes.status = check_status(*input.status);
  if (required == Required::yes) {
    if (!changes.name) throw Error(ErrorCode::usage, "--name is required");
    if (!changes.brand) throw Error(ErrorCode::usage, "--brand is required");
  }
  return changes;
}

store::Campaign live_campaign(store::CampaignRepository& campaigns, const CurrentUser& user, std::int64_t campaign_id) {
  auto campaign = campaigns.find(campaign_id, user.id);
  if (!campaign || campaign->deleted_at) {
    throw Error(ErrorCode::not_found, fmt::format("campaign {} not found", campaign_id));
  }
  return *campaign;
}

} // namespace

const std::vector<std::string>& campaign_tones() { return post_tones(); }

store::Campaign create_campaign(Context& context, const CampaignInput& input) {
  const CurrentUser user = require_user(context);
  const store::CampaignChanges checked = validated_changes(input, Required::yes);
  store::NewCampaign campaign;
  campaign.user_id = user.id;
  campaign.name = *checked.name;
  campaign.brand = *checked.brand;
  campaign.audience = checked.audience.value_or("");
  campaign.tone = checked.tone.value_or(campaign_tones().front());
  campaign.description = checked.description.value_or("");
  campaign.status = checked.status.value_or(store::CampaignStatus::draft);
  store::CampaignRepository campaigns(context.db());
  const std::int64_t id = campaigns.insert(campaign, context.clock().now_ms());
  return live_campaign(campaigns, user, id);
}

std::vector<store::Campaign> list_campaigns(Context& context) {
  const CurrentUser user = require_user(context);
  return store::CampaignRepository(context.db()).list(user.id);
}

store::Campaign get_campaign(Context& context, std::int64_t campaign_id) {
  const CurrentUser user = require_user(context);
  store::CampaignRepository campaigns(context.db());
  return live_campaign(campaigns, user, campaign_id);
}

store::Campaign update_campaign(Context& context, std::int64_t campaign_id, const CampaignInput& input) {
  const CurrentUser user = require_user(context);
  store::CampaignRepository campaigns(context.db());
  (void)live_campaign(campaigns, user, campaign_id); // "not found" comes before complaints about flags
  const store::CampaignChanges changes = validated_changes(input, Required::no);
  if (!changes.name && !changes.brand && !changes.audience && !changes.tone && !changes.description &&
      !changes.status) {
    throw Error(ErrorCode::usage,
                "nothing to change: give at least one of --name, --brand, --audience, --tone, --description, --status");
  }
  campaigns.update(campaign_id, changes, context.clock().now_ms());
  return live_campaign(campaigns, user, campaign_id);
}

DeletedCampaign delete_campaign(Context& context, std::int64_t campaign_id) {
  const CurrentUser user = require_user(context);
  store::Database& db = context.db();
  store::CampaignRepository campaigns(db);
  DeletedCampaign deleted;
  deleted.campaign = live_campaign(campaigns, user, campaign_id);
  const TimestampMs now = context.clock().now_ms();
  store::WriteTransaction transaction(db);
  campaigns.soft_delete(campaign_id, now);
  store::BatchRepository batches(db);
  store::JobRepository jobs(db);
  for (const std::int64_t batch_id : batches.ids_for_campaign(campaign_id)) {
    deleted.cancelled_jobs += jobs.cancel_for_batch(batch_id, now); // the posts follow their jobs
  }
  transaction.commit();
  deleted.campaign.deleted_at = now;
  return deleted;
}

store::Campaign restore_campaign(Context& context, std::int64_t campaign_id) {
  const CurrentUser user = require_user(context);
  store::CampaignRepository campaigns(context.db());
  auto campaign = campaigns.find(campaign_id, user.id);
  if (!campaign || !campaign->deleted_at) {
    throw Error(ErrorCode::not_found, fmt::format("campaign {} not found in the trash", campaign_id));
  }
  campaigns.restore(campaign_id, context.clock().now_ms());
  return live_campaign(campaigns, user, campaign_id);
}

} // namespace blogen::app
