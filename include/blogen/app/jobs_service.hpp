#pragma once
// Use cases for jobs: list, show, wait, watch, cancel, retry, and running a worker. Every function resolves the
// logged-in user first; a user sees only their own jobs (another user's job is "not found", exit 3).

#include <blogen/app/context.hpp>
#include <blogen/core/progress.hpp>
#include <blogen/jobs/worker_pool.hpp>
#include <blogen/store/generation_log_repository.hpp>
#include <blogen/store/job_repository.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace blogen::app {

/// Whose jobs a listing covers.
enum class JobOwners {
  mine,     ///< the logged-in user's
  all_users ///< everyone's (admin only)
};

/// `job list` filters.
struct JobListQuery {
  std::optional<store::JobStatus> status;
  std::optional<std::string> kind;
  int limit = 50;
  JobOwners owners = JobOwners::mine;
};

/// Jobs newest first. Throws Error{auth} for JobOwners::all_users when the user is not an admin.
std::vector<store::Job> list_jobs(Context& context, const JobListQuery& query);

/// A job with the provider calls made for it.
struct JobDetails {
  store::Job job;
  std::vector<store::GenerationLogEntry> log; ///< oldest first
};

/// One of the user's jobs; Error{not_found} otherwise.
store::Job get_job(Context& context, std::int64_t job_id);
/// One of the user's jobs with its generation log; Error{not_found} otherwise.
JobDetails show_job(Context& context, std::int64_t job_id);

/// What `cancel_job` did.
enum class CancelEffect {
  cancelled, ///< it was pending: cancelled at once
  requested  ///< it is running: its worker stops at its next check and discards the result
};

/// Cancels one of the user's jobs. Throws Error{failed} when it has finished already.
CancelEffect cancel_job(Context& context, std::int64_t job_id);

/// Re-queues one of the user's failed or cancelled jobs with fresh attempts; returns it as queued.
/// Throws Error{failed} when the job is not failed or cancelled.
store::Job retry_job(Context& context, std::int64_t job_id);

/// How waiting ended.
enum class WaitEnd {
  finished,  ///< every job is completed, failed or cancelled
  timed_out, ///< the timeout passed first
  stopped    ///< the stop token fired (Ctrl-C)
};

/// The result of waiting for jobs.
struct WaitResult {
  WaitEnd end = WaitEnd::finished;
  std::vector<store::Job> jobs; ///< as last seen, in the order asked for
  /// Whether every job completed.
  [[nodiscard]] bool all_completed() const;
};

/// Called after each poll with the jobs as they are now.
using JobsObserver = std::function<void(const std::vector<store::Job>& jobs)>;

/// Polls the user's jobs (one small query every `poll` interval) until all are finished, `timeout` passes or `stop`
/// fires. Checks ownership first: Error{not_found} for a job that is missing or another user's.
WaitResult wait_for_jobs(Context& context, const std::vector<std::int64_t>& job_ids,
                         std::optional<std::chrono::milliseconds> timeout, std::stop_token stop,
                         const JobsObserver& observer = {},
                         std::chrono::milliseconds poll = std::chrono::milliseconds(250));

/// Which jobs `job watch` follows.
struct WatchTarget {
  std::vector<std::int64_t> job_ids;    ///< these jobs
  std::optional<std::int64_t> batch_id; ///< or every job of this batch
  /// Neither: the user's jobs that are pending or in progress when watching starts.
};

/// Resolves a watch target to job ids the user owns (Error{not_found} for foreign or missing ones, or a batch
/// without jobs of this user). Empty when there is nothing unfinished to watch.
std::vector<std::int64_t> resolve_watch_target(Context& context, const WatchTarget& target);

/// When a worker returns: when stopped (Ctrl-C), or also once nothing is left to do (`--until-idle`).
using StopWhen = jobs::StopWhen;

/// The `worker` command's settings.
struct WorkerRequest {
  std::optional<int> concurrency; ///< default: the default provider's max_concurrency
  jobs::StopWhen stop_when = jobs::StopWhen::stopped;
  std::optional<int> max_jobs;
  std::optional<std::chrono::milliseconds> lease; ///< default: $BLOGEN_LEASE_SECONDS, else 60 s
};

/// Runs a worker pool in this process with every handler this build has. An admin's worker takes every user's jobs;
/// anyone else's takes only their own. Returns when stopped, idle (StopWhen::idle) or after max_jobs.
jobs::WorkerPoolSummary run_worker(Context& context, const WorkerRequest& request, ProgressSink& progress,
                                   std::stop_token stop);

/// Runs one queued job in this process, as `blog create` without --detach does, and returns once it is finished
/// (also when a worker elsewhere ran it) or `stop` fired; the job's result is then read with get_job.
void run_job_here(Context& context, std::int64_t job_id, ProgressSink& progress, std::stop_token stop);

/// The lease a worker uses: `BLOGEN_LEASE_SECONDS` when set (tests shorten it to see crash recovery), else 60 s.
/// Throws Error{usage} naming the variable unless it holds whole seconds from 1 to 3600.
std::chrono::milliseconds default_lease();

} // namespace blogen::app
