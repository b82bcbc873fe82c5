#pragma once
// Campaign use cases: create, list, show, update, delete (soft, cancelling the campaign's queued work) and
// restore. Every one resolves the logged-in user first; another user's campaign, like a deleted one, is
// Error{not_found}.

#include <blogen/app/context.hpp>
#include <blogen/store/campaign_repository.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blogen::app {

/// Longest campaign name, brand and audience, in characters.
constexpr std::size_t k_max_campaign_name_chars = 255;
/// Longest campaign description, in characters.
constexpr std::size_t k_max_campaign_description_chars = 5'000;

/// The tones a campaign may ask for: the same list posts use (post_tones()), the first being the default.
const std::vector<std::string>& campaign_tones();

/// What `campaign create` and `campaign update` give; unset fields take defaults (create) or stay (update).
struct CampaignInput {
  std::optional<std::string> name;
  std::optional<std::string> brand;
  std::optional<std::string> audience;
  std::optional<std::string> tone;
  std::optional<std::string> description;
  std::optional<std::string> status; ///< draft, active or archived
};

/// Validates (Error{usage} naming the flag) and stores a campaign; name and brand are required.
store::Campaign create_campaign(Context& context, const CampaignInput& input);
/// The user's live campaigns, newest first.
std::vector<store::Campaign> list_campaigns(Context& context);
/// The user's live campaign; Error{not_found} for a missing, deleted or another user's one.
store::Campaign get_campaign(Context& context, std::int64_t campaign_id);
/// Applies the set fields (validated like create); Error{usage} when nothing is set.
store::Campaign update_campaign(Context& context, std::int64_t campaign_id, const CampaignInput& input);

/// What deleting a campaign did.
struct DeletedCampaign {
  store::Campaign campaign;
  int cancelled_jobs = 0; ///< queued or running jobs of its batches that were cancelled
};
/// Moves a campaign to the trash and cancels the pending and running jobs of its batches, in one transaction.
DeletedCampaign delete_campaign(Context& context, std::int64_t campaign_id);
/// Takes a campaign out of the trash (its cancelled jobs stay cancelled; `batch retry` does not revive them).
store::Campaign restore_campaign(Context& context, std::int64_t campaign_id);

} // namespace blogen::app
