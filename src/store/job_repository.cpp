#include "dialect.hpp"
#include "job_rows.hpp"
#include "sql.hpp"

#include <blogen/store/job_repository.hpp>

#include <array>
#include <limits>

namespace blogen::store {
namespace {

constexpr std::array<std::string_view, 5> k_status_names = {"pending", "in_progress", "completed", "failed",
                                                            "cancelled"};

// Every column of a job, in the order read_job reads them. Used by SELECT and by UPDATE ... RETURNING.
constexpr Columns k_job_columns{
    "id, user_id, kind, post_id, batch_id, payload, status, attempts, max_attempts, run_after, "
    "coalesce(lease_owner, ''), lease_until, cancel_requested, coalesce(error, ''), coalesce(error_kind, ''), "
    "provider, model, prompt_tokens, completion_tokens, created_at, updated_at, started_at, finished_at"};

Job read_job(Row& row) {
  return row.read(k_job_columns, [](Row& r) {
    Job job;
    job.id = r.get<std::int64_t>();
    job.user_id = r.get<std::int64_t>();
    job.kind = r.get<std::string>();
    job.post_id = r.get<std::optional<std::int64_t>>();
    job.batch_id = r.get<std::optional<std::int64_t>>();
    job.payload = r.get<std::string>();
    job.status = parse_job_status(r.get<std::string>()).value_or(JobStatus::failed);
    job.attempts = r.get<int>();
    job.max_attempts = r.get<int>();
    job.run_after = r.get<std::int64_t>();
    job.lease_owner = r.get<std::string>();
    job.lease_until = r.get<std::optional<std::int64_t>>();
    job.cancel_requested = r.get<bool>();
    job.error = r.get<std::string>();
    job.error_kind = r.get<std::string>();
    job.provider = r.get<std::string>();
    job.model = r.get<std::string>();
    job.prompt_tokens = r.get<std::int64_t>();
    job.completion_tokens = r.get<std::int64_t>();
    job.created_at = r.get<std::int64_t>();
    job.updated_at = r.get<std::int64_t>();
    job.started_at = r.get<std::optional<std::int64_t>>();
    job.finished_at = r.get<std::optional<std::int64_t>>();
    return job;
  });
}

Where scope_conditions(const ClaimScope& scope) {
  Where where;
  where.add_in("id", scope.job_ids);
  where.add_if("batch_id = ?", scope.batch_id);
  where.add_in("kind", scope.kinds);
  where.add_if("user_id = ?", scope.user_id);
  return where;
}

Where filter_conditions(const JobFilter& filter) {
  Where where;
  where.add_if("user_id = ?", filter.user_id);
  if (filter.status) where.add("status = ?", to_string(*filter.status));
  where.add_if("kind = ?", filter.kind);
  where.add_if("batch_id = ?", filter.batch_id);
  where.add_in("id", filter.ids);
  return where;
}

// The ids in the first column of every row (an UPDATE ... RETURNING id).
std::vector<std::int64_t> read_ids(Statement& query) {
  return all_rows(query, [](Row& row) { return row.get<std::int64_t>(); });
}

// The one place a post's status is written from its job: every state change of a job calls it in the same
// transaction, so no path (a worker, a cancel, a retry, the claim's clean-up, a shutdown) can leave a post telling
// another story than its job. Only a post's newest job speaks for it (an old job settled late must not overwrite
// a regeneration's state). A failed job's error becomes the post's; a completed job or a fresh (re)queue clears
// it; a cancel with a reason (a disabled owner) gives that reason; otherwise the post keeps its last error.
void follow_jobs(Database& db, const std::vector<std::int64_t>& job_ids, TimestampMs now) {
  if (job_ids.empty()) return;
  Where chosen;
  chosen.add_in("j.id", job_ids);
  Statement update(db, R"sql(
    UPDATE posts SET status = j.status, updated_at = ?,
      error = CASE j.status WHEN 'failed' THEN j.error
                            WHEN 'completed' THEN NULL
                            WHEN 'cancelled' THEN coalesce(j.error, posts.error)
                            WHEN 'pending' THEN CASE WHEN j.attempts = 0 THEN NULL ELSE posts.error END
                            ELSE posts.error END
    FROM jobs j
    WHERE posts.id = j.post_id AND j.id = (SELECT max(newest.id) FROM jobs newest WHERE newest.post_id = j.post_id))sql" +
                           chosen.and_conditions());
  chosen.bind(update, bind_all(update, now));
  update.exec();
}

void follow_job(Database& db, std::int64_t job_id, TimestampMs now) {
  follow_jobs(db, std::vector<std::int64_t>{job_id}, now);
}

// Runs a one-row state change guarded by the lease, and the post follows; true when exactly that row changed.
// `set_values` bind the parameters of `set_clause`, in order.
template <typename... Values>
bool leased_update(Database& db, TimestampMs now, const std::string& set_clause, std::int64_t job_id,
                   const std::string& worker_id, const Values&... set_values) {
  WriteTransaction transaction(db);
  Statement update(db,
                   "UPDATE jobs SET " + set_clause + " WHERE id = ? AND lease_owner = ? AND status = 'in_progress'");
  bind_all(update, set_values..., job_id, worker_id);
  if (update.exec() != 1) return false;
  follow_job(db, job_id, now);
  transaction.commit();
  return true;
}

} // namespace

std::string_view to_string(JobStatus status) { return k_status_names.at(static_cast<std::size_t>(status)); }

std::vector<std::string> job_status_names() { return {k_status_names.begin(), k_status_names.end()}; }

std::optional<JobStatus> parse_job_status(std::string_view text) {
  for (std::size_t i = 0; i < k_status_names.size(); ++i) {
    if (k_status_names[i] == text) return static_cast<JobStatus>(i);
  }
  return std::nullopt;
}

namespace detail {

constexpr std::string_view k_insert_job_head =
    "INSERT INTO jobs(user_id, kind, post_id, batch_id, payload, max_attempts, run_after, created_at, updated_at) ";

std::string insert_job_sql() { return std::string(k_insert_job_head) + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"; }

void bind_new_job(Statement& insert, const NewJob& job, TimestampMs now) {
  bind_all(insert, job.user_id, job.kind, job.post_id, job.batch_id, job.payload,
           job.max_attempts < 1 ? 1 : job.max_attempts, job.run_after == 0 ? now : job.run_after, now, now);
}

void insert_jobs_for_batch_posts(Database& db, const NewJob& job, std::int64_t batch_id, std::int64_t after_post,
                                 TimestampMs now) {
  Statement insert(db, std::string(k_insert_job_head) +
                           "SELECT ?, ?, id, batch_id, ?, ?, ?, ?, ? FROM posts WHERE batch_id = ? AND id > ? "
                           "ORDER BY id");
  bind_all(insert, job.user_id, job.kind, job.payload, job.max_attempts < 1 ? 1 : job.max_attempts,
           job.run_after == 0 ? now : job.run_after, now, now, batch_id, after_post);
  insert.exec();
}

} // namespace detail

std::int64_t JobRepository::enqueue(const NewJob& job, TimestampMs now) {
  Statement insert(m_db, detail::insert_job_sql());
  WriteTransaction transaction(m_db);
  detail::bind_new_job(insert, job, now);
  insert.exec();
  const std::int64_t id = dialect::last_insert_id(m_db);
  follow_job(m_db, id, now);
  transaction.commit();
  return id;
}

namespace {

// The next job a claim looks at, and whether it must be settled (cancelled or failed) instead of run.
struct Candidate {
  std::int64_t id = 0;
  TimestampMs run_after = 0;
  bool settle = false;
};

// The oldest job in scope of one status, through the jobs_claim index (or jobs_batch_due for a batch) in its order:
// O(log N), never a scan or a sort of every due job. `due` is the status's own condition on `?1` (now).
std::optional<Candidate> probe(Database& db, std::string_view status, std::string_view due, TimestampMs now,
                               const Where& in_scope) {
  Statement query(db, "SELECT id, run_after, cancel_requested = 1 OR attempts >= max_attempts OR "
                      "NOT EXISTS (SELECT 1 FROM users u WHERE u.id = jobs.user_id AND u.disabled = 0) "
                      "FROM jobs WHERE status = '" +
                          std::string(status) + "' AND " + std::string(due) + in_scope.and_conditions() +
                          " ORDER BY run_after, id LIMIT 1");
  in_scope.bind(query, bind_all(query, now));
  return first_row(query, [](Row& row) {
    Candidate candidate;
    candidate.id = row.get<std::int64_t>();
    candidate.run_after = row.get<std::int64_t>();
    candidate.settle = row.get<bool>();
    return candidate;
  });
}

// Which runnable job comes first, by (run_after, id): a pending one that is due, or a running one whose lease ran
// out (its process died). Two probes instead of one OR, because the OR made SQLite visit and sort every due job.
// Running jobs are few (the workers alive), so the second probe stays short.
std::optional<Candidate> next_candidate(Database& db, TimestampMs now, const Where& in_scope) {
  auto pending = probe(db, "pending", "run_after <= ?1", now, in_scope);
  auto expired = probe(db, "in_progress", "lease_until < ?1", now, in_scope);
  if (!pending) return expired;
  if (!expired) return pending;
  const auto key = [](const Candidate& c) { return std::pair(c.run_after, c.id); };
  return key(*expired) < key(*pending) ? expired : pending;
}

// Settles a job that cannot run any more: a cancel request whose process died (or came back with it) cancels it;
// an owner disabled or deleted since it was queued cancels it, saying why; used-up attempts (each crash counted
// one) fail it, keeping its last error. The first that applies wins.
void settle(Database& db, std::int64_t job_id, TimestampMs now) {
  static constexpr std::string_view k_runnable =
      " AND id = ?2 AND ((status = 'in_progress' AND lease_until < ?1) OR status = 'pending')";
  Statement cancelled(db, R"sql(
    UPDATE jobs SET status = 'cancelled', lease_owner = NULL, lease_until = NULL, finished_at = ?1, updated_at = ?1
    WHERE cancel_requested = 1)sql" +
                              std::string(k_runnable));
  bind_all(cancelled, now, job_id);
  if (cancelled.exec() == 0) {
    Statement owner_gone(db, R"sql(
      UPDATE jobs SET status = 'cancelled', lease_owner = NULL, lease_until = NULL, finished_at = ?1, updated_at = ?1,
        error_kind = 'owner_disabled',
        error = 'cancelled: the account that queued it is disabled or deleted'
      WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = jobs.user_id AND u.disabled = 0))sql" +
                                 std::string(k_runnable));
    bind_all(owner_gone, now, job_id);
    if (owner_gone.exec() == 0) {
      Statement give_up(db, R"sql(
        UPDATE jobs SET status = 'failed', lease_owner = NULL, lease_until = NULL, finished_at = ?1, updated_at = ?1,
          error_kind = coalesce(nullif(error_kind, ''), 'attempts_exhausted'),
          error = 'gave up after ' || attempts || ' attempts' ||
                  CASE WHEN coalesce(error, '') = '' THEN ' (the worker running it stopped before finishing)'
                       ELSE ': ' || error END
        WHERE attempts >= max_attempts)sql" +
                                std::string(k_runnable));
      bind_all(give_up, now, job_id);
      give_up.exec();
    }
  }
  follow_job(db, job_id, now);
}

} // namespace

namespace {

// PostgreSQL: the jobs a claim cannot take in one statement, set right first. A running job whose lease ended (its
// process died) goes back to pending, or is settled when it cannot run any more; a pending job whose owner was
// disabled is cancelled. Both are rare, and both are found through indexes (few jobs run at once; few accounts are
// disabled), so the check costs one read per claim and the writer turn only when there is something to do.
// `everything_due` also looks at every due pending job for one that cannot run (a cancel requested while it ran,
// used-up attempts): a scan of the due pending jobs, so only when a claim found nothing, when those are the few the
// claim skipped. Returns whether it changed a job.
bool settle_stranded(Database& db, TimestampMs now, const Where& in_scope, bool everything_due) {
  std::string stranded = "(SELECT id FROM jobs WHERE status = 'in_progress' AND lease_until < ?" +
                         in_scope.and_conditions() +
                         " LIMIT 100) UNION ALL (SELECT id FROM jobs WHERE status = 'pending' AND user_id IN "
                         "(SELECT id FROM users WHERE disabled <> 0)" +
                         in_scope.and_conditions() + " LIMIT 100)";
  if (everything_due) {
    stranded += " UNION ALL (SELECT id FROM jobs WHERE status = 'pending' AND run_after <= ? AND (cancel_requested "
                "<> 0 OR attempts >= max_attempts)" +
                in_scope.and_conditions() + " LIMIT 100)";
  }
  const auto find = [&] {
    Statement query(db, stranded);
    int next = in_scope.bind(query, in_scope.bind(query, bind_all(query, now)));
    if (everything_due) in_scope.bind(query, bind_from(query, next, now));
    return read_ids(query);
  };
  if (find().empty()) return false;
  WriteTransaction transaction(db);
  bool changed = false;
  for (const std::int64_t id : find()) { // again inside the turn: another host may have settled them meanwhile
    Statement check(db, "SELECT cancel_requested = 1 OR attempts >= max_attempts OR NOT EXISTS (SELECT 1 FROM users "
                        "u WHERE u.id = jobs.user_id AND u.disabled = 0) FROM jobs WHERE id = ?");
    bind_all(check, id);
    if (!check.executeStep()) continue;
    if (check.getColumn(0).getInt() != 0) {
      settle(db, id, now);
      changed = true;
      continue;
    }
    Statement requeue(db, "UPDATE jobs SET status = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = ? "
                          "WHERE id = ? AND status = 'in_progress' AND lease_until < ?");
    bind_all(requeue, now, id, now);
    if (requeue.exec() > 0) {
      follow_job(db, id, now);
      changed = true;
    }
  }
  transaction.commit();
  return changed;
}

// PostgreSQL: the claim is one statement. The subquery picks the oldest due job that can run, skipping rows other
// claims hold locked, and locks it; the UPDATE takes it. Claims on every host run side by side under row locks only.
std::optional<Job> take_next(Database& db, const std::string& worker_id, TimestampMs now,
                             std::chrono::milliseconds lease, const Where& in_scope) {
  WriteTransaction transaction(db, WriterTurn::rows_only);
  Statement take(db, R"sql(
    UPDATE jobs SET status = 'in_progress', lease_owner = ?, lease_until = ?, attempts = attempts + 1,
      started_at = coalesce(started_at, ?), updated_at = ?
    WHERE id = (SELECT id FROM jobs WHERE status = 'pending' AND run_after <= ? AND cancel_requested = 0
      AND attempts < max_attempts
      AND EXISTS (SELECT 1 FROM users u WHERE u.id = jobs.user_id AND u.disabled = 0))sql" +
                         in_scope.and_conditions() + " ORDER BY run_after, id LIMIT 1" +
                         dialect::lock_skipping_locked(db) + ")" + dialect::returning(k_job_columns.text()));
  in_scope.bind(take, bind_all(take, worker_id, now + lease.count(), now, now, now));
  std::optional<Job> claimed = first_row(take, read_job);
  if (claimed) follow_job(db, claimed->id, now);
  transaction.commit();
  return claimed;
}

// PostgreSQL's claim: stranded jobs set right, then one statement.
std::optional<Job> claim_skipping_locked(Database& db, const std::string& worker_id, TimestampMs now,
                                         std::chrono::milliseconds lease, const Where& in_scope) {
  settle_stranded(db, now, in_scope, false);
  std::optional<Job> claimed = take_next(db, worker_id, now, lease, in_scope);
  // Nothing to take: a due job the claim skipped may be one that can never run (a cancel requested while it ran);
  // settle those, and try once more if that freed anything.
  if (!claimed && settle_stranded(db, now, in_scope, true)) claimed = take_next(db, worker_id, now, lease, in_scope);
  return claimed;
}

} // namespace

std::optional<Job> JobRepository::claim(const std::string& worker_id, TimestampMs now, std::chrono::milliseconds lease,
                                        const ClaimScope& scope) {
  const Where in_scope = scope_conditions(scope);
  if (dialect::claims_by_row_locks(m_db)) return claim_skipping_locked(m_db, worker_id, now, lease, in_scope);
  WriteTransaction transaction(m_db);
  std::optional<Job> claimed;
  // Jobs that cannot run any more are settled as the claim meets them, oldest first, so the clean-up costs what it
  // settles instead of a scan of every pending job per claim. Each settled job leaves both probes: the loop ends.
  while (const auto candidate = next_candidate(m_db, now, in_scope)) {
    if (candidate->settle) {
      settle(m_db, candidate->id, now);
      continue;
    }
    // The write transaction holds the store's write lock since the probe, so no other connection took it since.
    Statement take(m_db, R"sql(
      UPDATE jobs SET status = 'in_progress', lease_owner = ?1, lease_until = ?2, attempts = attempts + 1,
        started_at = coalesce(started_at, ?3), updated_at = ?3
      WHERE id = ?4)sql" + dialect::returning(k_job_columns.text()));
    bind_all(take, worker_id, now + lease.count(), now, candidate->id);
    claimed = first_row(take, read_job);
    if (claimed) follow_job(m_db, claimed->id, now);
    break;
  }
  transaction.commit();
  return claimed;
}

bool JobRepository::heartbeat(std::int64_t job_id, const std::string& worker_id, TimestampMs now,
                              std::chrono::milliseconds lease) {
  // A heartbeat changes no status, so no post follows: a plain guarded update.
  Statement update(m_db, "UPDATE jobs SET lease_until = ?, updated_at = ? "
                         "WHERE id = ? AND lease_owner = ? AND status = 'in_progress'");
  bind_all(update, now + lease.count(), now, job_id, worker_id);
  return update.exec() == 1;
}

bool JobRepository::complete(std::int64_t job_id, const std::string& worker_id, TimestampMs now,
                             const JobResult& result) {
  // A cancel request wins over a result that arrives after it: the job is not completed, the caller cancels.
  WriteTransaction transaction(m_db);
  Statement update(m_db, R"sql(
    UPDATE jobs SET status = 'completed', lease_owner = NULL, lease_until = NULL, finished_at = ?1, updated_at = ?1,
      error = NULL, error_kind = NULL, provider = ?2, model = ?3, prompt_tokens = ?4, completion_tokens = ?5
    WHERE id = ?6 AND lease_owner = ?7 AND status = 'in_progress' AND cancel_requested = 0)sql");
  bind_all(update, now, result.provider, result.model, result.prompt_tokens, result.completion_tokens, job_id,
           worker_id);
  if (update.exec() != 1) return false;
  follow_job(m_db, job_id, now);
  transaction.commit();
  return true;
}

bool JobRepository::fail(std::int64_t job_id, const std::string& worker_id, TimestampMs now, std::string_view error,
                         std::string_view error_kind) {
  return leased_update(m_db, now,
                       "status = 'failed', lease_owner = NULL, lease_until = NULL, finished_at = ?, updated_at = ?, "
                       "error = ?, error_kind = ?",
                       job_id, worker_id, now, now, error, error_kind);
}

bool JobRepository::retry_later(std::int64_t job_id, const std::string& worker_id, TimestampMs now,
                                TimestampMs run_after, std::string_view error, std::string_view error_kind) {
  return leased_update(
      m_db, now,
      "lease_owner = NULL, lease_until = NULL, updated_at = ?1, run_after = ?2, error_kind = ?4, "
      "status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END, "
      "finished_at = CASE WHEN attempts >= max_attempts THEN ?1 ELSE NULL END, "
      "error = CASE WHEN attempts >= max_attempts THEN 'gave up after ' || attempts || ' attempts: ' || ?3 ELSE ?3 END",
      job_id, worker_id, now, run_after, error, error_kind);
}

bool JobRepository::release(std::int64_t job_id, const std::string& worker_id, TimestampMs now) {
  return leased_update(m_db, now,
                       "status = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = ?, "
                       "attempts = " +
                           dialect::greatest(m_db, "attempts - 1", "0") +
                           ", run_after = " + dialect::least(m_db, "run_after", "?"),
                       job_id, worker_id, now, now);
}

bool JobRepository::acknowledge_cancel(std::int64_t job_id, const std::string& worker_id, TimestampMs now) {
  return leased_update(m_db, now,
                       "status = 'cancelled', lease_owner = NULL, lease_until = NULL, finished_at = ?, updated_at = ?",
                       job_id, worker_id, now, now);
}

namespace {

// Cancels pending jobs at once and flags running ones, for the rows chosen by `where`.
int cancel_where(Database& db, const std::string& where, std::int64_t value, TimestampMs now) {
  WriteTransaction transaction(db);
  Statement update(db, R"sql(
    UPDATE jobs SET
      cancel_requested = CASE WHEN status = 'in_progress' THEN 1 ELSE cancel_requested END,
      finished_at = CASE WHEN status = 'pending' THEN ?1 ELSE finished_at END,
      status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END,
      updated_at = ?1
    WHERE status IN ('pending', 'in_progress') AND )sql" +
                           where + dialect::returning("id"));
  bind_all(update, now, value);
  const auto ids = read_ids(update);
  follow_jobs(db, ids, now); // a running job's post stays in progress until its worker acknowledges the cancel
  transaction.commit();
  return static_cast<int>(ids.size());
}

} // namespace

bool JobRepository::request_cancel(std::int64_t job_id, TimestampMs now) {
  return cancel_where(m_db, "id = ?2", job_id, now) == 1;
}

int JobRepository::cancel_for_post(std::int64_t post_id, TimestampMs now) {
  return cancel_where(m_db, "post_id = ?2", post_id, now);
}

int JobRepository::cancel_for_batch(std::int64_t batch_id, TimestampMs now) {
  return cancel_where(m_db, "batch_id = ?2", batch_id, now);
}

bool JobRepository::requeue(std::int64_t job_id, TimestampMs now) {
  Statement update(m_db, R"sql(
    UPDATE jobs SET status = 'pending', attempts = 0, run_after = ?1, updated_at = ?1, cancel_requested = 0,
      lease_owner = NULL, lease_until = NULL, error = NULL, error_kind = NULL, started_at = NULL, finished_at = NULL
    WHERE id = ?2 AND status IN ('failed', 'cancelled'))sql");
  WriteTransaction transaction(m_db);
  bind_all(update, now, job_id);
  if (update.exec() != 1) return false;
  follow_job(m_db, job_id, now);
  transaction.commit();
  return true;
}

bool JobRepository::cancel_requested(std::int64_t job_id) {
  Statement query(m_db, "SELECT cancel_requested FROM jobs WHERE id = ?");
  bind_all(query, job_id);
  return query.executeStep() && Row(query).get<bool>();
}

std::optional<Job> JobRepository::find(std::int64_t job_id) {
  Statement query(m_db, "SELECT " + k_job_columns.text() + " FROM jobs WHERE id = ?");
  bind_all(query, job_id);
  return first_row(query, read_job);
}

std::vector<Job> JobRepository::list(const JobFilter& filter) {
  const Where where = filter_conditions(filter);
  Statement query(m_db, "SELECT " + k_job_columns.text() + " FROM jobs" + where.clause() + " ORDER BY id DESC LIMIT ?");
  // No limit: the largest integer, which both engines take (PostgreSQL refuses SQLite's LIMIT -1).
  bind_from(query, where.bind(query),
            filter.limit > 0 ? std::int64_t{filter.limit} : std::numeric_limits<std::int64_t>::max());
  return all_rows(query, read_job);
}

JobCounts JobRepository::counts(const JobFilter& filter) {
  const Where where = filter_conditions(filter);
  Statement query(m_db, "SELECT status, count(*) FROM jobs" + where.clause() + " GROUP BY status");
  where.bind(query);
  JobCounts counts;
  while (query.executeStep()) {
    Row row(query);
    const auto status = parse_job_status(row.get<std::string>()).value_or(JobStatus::failed);
    const auto n = row.get<std::int64_t>();
    switch (status) {
    case JobStatus::pending:
      counts.pending += n;
      break;
    case JobStatus::in_progress:
      counts.in_progress += n;
      break;
    case JobStatus::completed:
      counts.completed += n;
      break;
    case JobStatus::failed:
      counts.failed += n;
      break;
    case JobStatus::cancelled:
      counts.cancelled += n;
      break;
    }
  }
  return counts;
}

std::optional<TimestampMs> JobRepository::next_run_after(const ClaimScope& scope) {
  const Where in_scope = scope_conditions(scope);
  Statement query(m_db, "SELECT min(run_after) FROM jobs WHERE status = 'pending'" + in_scope.and_conditions());
  in_scope.bind(query);
  return single_value<std::optional<TimestampMs>>(query);
}

bool JobRepository::has_unfinished(const ClaimScope& scope) {
  const Where in_scope = scope_conditions(scope);
  Statement query(m_db, "SELECT EXISTS (SELECT 1 FROM jobs WHERE status IN ('pending', 'in_progress')" +
                            in_scope.and_conditions() + ")");
  in_scope.bind(query);
  return single_value<bool>(query);
}

} // namespace blogen::store
