#pragma once
// Batch use cases: start a campaign run (validate the whole input, then store the batch, its posts and their jobs
// in one transaction), run a batch's jobs in this process, show, list, retry, cancel and export. Every one resolves
// the logged-in user first; another user's campaign or batch is Error{not_found} and nothing is written.

#include <blogen/app/batch_input.hpp>
#include <blogen/app/budgets.hpp>
#include <blogen/app/context.hpp>
#include <blogen/app/social_generation.hpp>
#include <blogen/core/progress.hpp>
#include <blogen/jobs/worker_pool.hpp>
#include <blogen/store/batch_repository.hpp>
#include <blogen/store/campaign_repository.hpp>

#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::app {

/// Most worker threads one run may use.
constexpr int k_max_concurrency = 64;

/// Where a batch stands, derived from the counts of its jobs (never stored).
enum class BatchStatus { pending, running, completed, completed_with_errors, failed, cancelled };
/// Stable lower-case name ("completed_with_errors").
std::string_view to_string(BatchStatus status);
/// pending: nothing started; running: work left and some started or done; once nothing is left: cancelled when
/// any job was cancelled, completed when none failed, completed_with_errors when some did, failed when all did.
BatchStatus derive_batch_status(const store::BatchCounts& counts);

/// A batch as shown: its row, counts, derived status and campaign name.
struct BatchView {
  store::Batch batch;
  store::BatchCounts counts;
  BatchStatus status = BatchStatus::pending;
  std::string campaign_name;
};

/// Whether a batch has no queued or running posts left.
bool batch_finished(const BatchView& view);
/// A batch post's error, or (for a job that failed before its handler could say why) the job's; "" when none.
std::string batch_post_error(const store::BatchPost& row);

/// What `campaign run` asks for. Exactly one source: `file` (a path or "-" for stdin), `topics`, or `count`.
struct StartBatchRequest {
  std::int64_t campaign_id = 0;
  std::optional<std::string> file;
  std::vector<std::string> topics;
  std::optional<int> count;
  std::optional<std::string> name;
  std::optional<std::string> platform;
  std::optional<std::string> provider;
  std::optional<std::string> model;
  std::optional<int> concurrency;
  Images images = Images::no;
  std::optional<std::string> max_cost; ///< USD this run may spend at most (--max-cost), as typed
};

/// A stored batch and how many workers a foreground run should use.
struct StartedBatch {
  BatchView view;
  int concurrency = 1;
};

/// Validates everything (flags: Error{usage}; input rows: Error{bad_input} naming file, line, field), then stores
/// the batch, one pending social post per row (tone, audience and brand from the row, else the campaign; platform
/// from the row, else `--platform`) and one generate_social job per post, all in one transaction.
StartedBatch start_batch(Context& context, const StartBatchRequest& request);
/// `campaign run --dry-run`: the calls the whole input would take (a caption each, and an image each with images),
/// their tokens, cost and wall time with the run's workers. Checks exactly what start_batch checks; writes nothing.
RunEstimate estimate_batch(Context& context, const StartBatchRequest& request);

/// How a foreground run ended.
struct BatchRun {
  BatchView view;
  jobs::WorkerPoolSummary summary;
  bool interrupted = false; ///< a stop was requested; unfinished jobs were given back and stay queued
};

/// Runs the batch's queued jobs in this process with `concurrency` worker threads until none is left or `stop`
/// is requested, reporting to `progress`.
BatchRun run_batch(Context& context, std::int64_t batch_id, int concurrency, ProgressSink& progress,
                   std::stop_token stop);

/// The user's batch; Error{not_found} otherwise.
BatchView get_batch(Context& context, std::int64_t batch_id);
/// The posts of the user's batch, each with its job.
std::vector<store::BatchPost> batch_posts(Context& context, std::int64_t batch_id);
/// The provider a batch's posts were queued with (`campaign run --provider`), or nullopt for the one in use.
std::optional<std::string> batch_provider(Context& context, std::int64_t batch_id);
/// The batches of the user's live campaign, newest first.
std::vector<BatchView> campaign_batches(Context& context, std::int64_t campaign_id);

/// What `batch retry` did.
struct RetriedBatch {
  BatchView view;
  int requeued = 0;    ///< failed jobs queued again
  int concurrency = 1; ///< workers a foreground run should use
};
/// Queues the batch's failed jobs again (fresh attempts; their posts pending, errors cleared), in one transaction.
/// Posts whose caption landed and only the image failed redo only the image. The campaign must be live.
RetriedBatch retry_batch(Context& context, std::int64_t batch_id, std::optional<int> concurrency,
                         const std::optional<std::string>& max_cost = std::nullopt);

/// What `batch cancel` did.
struct CancelledBatch {
  BatchView view;
  int cancelled = 0; ///< jobs cancelled (pending at once, running ones when their worker notices)
};
/// Cancels the batch's pending and running jobs and marks its waiting posts cancelled.
CancelledBatch cancel_batch(Context& context, std::int64_t batch_id);

/// Formats of `batch export`.
enum class BatchExportFormat { csv, json };
/// Every post of the user's batch as CSV (header row; cells quoted as needed and neutralised against spreadsheet
/// formulas) or a JSON array: id, topic, platform, caption, hashtags, image path, status, error.
std::string export_batch(Context& context, std::int64_t batch_id, BatchExportFormat format);

} // namespace blogen::app
