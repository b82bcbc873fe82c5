#pragma once
// How a worker runs one kind of job. The queue is generic; the app layer registers a handler per job kind
// (generate_blog, generate_social, ...). A handler does the slow part (provider calls) outside any transaction
// and returns an outcome; the worker then records it, atomically with the lease check.

#include <blogen/core/progress.hpp>
#include <blogen/store/database.hpp>
#include <blogen/store/job_repository.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace blogen::jobs {

/// A write a job attempt leaves to the transaction that records its outcome.
using DeferredWrite = std::function<void(store::Database&)>;

/// What a handler gets: the claimed job, this thread's store connection, a stop token (shutdown or cancel),
/// a progress sink for streaming events, and the clock.
struct JobContext {
  const store::Job& job;
  store::Database& db;
  std::stop_token stop;
  ProgressSink& progress;
  Clock& clock;
  std::string worker_id;
  /// Where `defer` keeps its writes until the outcome is recorded; null: `defer` writes at once.
  std::vector<DeferredWrite>* journal = nullptr;

  /// Records what the attempt did whatever becomes of its result (the last provider call's log entry, the end of its
  /// budget reservation). A worker writes these in the transaction that records the outcome (or, when it records
  /// none, in one of their own), so a job costs one write transaction less per such write, and the log entry and
  /// the job's new state land together. Without a journal the write happens now.
  void defer(DeferredWrite write) {
    if (journal != nullptr) {
      journal->push_back(std::move(write));
      return;
    }
    store::WriteTransaction transaction(db);
    write(db);
    transaction.commit();
  }
};

/// How a job attempt ended.
enum class OutcomeKind { completed, failed, retry_later, cancelled };

/// A handler's verdict. For `completed`, `apply` writes the results; the worker calls it inside the same
/// write transaction that checks the lease and completes the job, so results land exactly once.
struct JobOutcome {
  OutcomeKind kind = OutcomeKind::completed;
  std::function<void(store::Database&)> apply;          ///< writes results (completed) or partial state (failed)
  std::string error;                                    ///< failed / retry_later
  std::string error_kind;                               ///< provider ErrorKind name or "internal"
  std::optional<std::chrono::milliseconds> retry_after; ///< retry_later: how long to wait at least
  store::JobResult result;                              ///< provider, model, tokens
  /// Runs once `apply` has committed with the job's new state: moves into place what must not appear before its
  /// result is recorded (an image), so a worker that lost its lease never overwrites the lease holder's files.
  std::function<void()> after_commit;
  /// Runs when the outcome was not recorded (lease lost, cancelled, released, saving failed): removes what
  /// `after_commit` would have moved into place.
  std::function<void()> discard;
};

/// Runs one attempt of a job.
using JobHandler = std::function<JobOutcome(JobContext&)>;

/// Handlers by job kind.
using HandlerMap = std::map<std::string, JobHandler>;

} // namespace blogen::jobs
