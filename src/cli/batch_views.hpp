#pragma once
// How batches look, shared by `campaign ...` and `batch ...`: one batch with or without its posts, a batch that
// was just written here, and a campaign's batches.

#include "present.hpp"

#include <blogen/app/batches.hpp>

#include <blogen/app/costs.hpp>
#include <cstdint>

#include <optional>
#include <vector>

namespace blogen::cli {

/// A batch (`batch show`): -q prints its status; its posts are listed when asked for.
struct BatchDetails {
  app::BatchView view;
  std::optional<std::vector<app::BatchPost>> posts;
  app::CostTotal cost; ///< what its calls cost so far
};
nlohmann::json to_json(const BatchDetails& details);
void to_text(term::Output& out, const BatchDetails& details);
void to_quiet(term::Output& out, const BatchDetails& details);

/// A batch that was just written here, with its posts: -q prints its id; the text names each failed post.
struct FinishedBatch {
  app::BatchView view;
  std::vector<app::BatchPost> posts;
};
nlohmann::json to_json(const FinishedBatch& finished);
void to_text(term::Output& out, const FinishedBatch& finished);
void to_quiet(term::Output& out, const FinishedBatch& finished);

/// A campaign's batches (`campaign batches`) with their progress.
struct CampaignBatches {
  std::int64_t campaign_id = 0;
  std::vector<app::BatchView> batches;
};
nlohmann::json to_json(const CampaignBatches& list);
void to_text(term::Output& out, const CampaignBatches& list);
void to_quiet(term::Output& out, const CampaignBatches& list);

} // namespace blogen::cli
