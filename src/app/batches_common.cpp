#include "batches_common.hpp"

#include <blogen/core/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace blogen::app {

std::string_view to_string(BatchStatus status) {
  constexpr std::array<std::string_view, 6> k_names{"pending", "running",  "completed", "completed_with_errors",
                                                    "failed",  "cancelled"};
  return k_names.at(static_cast<std::size_t>(status));
}

BatchStatus derive_batch_status(const store::BatchCounts& counts) {
  const std::int64_t finished = counts.completed + counts.failed + counts.cancelled;
  if (counts.pending + counts.running > 0) {
    return counts.running == 0 && finished == 0 ? BatchStatus::pending : BatchStatus::running;
  }
  if (counts.cancelled > 0) return BatchStatus::cancelled;
  if (counts.failed == 0) return BatchStatus::completed;
  return counts.completed > 0 ? BatchStatus::completed_with_errors : BatchStatus::failed;
}

bool batch_finished(const BatchView& view) { return view.counts.pending + view.counts.running == 0; }

std::string batch_post_error(const store::BatchPost& row) {
  if (!row.post.error.empty()) return row.post.error;
  if (row.job_status == store::JobStatus::failed) return row.job_error;
  return {};
}

namespace detail {

store::Batch owned_batch(store::Database& db, const CurrentUser& user, std::int64_t batch_id) {
  auto batch = store::BatchRepository(db).find(batch_id, user.id);
  if (!batch) throw Error(ErrorCode::not_found, fmt::format("batch {} not found", batch_id));
  return *batch;
}

store::Campaign live_campaign(store::Database& db, const CurrentUser& user, std::int64_t campaign_id) {
  auto campaign = store::CampaignRepository(db).find(campaign_id, user.id);
  if (!campaign || campaign->deleted_at) {
    throw Error(ErrorCode::not_found, fmt::format("campaign {} not found", campaign_id));
  }
  return *campaign;
}

BatchView view_of(store::Database& db, const store::Batch& batch) {
  store::BatchWithCounts row{batch, store::BatchRepository(db).counts(batch.id)};
  auto campaign = store::CampaignRepository(db).find(batch.campaign_id, batch.user_id);
  return view_of(row, campaign ? campaign->name : std::string());
}

int checked_concurrency(std::optional<int> concurrency, int fallback) {
  if (!concurrency) return std::clamp(fallback, 1, k_max_concurrency);
  if (*concurrency < 1 || *concurrency > k_max_concurrency) {
    throw Error(ErrorCode::usage,
                fmt::format("--concurrency must be between 1 and {}, got {}", k_max_concurrency, *concurrency));
  }
  return *concurrency;
}

BatchView view_of(const store::BatchWithCounts& row, std::string campaign_name) {
  BatchView view;
  view.batch = row.batch;
  view.counts = row.counts;
  view.status = derive_batch_status(row.counts);
  view.campaign_name = std::move(campaign_name);
  return view;
}

} // namespace detail
} // namespace blogen::app
