#pragma once
// Schedules and their runs. A schedule (cron expression or one-shot time, in an IANA zone) says when to queue what;
// a run is one occurrence of it, claimed exactly once through the UNIQUE (schedule_id, occurrence_at) row, so two
// `schedule run-due` processes never fire the same occurrence. Every read of a schedule takes its owner.

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::store {

/// A repeating schedule (`--cron`) or a one-shot one (`--at`, `--now`).
enum class ScheduleKind { cron, once };
/// Stable lower-case name ("cron", "once").
std::string_view to_string(ScheduleKind kind);

/// One row of the schedules table.
struct Schedule {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  ScheduleKind kind = ScheduleKind::cron;
  std::string spec;           ///< the normalised cron expression, or the one-shot instant as ISO 8601 UTC
  std::string tz;             ///< IANA zone the spec is read in
  std::string payload = "{}"; ///< JSON: what each run queues (see app/schedules.hpp)
  bool catch_up = false;
  bool enabled = true;
  std::int64_t topics_cursor = 0;         ///< runs that queued work so far: the next topic of a topics file
  std::optional<TimestampMs> next_run_at; ///< the next occurrence (UTC); none once a one-shot has fired
  std::optional<TimestampMs> last_run_at; ///< the occurrence the last run was for
  TimestampMs created_at = 0;
  TimestampMs updated_at = 0;
};

/// What is needed to insert a schedule.
struct NewSchedule {
  std::int64_t user_id = 0;
  std::string name;
  ScheduleKind kind = ScheduleKind::cron;
  std::string spec;
  std::string tz;
  std::string payload = "{}";
  bool catch_up = false;
  std::optional<TimestampMs> next_run_at;
};

/// What became of one occurrence.
enum class RunStatus {
  queued,  ///< its job(s) were queued
  skipped, ///< missed (the machine was off) and not caught up
  failed   ///< its work could not be queued (the reason is in `error`)
};
/// Stable lower-case name ("queued").
std::string_view to_string(RunStatus status);

/// One row of schedule_runs.
struct ScheduleRun {
  std::int64_t id = 0;
  std::int64_t schedule_id = 0;
  TimestampMs occurrence_at = 0;
  RunStatus status = RunStatus::queued;
  std::optional<std::int64_t> job_id;   ///< a blog post's job
  std::optional<std::int64_t> batch_id; ///< a campaign schedule's batch
  std::string error;
  TimestampMs created_at = 0;
};

/// Where a schedule goes after a run: its next occurrence and topic, and whether it stays enabled.
struct ScheduleAdvance {
  std::optional<TimestampMs> next_run_at;
  std::optional<TimestampMs> last_run_at;
  std::int64_t topics_cursor = 0;
  bool enabled = true;
};

/// The schedules and schedule_runs tables, on one connection.
class ScheduleRepository {
public:
  explicit ScheduleRepository(Database& db) : m_db(db) {}

  /// Inserts a schedule; returns its id.
  std::int64_t insert(const NewSchedule& schedule, TimestampMs now);
  /// The schedule with this id owned by `user_id`, or nullopt.
  std::optional<Schedule> find(std::int64_t schedule_id, std::int64_t user_id);
  /// The user's schedules, oldest first.
  std::vector<Schedule> list(std::int64_t user_id);
  /// The user's enabled schedules whose next occurrence is at or before `now`, earliest first.
  std::vector<Schedule> due(std::int64_t user_id, TimestampMs now);
  /// Enables or disables a schedule and sets its next occurrence; false when it is missing.
  bool set_enabled(std::int64_t schedule_id, bool enabled, std::optional<TimestampMs> next_run_at, TimestampMs now);
  /// Deletes a schedule and its runs (their jobs and posts stay); false when it is missing.
  bool remove(std::int64_t schedule_id);
  /// Moves a schedule on after a run, only when its next occurrence is still `expected_next` (compare and set: a
  /// schedule another process has moved on is left alone); returns whether it moved.
  bool advance(std::int64_t schedule_id, std::optional<TimestampMs> expected_next, const ScheduleAdvance& advance,
               TimestampMs now);

  /// Claims one occurrence by inserting its run; false when a run for it exists already (another process, or an
  /// earlier run, claimed it). The UNIQUE (schedule_id, occurrence_at) constraint is what makes this exactly once.
  bool claim(std::int64_t schedule_id, TimestampMs occurrence_at, RunStatus status, TimestampMs now);
  /// Records what a claimed run queued, or why it failed.
  void record(std::int64_t schedule_id, TimestampMs occurrence_at, RunStatus status, std::optional<std::int64_t> job_id,
              std::optional<std::int64_t> batch_id, std::string_view error);
  /// A schedule's runs, newest occurrence first, at most `limit`.
  std::vector<ScheduleRun> runs(std::int64_t schedule_id, int limit);

private:
  Database& m_db;
};

} // namespace blogen::store
