#pragma once
// The durable job queue. Every state change is one short write; claiming is one atomic UPDATE, so two
// processes never take the same job, and finishing succeeds only while the caller still holds the lease.
// Kept behind this small interface so a PostgreSQL backend (FOR UPDATE SKIP LOCKED) can replace it later.

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::store {

/// Where a job is in its life.
enum class JobStatus { pending, in_progress, completed, failed, cancelled };
/// Stable lower-case name ("in_progress").
std::string_view to_string(JobStatus status);
/// Parses a status name; nullopt when unknown.
std::optional<JobStatus> parse_job_status(std::string_view text);
/// Every status name, in the enum's order (for help texts and completion).
std::vector<std::string> job_status_names();

/// One row of the jobs table.
struct Job {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string kind; ///< "generate_blog", "generate_social", ...
  std::optional<std::int64_t> post_id;
  std::optional<std::int64_t> batch_id;
  std::string payload = "{}"; ///< JSON with what the job needs beyond the post row
  JobStatus status = JobStatus::pending;
  int attempts = 0; ///< claims so far (every try counts)
  int max_attempts = 5;
  TimestampMs run_after = 0;
  std::string lease_owner;
  std::optional<TimestampMs> lease_until;
  bool cancel_requested = false;
  std::string error;
  std::string error_kind;
  std::string provider;
  std::string model;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  TimestampMs created_at = 0;
  TimestampMs updated_at = 0;
  std::optional<TimestampMs> started_at;
  std::optional<TimestampMs> finished_at;
};

/// What is needed to queue a job.
struct NewJob {
  std::int64_t user_id = 0;
  std::string kind;
  std::optional<std::int64_t> post_id;
  std::optional<std::int64_t> batch_id;
  std::string payload = "{}";
  int max_attempts = 5;
  TimestampMs run_after = 0; ///< 0: now
};

/// Which jobs a worker may claim (all fields optional; empty means any).
struct ClaimScope {
  std::vector<std::int64_t> job_ids;    ///< only these (a foreground `blog create` runs its own job)
  std::optional<std::int64_t> batch_id; ///< only this batch (a foreground `campaign run`)
  std::vector<std::string> kinds;       ///< only kinds this process can run
  std::optional<std::int64_t> user_id;  ///< only this user's jobs (a non-admin's worker)
};

/// Filters for listing jobs.
struct JobFilter {
  std::optional<std::int64_t> user_id; ///< nullopt: every user (admin views)
  std::optional<JobStatus> status;
  std::optional<std::string> kind;
  std::optional<std::int64_t> batch_id;
  std::vector<std::int64_t> ids;
  int limit = 50;
};

/// Count of jobs per status.
struct JobCounts {
  std::int64_t pending = 0, in_progress = 0, completed = 0, failed = 0, cancelled = 0;
  [[nodiscard]] std::int64_t total() const { return pending + in_progress + completed + failed + cancelled; }
};

/// Results a worker reports when a job completes.
struct JobResult {
  std::string provider;
  std::string model;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
};

/// The queue, on one connection.
class JobRepository {
public:
  explicit JobRepository(Database& db) : m_db(db) {}

  /// Queues a job; returns its id.
  std::int64_t enqueue(const NewJob& job, TimestampMs now);
  /// Atomically takes the oldest runnable job in scope: pending with run_after <= now, or in_progress with an
  /// expired lease (its process died). Sets in_progress, lease owner and expiry, and counts an attempt.
  /// A job whose attempts are used up is failed instead of claimed.
  std::optional<Job> claim(const std::string& worker_id, TimestampMs now, std::chrono::milliseconds lease,
                           const ClaimScope& scope = {});
  /// Extends the lease; false when the lease was lost (expired and taken by another worker, or cancelled).
  bool heartbeat(std::int64_t job_id, const std::string& worker_id, TimestampMs now, std::chrono::milliseconds lease);
  /// Marks completed if `worker_id` still holds the lease; false (and no change) otherwise. Call inside the
  /// WriteTransaction that also writes the job's results, so results and completion land together or not at all.
  bool complete(std::int64_t job_id, const std::string& worker_id, TimestampMs now, const JobResult& result);
  /// Marks failed (permanent) if the lease is held.
  bool fail(std::int64_t job_id, const std::string& worker_id, TimestampMs now, std::string_view error,
            std::string_view error_kind);
  /// Puts the job back to pending until `run_after` (transient failure, back-off) if the lease is held. When the
  /// job's attempts are used up it is failed instead ("gave up after N attempts: <error>").
  bool retry_later(std::int64_t job_id, const std::string& worker_id, TimestampMs now, TimestampMs run_after,
                   std::string_view error, std::string_view error_kind);
  /// Gives a claimed job back untouched (shutdown): pending, lease cleared, the attempt not counted.
  bool release(std::int64_t job_id, const std::string& worker_id, TimestampMs now);
  /// Marks cancelled if the lease is held (a running job that saw its cancel request).
  bool acknowledge_cancel(std::int64_t job_id, const std::string& worker_id, TimestampMs now);

  /// Cancels a pending job at once, or flags an in-progress one; false when the job is finished already.
  bool request_cancel(std::int64_t job_id, TimestampMs now);
  /// Cancels every pending or running job of a post (the post is being deleted). Returns how many.
  int cancel_for_post(std::int64_t post_id, TimestampMs now);
  /// Cancels every pending or running job of a batch. Returns how many.
  int cancel_for_batch(std::int64_t batch_id, TimestampMs now);
  /// Re-queues a failed or cancelled job with fresh attempts; false when it is not failed or cancelled.
  bool requeue(std::int64_t job_id, TimestampMs now);
  /// Whether a cancel was requested for a job.
  bool cancel_requested(std::int64_t job_id);

  /// One job, or nullopt.
  std::optional<Job> find(std::int64_t job_id);
  /// Jobs matching a filter, newest first.
  std::vector<Job> list(const JobFilter& filter);
  /// Counts per status for a filter (batch progress, `job watch`).
  JobCounts counts(const JobFilter& filter);
  /// The earliest run_after among pending jobs in scope (a worker sleeps until then), or nullopt when none.
  std::optional<TimestampMs> next_run_after(const ClaimScope& scope);
  /// Whether any job in scope is pending (at any run_after) or in progress: a worker told to stop when idle
  /// keeps going while this is true (a crashed process's job comes back when its lease ends).
  bool has_unfinished(const ClaimScope& scope);

private:
  Database& m_db;
};

} // namespace blogen::store
