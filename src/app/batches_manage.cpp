#include "batches_common.hpp"

#include <blogen/app/costs.hpp>
#include <blogen/core/error.hpp>
#include <blogen/store/job_repository.hpp>
#include <blogen/store/post_repository.hpp>

#include <fmt/format.h>

namespace blogen::app {

BatchView get_batch(Context& context, std::int64_t batch_id) {
  const CurrentUser user = require_user(context);
  return detail::view_of(context.db(), detail::owned_batch(context.db(), user, batch_id));
}

std::vector<store::BatchPost> batch_posts(Context& context, std::int64_t batch_id) {
  const CurrentUser user = require_user(context);
  const store::Batch batch = detail::owned_batch(context.db(), user, batch_id);
  return store::BatchRepository(context.db()).posts(batch.id);
}

std::optional<std::string> batch_provider(Context& context, std::int64_t batch_id) {
  const CurrentUser user = require_user(context);
  const store::Batch batch = detail::owned_batch(context.db(), user, batch_id);
  // start_batch gives every post of a batch the same provider, so one post tells.
  store::PostFilter filter;
  filter.user_id = user.id;
  filter.batch_id = batch.id;
  filter.deleted = store::DeletedFilter::include;
  filter.limit = 1;
  const auto posts = store::PostRepository(context.db()).list(filter);
  if (posts.empty() || posts.front().provider.empty()) return std::nullopt;
  return posts.front().provider;
}

std::vector<BatchView> campaign_batches(Context& context, std::int64_t campaign_id) {
  const CurrentUser user = require_user(context);
  const store::Campaign campaign = detail::live_campaign(context.db(), user, campaign_id);
  std::vector<BatchView> views;
  for (const auto& row : store::BatchRepository(context.db()).list_for_campaign(campaign.id, user.id)) {
    views.push_back(detail::view_of(row, campaign.name));
  }
  return views;
}

RetriedBatch retry_batch(Context& context, std::int64_t batch_id, std::optional<int> concurrency,
                         const std::optional<std::string>& max_cost) {
  const CurrentUser user = require_user(context);
  store::Database& db = context.db();
  const store::Batch batch = detail::owned_batch(db, user, batch_id);
  (void)detail::live_campaign(db, user, batch.campaign_id); // a deleted campaign's batches stay stopped
  RetriedBatch retried;
  retried.concurrency = detail::checked_concurrency(concurrency, batch.concurrency);
  std::optional<std::int64_t> budget;
  if (max_cost) budget = parse_usd(*max_cost, "--max-cost");

  store::BatchRepository batches(db);
  const TimestampMs now = context.clock().now_ms();
  store::WriteTransaction transaction(db);
  store::JobRepository jobs(db);
  if (budget) store::CostRepository(db).set_batch_budget(batch.id, budget); // a raised budget lets the run resume
  for (const store::BatchPost& row : batches.posts(batch.id)) {
    if (!row.job_id || row.job_status != store::JobStatus::failed) continue;
    // The post follows its job back to pending. The caption (if one landed) stays; the handler sees it and redoes
    // only what is missing.
    if (jobs.requeue(*row.job_id, now)) ++retried.requeued;
  }
  transaction.commit();
  retried.view = detail::view_of(db, batch);
  return retried;
}

CancelledBatch cancel_batch(Context& context, std::int64_t batch_id) {
  const CurrentUser user = require_user(context);
  store::Database& db = context.db();
  const store::Batch batch = detail::owned_batch(db, user, batch_id);
  const TimestampMs now = context.clock().now_ms();
  CancelledBatch cancelled;
  store::WriteTransaction transaction(db);
  cancelled.cancelled = store::JobRepository(db).cancel_for_batch(batch.id, now);
  store::BatchRepository(db).mark_cancelled(batch.id, now);
  transaction.commit();
  cancelled.view = detail::view_of(db, *store::BatchRepository(db).find(batch.id, user.id));
  return cancelled;
}

} // namespace blogen::app
