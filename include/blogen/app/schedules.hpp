#pragma once
// Schedule use cases: add, list, show, pause, resume, remove, and `run-due`, what cron calls. A schedule only
// queues ordinary work through the same use cases as `blog create --detach` and `campaign run --detach`: one blog
// post (a topic, or the next line of a topics file, round-robin) or one campaign batch per occurrence.
// Every function resolves the logged-in user first; another user's schedule is "not found" (Error{not_found}).
//
// Exactly once: each occurrence is claimed by inserting its schedule_runs row (UNIQUE per schedule and occurrence)
// in the same write transaction that queues its job(s) and moves the schedule on, so two `run-due` processes at
// once never fire an occurrence twice, and a crash leaves either everything or nothing.
// Missed occurrences: an occurrence more than k_on_time_window late is missed (the machine was off, or cron did not
// run). With catch-up the most recent due occurrence fires and the older ones are recorded as skipped; without it
// every missed one is recorded as skipped and only an on-time occurrence fires.

#include <blogen/app/budgets.hpp>
#include <blogen/app/context.hpp>
#include <blogen/app/post_options.hpp>
#include <blogen/core/progress.hpp>
#include <blogen/jobs/worker_pool.hpp>
#include <blogen/store/job_repository.hpp>
#include <blogen/store/schedule_repository.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace blogen::app {

/// How late an occurrence may be and still fire without catch-up (cron or a timer calls run-due every few minutes).
constexpr std::chrono::minutes k_on_time_window{15};
/// Most skipped occurrences one run records per schedule (the most recent ones; a minute schedule of a machine
/// that was off for a month would otherwise write 40 000 rows).
constexpr std::size_t k_max_recorded_skips = 1000;
/// How many upcoming occurrences `schedule show` lists.
constexpr std::size_t k_shown_occurrences = 5;
/// How many past runs `schedule show` lists.
constexpr int k_shown_runs = 10;

/// Whether missed occurrences fire once on the next run.
enum class CatchUp { no, yes };
/// Whether run-due only reports what it would do.
enum class DryRun { no, yes };

/// What `schedule add` asks for (text as typed; validated here).
struct AddScheduleRequest {
  // When: exactly one of these.
  std::optional<std::string> at;   ///< one-shot local time (`--at`)
  std::optional<std::string> cron; ///< cron expression (`--cron`)
  bool now = false;                ///< one-shot, due at once (`--now`)
  std::optional<std::string> tz;   ///< IANA zone; default the system zone
  // What: exactly one of topic, topics_file, campaign_id (with file or count).
  std::optional<std::string> topic;
  std::optional<std::string> topics_file;
  std::optional<std::int64_t> campaign_id;
  std::optional<std::string> file; ///< batch input file (read again at every run)
  std::optional<int> count;
  // Post options, as `blog create` takes them (a batch takes only provider, model and max_cost).
  PostOptions post;
  std::optional<std::string> platform; ///< batches only
  std::optional<std::string> name;
  CatchUp catch_up = CatchUp::no;
};

/// A schedule with its next occurrences (UTC).
struct ScheduleView {
  store::Schedule schedule;
  std::vector<TimestampMs> upcoming; ///< the next occurrences from now, at most k_shown_occurrences
};

/// A past run with the job it queued as it is now.
struct ScheduleRunView {
  store::ScheduleRun run;
  std::optional<store::Job> job;
};

/// What `schedule show` prints.
struct ScheduleDetails {
  ScheduleView view;
  std::vector<ScheduleRunView> runs; ///< newest first, at most k_shown_runs
  /// What the next run would do and cost, were it now (as `blog create` / `campaign run --dry-run`); nullopt for a
  /// schedule that will not run again, or when the run could not be planned now (`estimate_error` says why).
  std::optional<RunEstimate> estimate;
  std::string estimate_error;
};

/// Validates everything (the when: Error{bad_input} for a bad expression, time or zone, Error{usage} for a one-shot
/// time in the past or a bad combination; the what: the same checks as `blog create` / `campaign run`, by running
/// them in a transaction that is rolled back), then stores the schedule. Nothing is written on error.
ScheduleView add_schedule(Context& context, const AddScheduleRequest& request);
/// The user's schedules, oldest first, each with its next occurrence.
std::vector<ScheduleView> list_schedules(Context& context);
/// One of the user's schedules with its next occurrences, last runs and the estimate of its next run.
ScheduleDetails show_schedule(Context& context, std::int64_t schedule_id);
/// Stops a schedule firing; Error{usage} when it is paused already.
ScheduleView pause_schedule(Context& context, std::int64_t schedule_id);
/// Lets a paused schedule fire again from now on (occurrences while it was paused are not caught up);
/// Error{usage} when it is not paused or is a one-shot whose time has passed.
ScheduleView resume_schedule(Context& context, std::int64_t schedule_id);
/// Deletes a schedule and its run history (the posts and jobs it queued stay).
void remove_schedule(Context& context, std::int64_t schedule_id);

/// The occurrences of a schedule that are due at `now`, and where it goes next. Pure: what run-due acts on.
struct DuePlan {
  std::vector<TimestampMs> skipped;  ///< missed occurrences to record as skipped (the most recent ones)
  std::size_t skipped_total = 0;     ///< all missed occurrences, recorded or not
  std::optional<TimestampMs> fire;   ///< the occurrence to run now
  std::optional<TimestampMs> latest; ///< the most recent due occurrence
  std::optional<TimestampMs> next;   ///< the next occurrence after `now`; none for a one-shot
};
/// Plans a due schedule (next_run_at <= now) by the missed-occurrence rules above.
DuePlan plan_due(const store::Schedule& schedule, TimestampMs now);

/// One schedule occurrence handled by run-due.
struct DueRun {
  std::int64_t schedule_id = 0;
  std::string schedule_name; ///< "" when it has none
  TimestampMs occurrence_at = 0;
  store::RunStatus status = store::RunStatus::queued;
  std::optional<std::int64_t> job_id;
  std::optional<std::int64_t> batch_id;
  std::string error;        ///< why queueing failed, or (after processing) why the job or batch failed
  std::size_t skipped = 0;  ///< missed occurrences recorded as skipped along with it
  bool work_failed = false; ///< the queued work ran and failed
};

/// What a run-due did.
struct RunDueResult {
  std::vector<DueRun> runs;           ///< per due schedule (with DryRun::yes: what would happen)
  jobs::WorkerPoolSummary processing; ///< the worker that processed the queued work
  /// Whether any run could not queue its work, or its work failed.
  [[nodiscard]] bool failed() const;
};

/// For each of the user's enabled, due schedules: claims the due occurrences (skipped ones recorded, at most one
/// fired), queues the fired one's work and moves the schedule on, all in one transaction per schedule; one-shot
/// schedules disable themselves. Then runs a worker until no work is left (or `stop`), and reports which runs
/// failed. With DryRun::yes nothing is written and nothing runs.
RunDueResult run_due(Context& context, DryRun dry_run, ProgressSink& progress, std::stop_token stop);

} // namespace blogen::app

namespace blogen::app {

/// Where a schedule stands: active (will fire), paused, or finished (a one-shot that ran).
std::string_view schedule_state(const store::Schedule& schedule);
/// What a schedule queues, for people: `post "Bread"`, `post from topics.txt (2 of 12 next)`, `campaign 3: 5 posts`.
std::string schedule_target(const store::Schedule& schedule);

/// A schedule with its upcoming occurrences: {id, name, kind, cron|at, tz, state, enabled, catch_up, target,
/// payload, next_run_at, last_run_at, upcoming: [{at, local}], created_at, updated_at}.
nlohmann::json schedule_json(const ScheduleView& view);
/// A past run: {occurrence_at, occurrence_local, status, job_id, batch_id, error, job_status, created_at}.
nlohmann::json schedule_run_json(const ScheduleRunView& run, const std::string& tz);
/// A run-due result: {runs: [{schedule_id, name, occurrence_at, status, job_id, batch_id, skipped, error}],
/// processed: {completed, failed, ...}, failed}.
nlohmann::json run_due_json(const RunDueResult& result);

} // namespace blogen::app
