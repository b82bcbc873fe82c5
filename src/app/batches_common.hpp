#pragma once
// App-internal helpers shared by the batch use cases: ownership checks and building a BatchView.

#include <blogen/app/batches.hpp>
#include <blogen/app/current_user.hpp>

namespace blogen::app::detail {

/// The user's batch, or Error{not_found} ("batch 42 not found") for a missing or another user's batch.
store::Batch owned_batch(store::Database& db, const CurrentUser& user, std::int64_t batch_id);
/// The user's live campaign, or Error{not_found} for a missing, deleted or another user's campaign.
store::Campaign live_campaign(store::Database& db, const CurrentUser& user, std::int64_t campaign_id);
/// A batch with its counts (one query), derived status and campaign name.
BatchView view_of(store::Database& db, const store::Batch& batch);
/// The workers a run uses: `concurrency` when given (Error{usage} naming --concurrency outside 1..k_max_concurrency),
/// else `fallback` (the provider's) clamped into that range.
int checked_concurrency(std::optional<int> concurrency, int fallback);
/// A batch with counts already read (campaign batch listings).
BatchView view_of(const store::BatchWithCounts& row, std::string campaign_name);

} // namespace blogen::app::detail
