#include "schedule_payload.hpp"

#include <blogen/app/current_user.hpp>
#include <blogen/app/schedules.hpp>
#include <blogen/core/cron.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/core/text.hpp>
#include <blogen/core/time_zone.hpp>

#include <fmt/format.h>

#include <filesystem>

namespace blogen::app {
namespace {

constexpr std::size_t k_max_name_chars = 100;
constexpr std::size_t k_max_topics = 10'000;
/// Far enough ahead for any satisfiable expression (see cron.hpp: at most 40 years between occurrences).
constexpr TimestampMs k_search_horizon_ms = 50LL * 366 * 24 * 3600 * 1000;

store::Schedule owned_schedule(store::Database& db, const CurrentUser& user, std::int64_t schedule_id) {
  auto schedule = store::ScheduleRepository(db).find(schedule_id, user.id);
  if (!schedule) throw Error(ErrorCode::not_found, fmt::format("schedule {} not found", schedule_id));
  return *schedule;
}

std::vector<TimestampMs> upcoming(const store::Schedule& schedule) {
  if (!schedule.enabled || !schedule.next_run_at) return {};
  if (schedule.kind == store::ScheduleKind::once) return {*schedule.next_run_at};
  const CronSpec spec = parse_cron(schedule.spec);
  // From the stored next occurrence, which may be due already: that is what fires next.
  return occurrences_between(spec, schedule.tz, *schedule.next_run_at - 1, *schedule.next_run_at + k_search_horizon_ms,
                             k_shown_occurrences);
}

ScheduleView view_of(const store::Schedule& schedule) { return ScheduleView{schedule, upcoming(schedule)}; }

std::string checked_name(const std::optional<std::string>& name) {
  if (!name) return {};
  std::string trimmed(text::trim(*name));
  if (trimmed.empty()) throw Error(ErrorCode::usage, "--name is empty");
  if (text::utf8_length(trimmed) > k_max_name_chars || trimmed.find_first_of("\r\n") != std::string::npos) {
    throw Error(ErrorCode::usage, fmt::format("--name must be one line of at most {} characters", k_max_name_chars));
  }
  return trimmed;
}

// The lines of a topics file: trimmed, without blank lines and `#` comments. Each line's number is kept for messages.
std::vector<std::pair<std::string, int>> read_topics(const Context& context, const std::string& file) {
  if (file.empty()) throw Error(ErrorCode::usage, "--topics-file is empty");
  context.refuse_store_file(file, "--topics-file");
  const std::string content = files::read_all(file);
  std::vector<std::pair<std::string, int>> topics;
  std::size_t start = 0;
  int line = 0;
  while (start < content.size()) {
    const std::size_t end = std::min(content.find('\n', start), content.size());
    ++line;
    const std::string_view raw = std::string_view(content).substr(start, end - start);
    start = end + 1;
    // Checked here, naming the line: a bad line would otherwise be stored and fail at a run, far from its cause.
    if (const std::string problem = text::text_problem(raw); !problem.empty()) {
      throw Error(ErrorCode::bad_input, fmt::format("{}:{}: topic: {}; nothing was written", file, line, problem));
    }
    const std::string topic(text::trim(raw));
    if (topic.empty() || topic.front() == '#') continue;
    topics.emplace_back(topic, line);
  }
  if (topics.empty()) throw Error(ErrorCode::bad_input, file + ": no topics (one topic per line; # starts a comment)");
  if (topics.size() > k_max_topics) {
    throw Error(ErrorCode::bad_input, fmt::format("{}: more than {} topics", file, k_max_topics));
  }
  return topics;
}

// The when of a schedule: kind, stored spec, first occurrence.
struct When {
  store::ScheduleKind kind = store::ScheduleKind::cron;
  std::string spec;
  TimestampMs first = 0;
};

When checked_when(const AddScheduleRequest& request, const std::string& tz, TimestampMs now) {
  const int given = (request.at ? 1 : 0) + (request.cron ? 1 : 0) + (request.now ? 1 : 0);
  if (given != 1) throw Error(ErrorCode::usage, "give exactly one of --at, --cron or --now");
  if (request.cron) {
    const CronSpec spec = parse_cron(*request.cron, "--cron");
    const auto first = next_occurrence(spec, tz, now);
    if (!first) {
      throw Error(ErrorCode::bad_input,
                  fmt::format("--cron \"{}\": the expression never matches a day", *request.cron));
    }
    return When{store::ScheduleKind::cron, to_string(spec), *first};
  }
  if (request.now) return When{store::ScheduleKind::once, format_iso8601(now), now};
  const TimestampMs at = parse_local_time(*request.at, tz, "--at");
  if (at <= now) {
    throw Error(ErrorCode::usage,
                fmt::format("--at \"{}\" is in the past ({} UTC); give a later time, or --now to run once at the next "
                            "run-due",
                            *request.at, format_short_time(at)));
  }
  return When{store::ScheduleKind::once, format_iso8601(at), at};
}

// The payload of a request; `topic_lines` gets the line number of each topic of a topics file, for messages.
detail::SchedulePayload checked_payload(const Context& context, const AddScheduleRequest& request,
                                        std::vector<int>& topic_lines) {
  const int sources = (request.topic ? 1 : 0) + (request.topics_file ? 1 : 0) + (request.campaign_id ? 1 : 0);
  if (sources != 1) throw Error(ErrorCode::usage, "give exactly one of --topic, --topics-file or --campaign");
  detail::SchedulePayload payload;
  if (request.campaign_id) {
    if ((request.file ? 1 : 0) + (request.count ? 1 : 0) != 1) {
      throw Error(ErrorCode::usage, "--campaign needs exactly one of --file or --count");
    }
    const PostOptions& post = request.post;
    const std::pair<const char*, bool> blog_only[] = {{"--category", post.category.has_value()},
                                                      {"--tone", post.tone.has_value()},
                                                      {"--words", post.words.has_value()},
                                                      {"--keyword", !post.keywords.empty()},
                                                      {"--template", post.template_name.has_value()}};
    for (const auto& [flag, given] : blog_only) {
      if (given) {
        throw Error(
            ErrorCode::usage,
            fmt::format("{} is for blog posts; a campaign batch takes the campaign's tone and the file's rows", flag));
      }
    }
    payload.campaign_id = request.campaign_id;
    if (request.file) {
      if (request.file->empty() || *request.file == "-") {
        throw Error(ErrorCode::usage, "--file: give a file path (a schedule reads it again at every run)");
      }
      payload.file = std::filesystem::absolute(*request.file).lexically_normal().string();
    }
    payload.count = request.count;
    payload.platform = request.platform;
  } else {
    if (request.file) throw Error(ErrorCode::usage, "--file needs --campaign");
    if (request.count) throw Error(ErrorCode::usage, "--count needs --campaign");
    if (request.platform) throw Error(ErrorCode::usage, "--platform needs --campaign");
    if (request.topic) payload.topics.push_back(*request.topic);
    if (request.topics_file) {
      payload.topics_file = *request.topics_file;
      for (auto& [topic, line] : read_topics(context, *request.topics_file)) {
        payload.topics.push_back(std::move(topic));
        topic_lines.push_back(line);
      }
    }
  }
  payload.post = request.post; // a batch's blog-only options were refused above
  return payload;
}

// Runs the same use case a run will run, inside a transaction that is rolled back: the schedule is checked by the
// very code that will queue its work, and nothing is written.
void probe_payload(Context& context, const detail::SchedulePayload& payload, const std::vector<int>& topic_lines) {
  store::WriteTransaction probe(context.db());
  if (payload.campaign_id) {
    (void)start_batch(context, payload.batch_request("probe"));
    return;
  }
  if (payload.topics_file.empty()) {
    (void)create_post(context, payload.post_request(0));
    return;
  }
  for (std::size_t i = 0; i < payload.topics.size(); ++i) {
    try {
      (void)create_post(context, payload.post_request(static_cast<std::int64_t>(i)));
    } catch (const Error& e) {
      if (e.code() != ErrorCode::usage || std::string_view(e.what()).rfind("--topic", 0) != 0) throw;
      throw Error(ErrorCode::bad_input,
                  fmt::format("{}:{}: {}", payload.topics_file, topic_lines.at(i), std::string(e.what()).substr(2)));
    }
  }
}

// The next run's work estimated by the use cases that queue it (nothing is written; a topics file's next topic).
RunEstimate next_run_estimate(Context& context, const store::Schedule& schedule) {
  const auto payload = detail::SchedulePayload::parse(schedule.payload, schedule.id);
  if (payload.campaign_id) return estimate_batch(context, payload.batch_request("estimate"));
  return estimate_post(context, payload.post_request(schedule.topics_cursor));
}

} // namespace

ScheduleView add_schedule(Context& context, const AddScheduleRequest& request) {
  const CurrentUser user = require_user(context);
  store::Database& db = context.db();
  std::string tz;
  if (request.tz) {
    tz = std::string(text::trim(*request.tz));
    validate_zone(tz, "--tz");
  } else {
    tz = system_zone_name();
  }
  const TimestampMs now = context.clock().now_ms();
  const When when = checked_when(request, tz, now);
  const std::string name = checked_name(request.name);
  std::vector<int> topic_lines;
  const detail::SchedulePayload payload = checked_payload(context, request, topic_lines);
  probe_payload(context, payload, topic_lines);

  store::NewSchedule schedule;
  schedule.user_id = user.id;
  schedule.name = name;
  schedule.kind = when.kind;
  schedule.spec = when.spec;
  schedule.tz = tz;
  schedule.payload = payload.to_json();
  // A --now one-shot is due at once and must fire at the next run-due however late that comes (cron may run it
  // hourly): as a catch-up schedule, the on-time window does not apply to it.
  schedule.catch_up = request.catch_up == CatchUp::yes || request.now;
  schedule.next_run_at = when.first;
  store::WriteTransaction transaction(db);
  store::ScheduleRepository schedules(db);
  const std::int64_t id = schedules.insert(schedule, now);
  transaction.commit();
  return view_of(*schedules.find(id, user.id));
}

std::vector<ScheduleView> list_schedules(Context& context) {
  const CurrentUser user = require_user(context);
  std::vector<ScheduleView> views;
  for (const store::Schedule& schedule : store::ScheduleRepository(context.db()).list(user.id)) {
    ScheduleView view{schedule, upcoming(schedule)};
    if (view.upcoming.size() > 1) view.upcoming.resize(1);
    views.push_back(std::move(view));
  }
  return views;
}

ScheduleDetails show_schedule(Context& context, std::int64_t schedule_id) {
  const CurrentUser user = require_user(context);
  store::Database& db = context.db();
  ScheduleDetails details;
  details.view = view_of(owned_schedule(db, user, schedule_id));
  store::JobRepository jobs(db);
  for (store::ScheduleRun& run : store::ScheduleRepository(db).runs(schedule_id, k_shown_runs)) {
    ScheduleRunView view{std::move(run), std::nullopt};
    if (view.run.job_id) view.job = jobs.find(*view.run.job_id);
    details.runs.push_back(std::move(view));
  }
  if (!details.view.upcoming.empty()) {
    try {
      details.estimate = next_run_estimate(context, details.view.schedule);
    } catch (const Error& e) {
      details.estimate_error = e.what(); // e.g. the batch file is gone: the run would fail the same way
    }
  }
  return details;
}

ScheduleView pause_schedule(Context& context, std::int64_t schedule_id) {
  const CurrentUser user = require_user(context);
  store::Database& db = context.db();
  store::WriteTransaction transaction(db);
  const store::Schedule schedule = owned_schedule(db, user, schedule_id);
  if (!schedule.enabled) {
    throw Error(ErrorCode::usage, schedule.next_run_at
                                      ? fmt::format("schedule {} is paused already", schedule_id)
                                      : fmt::format("schedule {} has run already (a one-shot schedule)", schedule_id));
  }
  store::ScheduleRepository schedules(db);
  schedules.set_enabled(schedule_id, false, schedule.next_run_at, context.clock().now_ms());
  transaction.commit();
  return view_of(*schedules.find(schedule_id, user.id));
}

ScheduleView resume_schedule(Context& context, std::int64_t schedule_id) {
  const CurrentUser user = require_user(context);
  store::Database& db = context.db();
  store::WriteTransaction transaction(db);
  const store::Schedule schedule = owned_schedule(db, user, schedule_id);
  if (schedule.enabled) throw Error(ErrorCode::usage, fmt::format("schedule {} is not paused", schedule_id));
  if (!schedule.next_run_at) {
    throw Error(ErrorCode::usage, fmt::format("schedule {} has run already (a one-shot schedule)", schedule_id));
  }
  const TimestampMs now = context.clock().now_ms();
  std::optional<TimestampMs> next;
  if (schedule.kind == store::ScheduleKind::once) {
    if (*schedule.next_run_at <= now) {
      throw Error(ErrorCode::usage, fmt::format("the time of one-shot schedule {} ({} UTC) passed while it was paused",
                                                schedule_id, format_short_time(*schedule.next_run_at)));
    }
    next = schedule.next_run_at;
  } else {
    // From now on: what would have fired while paused is not caught up.
    next = next_occurrence(parse_cron(schedule.spec), schedule.tz, now);
  }
  store::ScheduleRepository schedules(db);
  schedules.set_enabled(schedule_id, true, next, now);
  transaction.commit();
  return view_of(*schedules.find(schedule_id, user.id));
}

void remove_schedule(Context& context, std::int64_t schedule_id) {
  const CurrentUser user = require_user(context);
  store::Database& db = context.db();
  store::WriteTransaction transaction(db);
  (void)owned_schedule(db, user, schedule_id);
  store::ScheduleRepository(db).remove(schedule_id);
  transaction.commit();
}

} // namespace blogen::app
