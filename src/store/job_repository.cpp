#include "connection.hpp"

#include <blogen/store/job_repository.hpp>

#include <array>
#include <functional>

namespace blogen::store {
namespace {

constexpr std::array<std::string_view, 5> k_status_names = {"pending", "in_progress", "completed", "failed",
                                                            "cancelled"};

// Every column of a job, in the order read_job expects. Used by SELECT and by UPDATE ... RETURNING.
constexpr const char* k_job_columns =
    "id, user_id, kind, post_id, batch_id, payload, status, attempts, max_attempts, run_after, "
    "coalesce(lease_owner, ''), lease_until, cancel_requested, coalesce(error, ''), coalesce(error_kind, ''), "
    "provider, model, prompt_tokens, completion_tokens, created_at, updated_at, started_at, finished_at";

std::optional<std::int64_t> optional_int(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

Job read_job(SQLite::Statement& row) {
  Job job;
  job.id = row.getColumn(0).getInt64();
  job.user_id = row.getColumn(1).getInt64();
  job.kind = row.getColumn(2).getString();
  job.post_id = optional_int(row.getColumn(3));
  job.batch_id = optional_int(row.getColumn(4));
  job.payload = row.getColumn(5).getString();
  job.status = parse_job_status(row.getColumn(6).getString()).value_or(JobStatus::failed);
  job.attempts = row.getColumn(7).getInt();
  job.max_attempts = row.getColumn(8).getInt();
  job.run_after = row.getColumn(9).getInt64();
  job.lease_owner = row.getColumn(10).getString();
  job.lease_until = optional_int(row.getColumn(11));
  job.cancel_requested = row.getColumn(12).getInt() != 0;
  job.error = row.getColumn(13).getString();
  job.error_kind = row.getColumn(14).getString();
  job.provider = row.getColumn(15).getString();
  job.model = row.getColumn(16).getString();
  job.prompt_tokens = row.getColumn(17).getInt64();
  job.completion_tokens = row.getColumn(18).getInt64();
  job.created_at = row.getColumn(19).getInt64();
  job.updated_at = row.getColumn(20).getInt64();
  job.started_at = optional_int(row.getColumn(21));
  job.finished_at = optional_int(row.getColumn(22));
  return job;
}

// A WHERE fragment with positional parameters and the values to bind to them, built from optional filters.
class Conditions {
public:
  void add(std::string condition, std::function<void(SQLite::Statement&, int)> bind_one = {}) {
    m_sql += " AND " + std::move(condition);
    if (bind_one) m_binders.push_back(std::move(bind_one));
  }
  void add_in(const std::string& column, const std::vector<std::int64_t>& values) {
    if (values.empty()) return;
    std::string list;
    for (std::size_t i = 0; i < values.size(); ++i) {
      list += i == 0 ? "?" : ", ?";
      m_binders.push_back([value = values[i]](SQLite::Statement& s, int index) { s.bind(index, value); });
    }
    m_sql += " AND " + column + " IN (" + list + ")";
  }
  void add_in(const std::string& column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    std::string list;
    for (std::size_t i = 0; i < values.size(); ++i) {
      list += i == 0 ? "?" : ", ?";
      m_binders.push_back([value = values[i]](SQLite::Statement& s, int index) { s.bind(index, value); });
    }
    m_sql += " AND " + column + " IN (" + list + ")";
  }
  [[nodiscard]] const std::string& sql() const { return m_sql; }
  // Binds the fragment's values starting at parameter `first`; returns the next free index.
  int bind(SQLite::Statement& statement, int first) const {
    for (const auto& binder : m_binders)
      binder(statement, first++);
    return first;
  }

private:
  std::string m_sql;
  std::vector<std::function<void(SQLite::Statement&, int)>> m_binders;
};

Conditions scope_conditions(const ClaimScope& scope) {
  Conditions conditions;
  conditions.add_in("id", scope.job_ids);
  if (scope.batch_id) {
    conditions.add("batch_id = ?", [id = *scope.batch_id](SQLite::Statement& s, int i) { s.bind(i, id); });
  }
  conditions.add_in("kind", scope.kinds);
  if (scope.user_id) {
    conditions.add("user_id = ?", [id = *scope.user_id](SQLite::Statement& s, int i) { s.bind(i, id); });
  }
  return conditions;
}

Conditions filter_conditions(const JobFilter& filter) {
  Conditions conditions;
  if (filter.user_id) {
    conditions.add("user_id = ?", [id = *filter.user_id](SQLite::Statement& s, int i) { s.bind(i, id); });
  }
  if (filter.status) {
    conditions.add("status = ?", [status = std::string(to_string(*filter.status))](SQLite::Statement& s, int i) {
      s.bind(i, status);
    });
  }
  if (filter.kind) {
    conditions.add("kind = ?", [kind = *filter.kind](SQLite::Statement& s, int i) { s.bind(i, kind); });
  }
  if (filter.batch_id) {
    conditions.add("batch_id = ?", [id = *filter.batch_id](SQLite::Statement& s, int i) { s.bind(i, id); });
  }
  conditions.add_in("id", filter.ids);
  return conditions;
}

// Runs a one-row state change guarded by the lease; true when exactly that row changed.
bool leased_update(Database& db, const std::string& set_clause, std::int64_t job_id, const std::string& worker_id,
                   const std::function<int(SQLite::Statement&)>& bind_set) {
  SQLite::Statement update(sql(db), "UPDATE jobs SET " + set_clause +
                                        " WHERE id = ? AND lease_owner = ? AND status = 'in_progress'");
  int next = bind_set(update);
  update.bind(next++, job_id);
  update.bind(next, worker_id);
  return update.exec() == 1;
}

} // namespace

std::string_view to_string(JobStatus status) { return k_status_names.at(static_cast<std::size_t>(status)); }

std::optional<JobStatus> parse_job_status(std::string_view text) {
  for (std::size_t i = 0; i < k_status_names.size(); ++i) {
    if (k_status_names[i] == text) return static_cast<JobStatus>(i);
  }
  return std::nullopt;
}

std::int64_t JobRepository::enqueue(const NewJob& job, TimestampMs now) {
  SQLite::Statement insert(sql(m_db), R"sql(
    INSERT INTO jobs(user_id, kind, post_id, batch_id, payload, max_attempts, run_after, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  insert.bind(1, job.user_id);
  insert.bind(2, job.kind);
  if (job.post_id)
    insert.bind(3, *job.post_id);
  else
    insert.bind(3);
  if (job.batch_id)
    insert.bind(4, *job.batch_id);
  else
    insert.bind(4);
  insert.bind(5, job.payload);
  insert.bind(6, job.max_attempts < 1 ? 1 : job.max_attempts);
  insert.bind(7, job.run_after == 0 ? now : job.run_after);
  insert.bind(8, now);
  insert.bind(9, now);
  insert.exec();
  return sql(m_db).getLastInsertRowid();
}

std::optional<Job> JobRepository::claim(const std::string& worker_id, TimestampMs now, std::chrono::milliseconds lease,
                                        const ClaimScope& scope) {
  const Conditions in_scope = scope_conditions(scope);
  WriteTransaction transaction(m_db);
  {
    // Settle what cannot run any more before choosing: a job whose process died after a cancel request is
    // cancelled; one whose attempts are used up (each crash counted one) is failed, keeping its last error.
    SQLite::Statement settle_cancelled(sql(m_db), R"sql(
      UPDATE jobs SET status = 'cancelled', lease_owner = NULL, lease_until = NULL, finished_at = ?1, updated_at = ?1
      WHERE cancel_requested = 1 AND ((status = 'in_progress' AND lease_until < ?1) OR status = 'pending'))sql" +
                                                      in_scope.sql());
    settle_cancelled.bind(1, now);
    in_scope.bind(settle_cancelled, 2);
    settle_cancelled.exec();

    SQLite::Statement give_up(sql(m_db), R"sql(
      UPDATE jobs SET status = 'failed', lease_owner = NULL, lease_until = NULL, finished_at = ?1, updated_at = ?1,
        error_kind = coalesce(nullif(error_kind, ''), 'attempts_exhausted'),
        error = 'gave up after ' || attempts || ' attempts' ||
                CASE WHEN coalesce(error, '') = '' THEN ' (the worker running it stopped before finishing)'
                     ELSE ': ' || error END
      WHERE attempts >= max_attempts
        AND ((status = 'in_progress' AND lease_until < ?1) OR (status = 'pending' AND run_after <= ?1)))sql" +
                                             in_scope.sql());
    give_up.bind(1, now);
    in_scope.bind(give_up, 2);
    give_up.exec();
  }

  std::optional<Job> claimed;
  {
    // The claim itself: one statement picks and takes the row, so no other connection can take it in between.
    SQLite::Statement take(sql(m_db), std::string(R"sql(
      UPDATE jobs SET status = 'in_progress', lease_owner = ?1, lease_until = ?2, attempts = attempts + 1,
        started_at = coalesce(started_at, ?3), updated_at = ?3
      WHERE id = (SELECT id FROM jobs
                  WHERE ((status = 'pending' AND run_after <= ?3) OR (status = 'in_progress' AND lease_until < ?3))
                    AND attempts < max_attempts AND cancel_requested = 0)sql") +
                                          in_scope.sql() + " ORDER BY run_after, id LIMIT 1) RETURNING " +
                                          k_job_columns);
    take.bind(1, worker_id);
    take.bind(2, now + lease.count());
    take.bind(3, now);
    in_scope.bind(take, 4);
    if (take.executeStep()) claimed = read_job(take);
  }
  transaction.commit();
  return claimed;
}

bool JobRepository::heartbeat(std::int64_t job_id, const std::string& worker_id, TimestampMs now,
                              std::chrono::milliseconds lease) {
  return leased_update(m_db, "lease_until = ?, updated_at = ?", job_id, worker_id, [&](SQLite::Statement& s) {
    s.bind(1, now + lease.count());
    s.bind(2, now);
    return 3;
  });
}

bool JobRepository::complete(std::int64_t job_id, const std::string& worker_id, TimestampMs now,
                             const JobResult& result) {
  // A cancel request wins over a result that arrives after it: the job is not completed, the caller cancels.
  SQLite::Statement update(sql(m_db), R"sql(
    UPDATE jobs SET status = 'completed', lease_owner = NULL, lease_until = NULL, finished_at = ?1, updated_at = ?1,
      error = NULL, error_kind = NULL, provider = ?2, model = ?3, prompt_tokens = ?4, completion_tokens = ?5
    WHERE id = ?6 AND lease_owner = ?7 AND status = 'in_progress' AND cancel_requested = 0)sql");
  update.bind(1, now);
  update.bind(2, result.provider);
  update.bind(3, result.model);
  update.bind(4, result.prompt_tokens);
  update.bind(5, result.completion_tokens);
  update.bind(6, job_id);
  update.bind(7, worker_id);
  return update.exec() == 1;
}

bool JobRepository::fail(std::int64_t job_id, const std::string& worker_id, TimestampMs now, std::string_view error,
                         std::string_view error_kind) {
  return leased_update(m_db,
                       "status = 'failed', lease_owner = NULL, lease_until = NULL, finished_at = ?, updated_at = ?, "
                       "error = ?, error_kind = ?",
                       job_id, worker_id, [&](SQLite::Statement& s) {
                         s.bind(1, now);
                         s.bind(2, now);
                         s.bind(3, std::string(error));
                         s.bind(4, std::string(error_kind));
                         return 5;
                       });
}

bool JobRepository::retry_later(std::int64_t job_id, const std::string& worker_id, TimestampMs now,
                                TimestampMs run_after, std::string_view error, std::string_view error_kind) {
  return leased_update(
      m_db,
      "lease_owner = NULL, lease_until = NULL, updated_at = ?1, run_after = ?2, error_kind = ?4, "
      "status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END, "
      "finished_at = CASE WHEN attempts >= max_attempts THEN ?1 ELSE NULL END, "
      "error = CASE WHEN attempts >= max_attempts THEN 'gave up after ' || attempts || ' attempts: ' || ?3 ELSE ?3 END",
      job_id, worker_id, [&](SQLite::Statement& s) {
        s.bind(1, now);
        s.bind(2, run_after);
        s.bind(3, std::string(error));
        s.bind(4, std::string(error_kind));
        return 5;
      });
}

bool JobRepository::release(std::int64_t job_id, const std::string& worker_id, TimestampMs now) {
  return leased_update(m_db,
                       "status = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = ?, "
                       "attempts = max(attempts - 1, 0), run_after = min(run_after, ?)",
                       job_id, worker_id, [&](SQLite::Statement& s) {
                         s.bind(1, now);
                         s.bind(2, now);
                         return 3;
                       });
}

bool JobRepository::acknowledge_cancel(std::int64_t job_id, const std::string& worker_id, TimestampMs now) {
  return leased_update(m_db,
                       "status = 'cancelled', lease_owner = NULL, lease_until = NULL, finished_at = ?, updated_at = ?",
                       job_id, worker_id, [&](SQLite::Statement& s) {
                         s.bind(1, now);
                         s.bind(2, now);
                         return 3;
                       });
}

namespace {

// Cancels pending jobs at once and flags running ones, for the rows chosen by `where`.
int cancel_where(Database& db, const std::string& where, std::int64_t value, TimestampMs now) {
  SQLite::Statement update(sql(db), R"sql(
    UPDATE jobs SET
      cancel_requested = CASE WHEN status = 'in_progress' THEN 1 ELSE cancel_requested END,
      finished_at = CASE WHEN status = 'pending' THEN ?1 ELSE finished_at END,
      status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END,
      updated_at = ?1
    WHERE status IN ('pending', 'in_progress') AND )sql" +
                                        where);
  update.bind(1, now);
  update.bind(2, value);
  return update.exec();
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
  SQLite::Statement update(sql(m_db), R"sql(
    UPDATE jobs SET status = 'pending', attempts = 0, run_after = ?1, updated_at = ?1, cancel_requested = 0,
      lease_owner = NULL, lease_until = NULL, error = NULL, error_kind = NULL, started_at = NULL, finished_at = NULL
    WHERE id = ?2 AND status IN ('failed', 'cancelled'))sql");
  update.bind(1, now);
  update.bind(2, job_id);
  return update.exec() == 1;
}

bool JobRepository::cancel_requested(std::int64_t job_id) {
  SQLite::Statement query(sql(m_db), "SELECT cancel_requested FROM jobs WHERE id = ?");
  query.bind(1, job_id);
  return query.executeStep() && query.getColumn(0).getInt() != 0;
}

std::optional<Job> JobRepository::find(std::int64_t job_id) {
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_job_columns + " FROM jobs WHERE id = ?");
  query.bind(1, job_id);
  if (!query.executeStep()) return std::nullopt;
  return read_job(query);
}

std::vector<Job> JobRepository::list(const JobFilter& filter) {
  const Conditions where = filter_conditions(filter);
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_job_columns + " FROM jobs WHERE 1 = 1" + where.sql() +
                                         " ORDER BY id DESC LIMIT ?");
  const int next = where.bind(query, 1);
  query.bind(next, filter.limit > 0 ? filter.limit : -1);
  std::vector<Job> jobs;
  while (query.executeStep())
    jobs.push_back(read_job(query));
  return jobs;
}

JobCounts JobRepository::counts(const JobFilter& filter) {
  const Conditions where = filter_conditions(filter);
  SQLite::Statement query(sql(m_db),
                          "SELECT status, count(*) FROM jobs WHERE 1 = 1" + where.sql() + " GROUP BY status");
  where.bind(query, 1);
  JobCounts counts;
  while (query.executeStep()) {
    const std::int64_t n = query.getColumn(1).getInt64();
    switch (parse_job_status(query.getColumn(0).getString()).value_or(JobStatus::failed)) {
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
  const Conditions in_scope = scope_conditions(scope);
  SQLite::Statement query(sql(m_db), "SELECT min(run_after) FROM jobs WHERE status = 'pending'" + in_scope.sql());
  in_scope.bind(query, 1);
  if (!query.executeStep() || query.getColumn(0).isNull()) return std::nullopt;
  return query.getColumn(0).getInt64();
}

bool JobRepository::has_unfinished(const ClaimScope& scope) {
  const Conditions in_scope = scope_conditions(scope);
  SQLite::Statement query(sql(m_db), "SELECT EXISTS (SELECT 1 FROM jobs WHERE status IN ('pending', 'in_progress')" +
                                         in_scope.sql() + ")");
  in_scope.bind(query, 1);
  return query.executeStep() && query.getColumn(0).getInt() != 0;
}

} // namespace blogen::store
