#pragma once
// A pool of worker threads that claim jobs from the durable queue, run their handlers and record the outcomes.
// Each thread has its own store connection; provider calls happen outside transactions; every state change is
// a short write guarded by the job's lease, so several pools (threads or processes) can share one store. Results
// that finish at the same moment are recorded together, in one transaction (src/jobs/group_commit.hpp).

#include <blogen/core/clock.hpp>
#include <blogen/core/progress.hpp>
#include <blogen/jobs/handler.hpp>
#include <blogen/store/job_repository.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

namespace blogen::jobs {

/// When a pool stops on its own (besides a stop request).
enum class StopWhen {
  stopped, ///< only on a stop request (a long-running `blogen worker`)
  idle     ///< also when nothing in scope is pending or in progress (`--until-idle`, foreground commands)
};

/// How a pool runs.
struct WorkerPoolOptions {
  int concurrency = 1;                                  ///< worker threads, each running one job at a time
  store::ClaimScope scope;                              ///< which jobs this pool may take
  StopWhen stop_when = StopWhen::stopped;               ///< see StopWhen
  std::optional<int> max_jobs;                          ///< stop after claiming this many jobs
  std::chrono::milliseconds lease{60'000};              ///< how long a claim lasts without a heartbeat
  std::chrono::milliseconds heartbeat_interval{0};      ///< lease renewal period; 0: a third of the lease
  std::chrono::milliseconds cancel_check_interval{500}; ///< how often running jobs' cancel flags are polled
  std::chrono::milliseconds poll_interval{1'000};       ///< longest idle wait before looking for work again
  std::chrono::milliseconds shutdown_grace{2'000};      ///< time handlers get to stop before their jobs are released
  std::string worker_name; ///< worker id prefix; empty: "hostname:pid" (ids are "<prefix>:thread-<n>:<random>")
};

/// What a pool did.
struct WorkerPoolSummary {
  int completed = 0;
  int failed = 0;
  int cancelled = 0;
  int retried = 0;      ///< attempts that ended in a transient failure (the job runs again later)
  int released = 0;     ///< jobs given back to the queue on shutdown
  int lost = 0;         ///< results discarded because the lease had passed to another worker
  bool stopped = false; ///< whether the pool ended because a stop was requested
  /// Attempts the pool finished one way or another.
  [[nodiscard]] int total() const { return completed + failed + cancelled + retried + released + lost; }
};

/// The pool. Construct, then call run() once.
class WorkerPool {
public:
  /// `store_path` is opened once per thread; `progress` and `clock` must outlive run() and be thread-safe.
  WorkerPool(std::filesystem::path store_path, HandlerMap handlers, ProgressSink& progress, Clock& clock,
             WorkerPoolOptions options);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  ~WorkerPool();

  /// Runs until `stop` is requested, or (StopWhen::idle) the scope has no unfinished job, or max_jobs were taken.
  /// On a stop request: claims nothing more, triggers the running handlers' stop tokens, waits up to the grace
  /// period, and releases the jobs still running so they are pending again at once. Handler exceptions fail
  /// their job; they never escape. Returns once every thread has ended.
  WorkerPoolSummary run(std::stop_token stop = {});

  /// The state one run() shares between its threads (defined in worker_pool.cpp).
  struct State;

private:
  std::filesystem::path m_store_path;
  HandlerMap m_handlers;
  ProgressSink& m_progress;
  Clock& m_clock;
  WorkerPoolOptions m_options;
};

} // namespace blogen::jobs
