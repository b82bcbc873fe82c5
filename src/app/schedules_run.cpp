// `schedule run-due`: claim due occurrences exactly once, queue their work, then process it.
#include "schedule_payload.hpp"

#include <blogen/app/current_user.hpp>
#include <blogen/app/jobs_service.hpp>
#include <blogen/app/schedules.hpp>
#include <blogen/core/cron.hpp>
#include <blogen/core/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <deque>

namespace blogen::app {
namespace {

constexpr TimestampMs k_on_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(k_on_time_window).count();

std::string display_name(const store::Schedule& schedule) {
  return schedule.name.empty() ? fmt::format("schedule {}", schedule.id) : schedule.name;
}

// What one run queued.
struct QueuedWork {
  std::optional<std::int64_t> job_id;
  std::optional<std::int64_t> batch_id;
};

// Queues the work of one occurrence through the ordinary use cases (which open their own, here nested, transaction).
QueuedWork queue_work(Context& context, const store::Schedule& schedule, TimestampMs occurrence) {
  const auto payload = detail::SchedulePayload::parse(schedule.payload, schedule.id);
  if (payload.campaign_id) {
    const std::string name = fmt::format("{} {}", display_name(schedule), format_short_time(occurrence));
    const StartedBatch started = start_batch(context, payload.batch_request(name));
    return QueuedWork{std::nullopt, started.view.batch.id};
  }
  return QueuedWork{create_post(context, payload.post_request(schedule.topics_cursor)).job_id, std::nullopt};
}

// Claims and queues one due schedule in one write transaction. Returns nullopt when another process got there
// first (the schedule moved on, was paused or removed since it was read).
std::optional<DueRun> fire(Context& context, const CurrentUser& user, const store::Schedule& seen, TimestampMs now) {
  store::Database& db = context.db();
  store::WriteTransaction transaction(db);
  store::ScheduleRepository schedules(db);
  // Read again under the write lock: only the process that still sees the occurrence it read may act on it.
  const auto schedule = schedules.find(seen.id, user.id);
  if (!schedule || !schedule->enabled || schedule->next_run_at != seen.next_run_at) return std::nullopt;
  const DuePlan plan = plan_due(*schedule, now);

  DueRun run;
  run.schedule_id = schedule->id;
  run.schedule_name = schedule->name;
  run.occurrence_at = plan.latest.value_or(0);
  run.status = store::RunStatus::skipped;
  run.skipped = plan.skipped_total;
  for (const TimestampMs occurrence : plan.skipped)
    (void)schedules.claim(schedule->id, occurrence, store::RunStatus::skipped, now);
  std::int64_t cursor = schedule->topics_cursor;
  if (plan.fire && schedules.claim(schedule->id, *plan.fire, store::RunStatus::queued, now)) {
    ++cursor; // a failed run moves on too, so one bad topic does not block the rest of a topics file
    try {
      store::WriteTransaction work(db);
      const QueuedWork queued = queue_work(context, *schedule, *plan.fire);
      work.commit();
      run.status = store::RunStatus::queued;
      run.job_id = queued.job_id;
      run.batch_id = queued.batch_id;
    } catch (const Error& e) {
      run.status = store::RunStatus::failed;
      run.error = e.what();
    }
    schedules.record(schedule->id, *plan.fire, run.status, run.job_id, run.batch_id, run.error);
  }
  store::ScheduleAdvance advance;
  advance.next_run_at = plan.next;
  advance.last_run_at = plan.latest;
  advance.topics_cursor = cursor;
  advance.enabled = plan.next.has_value(); // a one-shot (or an expression that never matches again) is done
  if (!schedules.advance(schedule->id, seen.next_run_at, advance, now)) return std::nullopt;
  transaction.commit();
  return run;
}

// After processing: whether the queued work of a run failed, and why.
void check_work(Context& context, DueRun& run) {
  if (run.job_id) {
    const auto job = store::JobRepository(context.db()).find(*run.job_id);
    if (job && (job->status == store::JobStatus::failed || job->status == store::JobStatus::cancelled)) {
      run.work_failed = true;
      run.error = fmt::format("job {} {}{}", job->id, store::to_string(job->status),
                              job->error.empty() ? "" : ": " + job->error);
    }
  }
  if (run.batch_id) {
    const BatchView view = get_batch(context, *run.batch_id);
    if (view.counts.failed > 0 || view.counts.cancelled > 0) {
      run.work_failed = true;
      run.error = fmt::format("batch {}: {} of {} posts failed", view.batch.id,
                              view.counts.failed + view.counts.cancelled, view.counts.total);
    }
  }
  if (!run.work_failed) return;
  // The run row says what became of the occurrence, not only that its work was queued.
  run.status = store::RunStatus::failed;
  store::WriteTransaction transaction(context.db());
  store::ScheduleRepository(context.db())
      .record(run.schedule_id, run.occurrence_at, run.status, run.job_id, run.batch_id, run.error);
  transaction.commit();
}

} // namespace

bool RunDueResult::failed() const {
  for (const DueRun& run : runs) {
    if (run.status == store::RunStatus::failed || run.work_failed) return true;
  }
  return false;
}

DuePlan plan_due(const store::Schedule& schedule, TimestampMs now) {
  DuePlan plan;
  if (!schedule.next_run_at || *schedule.next_run_at > now) {
    plan.next = schedule.next_run_at;
    return plan;
  }
  // The due occurrences, oldest first; only the most recent ones are kept (one more than may be recorded, since the
  // latest may fire instead).
  std::deque<TimestampMs> due;
  std::size_t total = 0;
  const auto keep = [&](TimestampMs occurrence) {
    due.push_back(occurrence);
    ++total;
    if (due.size() > k_max_recorded_skips + 1) due.pop_front();
  };
  if (schedule.kind == store::ScheduleKind::once) {
    keep(*schedule.next_run_at);
  } else {
    const CronSpec spec = parse_cron(schedule.spec);
    std::optional<TimestampMs> occurrence = schedule.next_run_at;
    while (occurrence && *occurrence <= now) {
      keep(*occurrence);
      occurrence = next_occurrence(spec, schedule.tz, *occurrence);
    }
    plan.next = occurrence;
  }
  plan.latest = due.back();
  const bool on_time = now - due.back() <= k_on_time_ms;
  if (schedule.catch_up || on_time) {
    plan.fire = due.back();
    due.pop_back();
    --total;
  }
  while (due.size() > k_max_recorded_skips)
    due.pop_front();
  plan.skipped.assign(due.begin(), due.end());
  plan.skipped_total = total;
  return plan;
}

RunDueResult run_due(Context& context, DryRun dry_run, ProgressSink& progress, std::stop_token stop) {
  const CurrentUser user = require_user(context);
  const TimestampMs now = context.clock().now_ms();
  RunDueResult result;
  for (const store::Schedule& schedule : store::ScheduleRepository(context.db()).due(user.id, now)) {
    if (dry_run == DryRun::yes) {
      const DuePlan plan = plan_due(schedule, now);
      DueRun run;
      run.schedule_id = schedule.id;
      run.schedule_name = schedule.name;
      run.occurrence_at = plan.latest.value_or(0);
      run.status = plan.fire ? store::RunStatus::queued : store::RunStatus::skipped;
      run.skipped = plan.skipped_total;
      result.runs.push_back(std::move(run));
      continue;
    }
    if (auto run = fire(context, user, schedule, now)) result.runs.push_back(std::move(*run));
  }
  const bool queued = std::any_of(result.runs.begin(), result.runs.end(), [&](const DueRun& run) {
    return dry_run == DryRun::no && run.status == store::RunStatus::queued;
  });
  if (!queued) return result;
  WorkerRequest worker;
  worker.stop_when = jobs::StopWhen::idle;
  result.processing = run_worker(context, worker, progress, stop);
  if (stop.stop_requested()) return result;
  for (DueRun& run : result.runs) {
    if (run.status == store::RunStatus::queued) check_work(context, run);
  }
  return result;
}

} // namespace blogen::app
