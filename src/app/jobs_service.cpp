#include <blogen/app/current_user.hpp>
#include <blogen/app/job_handlers.hpp>
#include <blogen/app/jobs_service.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/paths.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace blogen::app {
namespace {

constexpr std::chrono::milliseconds k_default_lease{60'000};
constexpr int k_max_watch_jobs = 10'000;

bool finished(store::JobStatus status) {
  return status == store::JobStatus::completed || status == store::JobStatus::failed ||
         status == store::JobStatus::cancelled;
}

// The user's job, or not found: another user's job is indistinguishable from a missing one.
store::Job owned_job(Context& context, const CurrentUser& user, std::int64_t job_id) {
  auto job = store::JobRepository(context.db()).find(job_id);
  if (!job || job->user_id != user.id) throw Error(ErrorCode::not_found, fmt::format("job {} not found", job_id));
  return *job;
}

// Sleeps up to `duration`, waking early when `stop` fires; false when it fired.
bool pause(std::chrono::milliseconds duration, const std::stop_token& stop) {
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  return !cv.wait_for(lock, stop, duration, [] { return false; });
}

} // namespace

std::vector<store::Job> list_jobs(Context& context, const JobListQuery& query) {
  const CurrentUser user = query.owners == JobOwners::all_users ? require_admin(context) : require_user(context);
  store::JobFilter filter;
  if (query.owners == JobOwners::mine) filter.user_id = user.id;
  filter.status = query.status;
  filter.kind = query.kind;
  filter.limit = query.limit;
  return store::JobRepository(context.db()).list(filter);
}

store::Job get_job(Context& context, std::int64_t job_id) { return owned_job(context, require_user(context), job_id); }

JobDetails show_job(Context& context, std::int64_t job_id) {
  const CurrentUser user = require_user(context);
  JobDetails details{owned_job(context, user, job_id), {}};
  details.log = store::GenerationLogRepository(context.db()).list(user.id, job_id, 1000);
  std::reverse(details.log.begin(), details.log.end());
  return details;
}

CancelEffect cancel_job(Context& context, std::int64_t job_id) {
  const CurrentUser user = require_user(context);
  const store::Job job = owned_job(context, user, job_id);
  store::JobRepository jobs(context.db());
  if (!jobs.request_cancel(job_id, context.clock().now_ms())) {
    throw Error(ErrorCode::failed,
                fmt::format("job {} is {} already; there is nothing to cancel", job_id, store::to_string(job.status)));
  }
  const auto after = jobs.find(job_id);
  return after && after->status == store::JobStatus::cancelled ? CancelEffect::cancelled : CancelEffect::requested;
}

store::Job retry_job(Context& context, std::int64_t job_id) {
  const CurrentUser user = require_user(context);
  const store::Job job = owned_job(context, user, job_id);
  store::JobRepository jobs(context.db());
  if (!jobs.requeue(job_id, context.clock().now_ms())) {
    throw Error(ErrorCode::failed, fmt::format("job {} is {}; only failed or cancelled jobs can be retried", job_id,
                                               store::to_string(job.status)));
  }
  return jobs.find(job_id).value_or(job);
}

bool WaitResult::all_completed() const {
  return end == WaitEnd::finished && std::all_of(jobs.begin(), jobs.end(), [](const store::Job& job) {
           return job.status == store::JobStatus::completed;
         });
}

WaitResult wait_for_jobs(Context& context, const std::vector<std::int64_t>& job_ids,
                         std::optional<std::chrono::milliseconds> timeout, std::stop_token stop,
                         const JobsObserver& observer, std::chrono::milliseconds poll) {
  const CurrentUser user = require_user(context);
  for (auto id : job_ids)
    owned_job(context, user, id);
  store::JobRepository repository(context.db());
  store::JobFilter filter;
  filter.user_id = user.id;
  filter.ids = job_ids;
  filter.limit = static_cast<int>(job_ids.size());
  const auto deadline = timeout ? std::optional(std::chrono::steady_clock::now() + *timeout) : std::nullopt;

  WaitResult result;
  for (;;) {
    // One small query by primary key per poll, however long the wait.
    auto current = repository.list(filter);
    result.jobs.clear();
    for (auto id : job_ids) {
      auto it = std::find_if(current.begin(), current.end(), [&](const store::Job& job) { return job.id == id; });
      if (it == current.end()) throw Error(ErrorCode::not_found, fmt::format("job {} not found", id));
      result.jobs.push_back(*it);
    }
    if (observer) observer(result.jobs);
    if (std::all_of(result.jobs.begin(), result.jobs.end(),
                    [](const store::Job& job) { return finished(job.status); })) {
      result.end = WaitEnd::finished;
      return result;
    }
    auto wait = poll;
    if (deadline) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        result.end = WaitEnd::timed_out;
        return result;
      }
      wait = std::min(wait, left);
    }
    if (!pause(wait, stop)) {
      result.end = WaitEnd::stopped;
      return result;
    }
  }
}

std::vector<std::int64_t> resolve_watch_target(Context& context, const WatchTarget& target) {
  const CurrentUser user = require_user(context);
  store::JobRepository jobs(context.db());
  if (!target.job_ids.empty()) {
    for (auto id : target.job_ids)
      owned_job(context, user, id);
    return target.job_ids;
  }
  store::JobFilter filter;
  filter.user_id = user.id;
  filter.limit = k_max_watch_jobs;
  std::vector<std::int64_t> ids;
  if (target.batch_id) {
    filter.batch_id = target.batch_id;
    for (const auto& job : jobs.list(filter))
      ids.push_back(job.id);
    if (ids.empty()) throw Error(ErrorCode::not_found, fmt::format("batch {} not found", *target.batch_id));
  } else {
    for (auto status : {store::JobStatus::pending, store::JobStatus::in_progress}) {
      filter.status = status;
      for (const auto& job : jobs.list(filter))
        ids.push_back(job.id);
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::chrono::milliseconds default_lease() {
  const auto text = paths::env("BLOGEN_LEASE_SECONDS");
  if (!text) return k_default_lease;
  // Whole seconds from 1 to 1 hour: a lease of 0 would let every worker take every job at once, one of days would
  // keep a crashed worker's jobs hostage, and "1e300" must never reach a double-to-integer cast.
  const bool digits_only =
      !text->empty() && text->size() <= 4 &&
      std::all_of(text->begin(), text->end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
  const int seconds = digits_only ? std::stoi(*text) : 0;
  if (seconds < 1 || seconds > 3600) {
    throw Error(ErrorCode::usage, fmt::format("BLOGEN_LEASE_SECONDS: '{}' is not a whole number of seconds from 1 to "
                                              "3600; unset it for the default (60)",
                                              *text));
  }
  return std::chrono::seconds(seconds);
}

jobs::WorkerPoolSummary run_worker(Context& context, const WorkerRequest& request, ProgressSink& progress,
                                   std::stop_token stop) {
  const CurrentUser user = require_user(context);
  jobs::WorkerPoolOptions options;
  if (request.concurrency) {
    options.concurrency = *request.concurrency;
  } else {
    try {
      options.concurrency = resolve_provider_config(context, std::nullopt).max_concurrency;
    } catch (const Error&) {
      options.concurrency = 4; // a broken provider setup fails the jobs with its own message; the pool still runs
    }
  }
  options.stop_when = request.stop_when;
  options.max_jobs = request.max_jobs;
  options.lease = request.lease.value_or(default_lease());
  if (!user.is_admin) options.scope.user_id = user.id;
  jobs::WorkerPool pool(context.store_path(), job_handlers(context), progress, context.clock(), options);
  return pool.run(std::move(stop));
}

void run_job_here(Context& context, std::int64_t job_id, ProgressSink& progress, std::stop_token stop) {
  jobs::WorkerPoolOptions options;
  options.concurrency = 1;
  options.scope.job_ids = {job_id};
  options.stop_when = jobs::StopWhen::idle;
  jobs::WorkerPool pool(context.store_path(), job_handlers(context), progress, context.clock(), options);
  pool.run(std::move(stop));
}

} // namespace blogen::app
