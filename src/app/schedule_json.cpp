// The --json shapes and the one-line descriptions of schedules (see schedules.hpp).
#include "schedule_payload.hpp"

#include <blogen/app/costs.hpp>
#include <blogen/app/schedules.hpp>
#include <blogen/core/time_zone.hpp>

#include <fmt/format.h>

namespace blogen::app {
namespace {

template <typename T> nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

nlohmann::json instant_or_null(const std::optional<TimestampMs>& ms) {
  return ms ? nlohmann::json(format_iso8601(*ms)) : nlohmann::json();
}

} // namespace

std::string_view schedule_state(const store::Schedule& schedule) {
  if (schedule.enabled) return "active";
  return schedule.next_run_at ? "paused" : "finished";
}

std::string schedule_target(const store::Schedule& schedule) {
  const auto payload = detail::SchedulePayload::parse(schedule.payload, schedule.id);
  // The cap was checked when the schedule was added; a run refuses calls past it.
  const std::string cap = payload.post.max_cost ? fmt::format(", at most {} a run",
                                                              format_usd(parse_usd(*payload.post.max_cost, "max_cost")))
                                                : "";
  if (payload.campaign_id) {
    if (payload.count) return fmt::format("campaign {}: {} posts{}", *payload.campaign_id, *payload.count, cap);
    return fmt::format("campaign {}: rows of {}{}", *payload.campaign_id, payload.file.value_or(""), cap);
  }
  if (payload.topics_file.empty()) {
    return fmt::format("post \"{}\"{}", payload.topics.empty() ? "" : payload.topics[0], cap);
  }
  const auto size = static_cast<std::int64_t>(payload.topics.size());
  return fmt::format("post from {} ({} topics, next #{}){}", payload.topics_file, size,
                     size == 0 ? 0 : schedule.topics_cursor % size + 1, cap);
}

nlohmann::json schedule_json(const ScheduleView& view) {
  const store::Schedule& schedule = view.schedule;
  nlohmann::json upcoming = nlohmann::json::array();
  for (const TimestampMs at : view.upcoming)
    upcoming.push_back({{"at", format_iso8601(at)}, {"local", format_local_time(at, schedule.tz)}});
  const bool cron = schedule.kind == store::ScheduleKind::cron;
  return {{"id", schedule.id},
          {"name", schedule.name},
          {"kind", std::string(store::to_string(schedule.kind))},
          {"cron", cron ? nlohmann::json(schedule.spec) : nlohmann::json()},
          {"at", cron ? nlohmann::json() : nlohmann::json(schedule.spec)},
          {"tz", schedule.tz},
          {"state", std::string(schedule_state(schedule))},
          {"enabled", schedule.enabled},
          {"catch_up", schedule.catch_up},
          {"target", schedule_target(schedule)},
          {"payload", nlohmann::json::parse(schedule.payload)},
          {"next_run_at", instant_or_null(schedule.next_run_at)},
          {"last_run_at", instant_or_null(schedule.last_run_at)},
          {"upcoming", upcoming},
          {"created_at", format_iso8601(schedule.created_at)},
          {"updated_at", format_iso8601(schedule.updated_at)}};
}

nlohmann::json schedule_run_json(const ScheduleRunView& view, const std::string& tz) {
  const store::ScheduleRun& run = view.run;
  return {{"occurrence_at", format_iso8601(run.occurrence_at)},
          {"occurrence_local", format_local_time(run.occurrence_at, tz)},
          {"status", std::string(store::to_string(run.status))},
          {"job_id", or_null(run.job_id)},
          {"batch_id", or_null(run.batch_id)},
          {"error", run.error.empty() ? nlohmann::json() : nlohmann::json(run.error)},
          {"job_status", view.job ? nlohmann::json(std::string(store::to_string(view.job->status))) : nlohmann::json()},
          {"created_at", format_iso8601(run.created_at)}};
}

nlohmann::json run_due_json(const RunDueResult& result) {
  nlohmann::json runs = nlohmann::json::array();
  for (const DueRun& run : result.runs) {
    runs.push_back({{"schedule_id", run.schedule_id},
                    {"name", run.schedule_name},
                    {"occurrence_at", format_iso8601(run.occurrence_at)},
                    {"status", std::string(store::to_string(run.status))},
                    {"job_id", or_null(run.job_id)},
                    {"batch_id", or_null(run.batch_id)},
                    {"skipped", run.skipped},
                    {"work_failed", run.work_failed},
                    {"error", run.error.empty() ? nlohmann::json() : nlohmann::json(run.error)}});
  }
  const jobs::WorkerPoolSummary& done = result.processing;
  return {{"runs", runs},
          {"processed", {{"completed", done.completed}, {"failed", done.failed}, {"cancelled", done.cancelled}}},
          {"failed", result.failed()}};
}

} // namespace blogen::app
