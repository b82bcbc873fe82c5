// `blogen job ...`: inspect, wait for, watch, cancel and retry queued work.
#include "command_groups.hpp"
#include "commands.hpp"
#include "present.hpp"

#include <blogen/app/job_handlers.hpp>
#include <blogen/app/jobs_service.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/interrupt.hpp>
#include <blogen/term/progress.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <map>
#include <regex>

namespace blogen::cli {
namespace {

constexpr int k_max_list_limit = 10'000;

std::string status_names() { return fmt::format("{}", fmt::join(app::job_status_names(), ", ")); }

// "0.5" and "2" are seconds; "90s", "5m", "1h" are durations.
std::chrono::milliseconds parse_timeout(const std::string& text) {
  static const std::regex k_seconds(R"(\d{1,9}(\.\d{1,3})?)");
  if (std::regex_match(text, k_seconds)) {
    return std::chrono::milliseconds(static_cast<long long>(std::stod(text) * 1000.0));
  }
  return parse_duration(text, "--timeout");
}

// "3.2 s", "4 min 5 s": how long a job ran (from first start to finish), or "" when it has not finished.
std::string job_duration(const app::Job& job) {
  if (!job.started_at || !job.finished_at) return {};
  const auto ms = *job.finished_at - *job.started_at;
  if (ms < 60'000) return fmt::format("{:.1f} s", static_cast<double>(ms) / 1000.0);
  return fmt::format("{} min {} s", ms / 60'000, ms / 1000 % 60);
}

nlohmann::json jobs_json(const std::vector<app::Job>& jobs) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& job : jobs)
    list.push_back(app::job_json(job));
  return list;
}

std::string post_suffix(const app::Job& job) { return job.post_id ? fmt::format(" (post {})", *job.post_id) : ""; }

std::string one_line(const app::Job& job) {
  std::string line = fmt::format("job {} {}{}", job.id, app::to_string(job.status), post_suffix(job));
  if (!job.error.empty()) line += ": " + term::sanitize_single_line(job.error);
  return line;
}

term::ProgressCounts counts_of(const std::vector<app::Job>& jobs) {
  term::ProgressCounts counts;
  counts.total = static_cast<std::int64_t>(jobs.size());
  for (const auto& job : jobs) {
    switch (job.status) {
    case app::JobStatus::completed:
      ++counts.completed;
      break;
    case app::JobStatus::failed:
      ++counts.failed;
      break;
    case app::JobStatus::cancelled:
      ++counts.cancelled;
      break;
    case app::JobStatus::in_progress:
      ++counts.running;
      break;
    case app::JobStatus::pending:
      break;
    }
  }
  return counts;
}

int interrupted(Env& env) {
  env.out().error("interrupted; the jobs keep running in their workers");
  return exit_code(ErrorCode::interrupted);
}

/// `job list`.
struct JobList {
  std::vector<app::Job> jobs;
};

nlohmann::json to_json(const JobList& list) { return {{"jobs", jobs_json(list.jobs)}}; }

void to_quiet(term::Output& out, const JobList& list) {
  print_each(out, list.jobs, [](const app::Job& job) { return std::to_string(job.id); });
}

void to_text(term::Output& out, const JobList& list) {
  if (list.jobs.empty()) {
    out.note("no jobs");
    return;
  }
  term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                     {"KIND"},
                     {"STATUS"},
                     {"TRIES", term::ColumnFit::fixed, term::Align::right},
                     {"POST", term::ColumnFit::fixed, term::Align::right},
                     {"CREATED"},
                     {"ERROR", term::ColumnFit::flexible}});
  for (const auto& job : list.jobs) {
    table.add_row({std::to_string(job.id), job.kind, std::string(app::to_string(job.status)),
                   fmt::format("{}/{}", job.attempts, job.max_attempts),
                   job.post_id ? std::to_string(*job.post_id) : "", format_short_time(job.created_at), job.error});
  }
  out.table(table);
}

/// `job show`: a job and its provider calls (-q prints the same text).
struct JobShown {
  app::JobDetails details;
};

nlohmann::json to_json(const JobShown& shown) {
  nlohmann::json log = nlohmann::json::array();
  for (const auto& entry : shown.details.log)
    log.push_back(app::job_call_json(entry));
  nlohmann::json document = app::job_json(shown.details.job);
  document["log"] = log;
  return {{"job", document}};
}

void to_text(term::Output& out, const JobShown& shown) {
  const app::Job& job = shown.details.job;
  auto row = [&](const std::string& label, const std::string& value) {
    if (!value.empty()) out.line(fmt::format("{:<10} {}", label + ":", value));
  };
  out.line(fmt::format(
      "job {}  {}  {}", job.id, job.kind,
      out.styled(std::string(app::to_string(job.status)), job.status == app::JobStatus::completed ? term::Style::green
                                                          : job.status == app::JobStatus::failed  ? term::Style::red
                                                                                                 : term::Style::bold)));
  row("post", job.post_id ? std::to_string(*job.post_id) : "");
  row("batch", job.batch_id ? std::to_string(*job.batch_id) : "");
  row("attempts", fmt::format("{} of {}", job.attempts, job.max_attempts));
  row("created", format_iso8601(job.created_at));
  if (job.status == app::JobStatus::pending && job.run_after > job.created_at) {
    row("next try", format_iso8601(job.run_after));
  }
  row("started", job.started_at ? format_iso8601(*job.started_at) : "");
  row("finished", job.finished_at ? format_iso8601(*job.finished_at) : "");
  row("duration", job_duration(job));
  if (!job.provider.empty()) {
    row("written by", term::sanitize_single_line(job.model.empty() ? job.provider : job.provider + " / " + job.model));
  }
  if (job.prompt_tokens + job.completion_tokens > 0) {
    row("tokens", fmt::format("{} prompt + {} completion", job.prompt_tokens, job.completion_tokens));
  }
  if (job.cancel_requested && job.status == app::JobStatus::in_progress) row("cancel", "requested");
  row("error",
      term::sanitize_single_line(job.error_kind.empty() ? job.error : job.error + " [" + job.error_kind + "]"));
  if (!shown.details.log.empty()) {
    out.line("provider calls:");
    for (const auto& entry : shown.details.log) {
      std::string line = fmt::format("  {}  #{} {}  {} {}  {}  {}+{} tokens  {} ms", format_iso8601(entry.created_at),
                                     entry.attempt, entry.call, entry.provider, entry.model, entry.status,
                                     entry.prompt_tokens, entry.completion_tokens, entry.latency_ms);
      if (!entry.error.empty()) line += "  " + entry.error;
      out.line(term::sanitize_single_line(line));
    }
  }
}

void to_quiet(term::Output& out, const JobShown& shown) { to_text(out, shown); }

/// `job wait`: the jobs as they ended (nothing with -q; the exit code says it).
struct WaitedJobs {
  app::WaitResult result;
};

nlohmann::json to_json(const WaitedJobs& waited) {
  return {{"jobs", jobs_json(waited.result.jobs)},
          {"timed_out", waited.result.end == app::WaitEnd::timed_out},
          {"all_completed", waited.result.all_completed()}};
}

void to_text(term::Output& out, const WaitedJobs& waited) {
  for (const auto& job : waited.result.jobs)
    out.line(one_line(job));
}

void add_job_list(CLI::App& group, Registry& registry) {
  auto query = make_options<app::JobListQuery>();
  auto* command = group.add_subcommand("list", "List your jobs, newest first");
  registry.one_of(command->add_option_function<std::string>(
                      "--status", [query](const std::string& text) { query->status = app::parse_job_status(text); },
                      "Only jobs with this status: " + status_names()),
                  app::job_status_names());
  registry.suggest(
      command->add_option("--kind", query->kind, "Only jobs of this kind (generate_blog, generate_social, ...)"),
      app::job_kind_names());
  command->add_option("--limit", query->limit, "At most this many jobs (default 50)")
      ->check(int_range(1, k_max_list_limit));
  command->add_flag_callback(
      "--all-users", [query]() { query->owners = app::JobOwners::all_users; }, "Every user's jobs (admin only)");
  command->footer("Needs: a login (--all-users: an admin). With -q prints one job id per line.");
  registry.on(command, [query](Env& env) {
    present(env.out(), JobList{app::list_jobs(env.app(), *query)});
    return 0;
  });
}

void add_job_show(CLI::App& group, Registry& registry) {
  auto id = std::make_shared<std::int64_t>(0);
  auto* command = group.add_subcommand("show", "Show a job: attempts, timings, error, tokens and its provider calls");
  command->add_option("id", *id, "The job id")->required()->check(CLI::PositiveNumber);
  command->footer("Needs: a login; only your own jobs. --json includes every logged prompt and response.");
  registry.on(command, [id](Env& env) {
    present(env.out(), JobShown{app::show_job(env.app(), *id)});
    return 0;
  });
}

void add_wait(CLI::App& group, Registry& registry) {
  struct Options {
    std::vector<std::int64_t> ids;
    std::optional<std::string> timeout;
  };
  auto options = make_options<Options>();
  auto* command = group.add_subcommand("wait", "Wait until jobs are finished");
  command->add_option("id", options->ids, "The job ids")->required()->check(CLI::PositiveNumber);
  command->add_option("--timeout", options->timeout, "Give up after this long: seconds (0.5, 10) or 90s, 5m, 1h");
  command->footer("Needs: a login; only your own jobs.\n"
                  "Exit codes: 0 every job completed; 1 a job failed or was cancelled, or the timeout passed;\n"
                  "3 a job is not yours or does not exist; 130 interrupted (the jobs keep running).");
  registry.on(command, [options](Env& env) {
    std::optional<std::chrono::milliseconds> timeout;
    if (options->timeout) timeout = parse_timeout(*options->timeout);
    auto& out = env.out();
    InterruptHandler interrupt;
    std::unique_ptr<term::ProgressDisplay> display;
    if (out.live_progress()) {
      display = term::make_progress(out, term::ProgressLook::bar, static_cast<std::int64_t>(options->ids.size()),
                                    env.app().clock());
    }
    const auto result =
        app::wait_for_jobs(env.app(), options->ids, timeout, interrupt.token(), [&](const std::vector<app::Job>& jobs) {
          if (display) display->set_counts(counts_of(jobs));
        });
    if (display) display->finish();
    if (result.end == app::WaitEnd::stopped) return interrupted(env);
    present(out, WaitedJobs{result});
    if (result.end == app::WaitEnd::timed_out) {
      out.error(fmt::format("timed out after {} waiting for the jobs", *options->timeout));
      return exit_code(ErrorCode::failed);
    }
    return result.all_completed() ? 0 : exit_code(ErrorCode::failed);
  });
}

void add_watch(CLI::App& group, Registry& registry) {
  auto target = make_options<app::WatchTarget>();
  auto* command = group.add_subcommand("watch", "Follow jobs live, also those another process is running");
  auto* ids = command->add_option("id", target->job_ids, "Job ids (default: your pending and running jobs)")
                  ->check(CLI::PositiveNumber);
  command->add_option("--batch", target->batch_id, "Every job of this batch")
      ->check(CLI::PositiveNumber)
      ->excludes(ids);
  command->footer("Needs: a login; only your own jobs.\n"
                  "A progress bar on a terminal; otherwise one line per status change (with --json one NDJSON\n"
                  "object per change on stdout). Ends when every watched job is finished.\n"
                  "Exit codes: 0 all completed, 1 some failed or were cancelled, 130 interrupted.");
  registry.on(command, [target](Env& env) {
    const auto watched = app::resolve_watch_target(env.app(), *target);
    auto& out = env.out();
    if (watched.empty()) {
      if (out.json()) {
        out.print_json_line({{"event", "idle"}, {"jobs", 0}});
      } else {
        out.note("no pending or running jobs to watch");
      }
      return 0;
    }
    InterruptHandler interrupt;
    std::unique_ptr<term::ProgressDisplay> display;
    if (out.live_progress()) {
      display = term::make_progress(out, term::ProgressLook::bar, static_cast<std::int64_t>(watched.size()),
                                    env.app().clock());
    }
    std::map<std::int64_t, app::JobStatus> last;
    const auto result =
        app::wait_for_jobs(env.app(), watched, std::nullopt, interrupt.token(), [&](const std::vector<app::Job>& jobs) {
          if (display) {
            display->set_counts(counts_of(jobs));
            return;
          }
          for (const auto& job : jobs) {
            auto seen = last.find(job.id);
            if (seen != last.end() && seen->second == job.status) continue;
            last[job.id] = job.status;
            if (out.json()) {
              nlohmann::json line = {{"job_id", job.id},
                                     {"status", app::to_string(job.status)},
                                     {"attempts", job.attempts},
                                     {"post_id", job.post_id ? nlohmann::json(*job.post_id) : nlohmann::json()},
                                     {"at", format_iso8601(job.updated_at)}};
              if (!job.error.empty()) line["error"] = job.error;
              out.print_json_line(line);
            } else if (!out.quiet()) {
              out.line(one_line(job));
              out.out_stream().flush();
            }
          }
        });
    if (display) display->finish();
    if (result.end == app::WaitEnd::stopped) return interrupted(env);
    return result.all_completed() ? 0 : exit_code(ErrorCode::failed);
  });
}

void add_job_cancel(CLI::App& group, Registry& registry) {
  auto id = std::make_shared<std::int64_t>(0);
  auto* command =
      group.add_subcommand("cancel", "Cancel a job: a pending one at once, a running one at its next check");
  command->add_option("id", *id, "The job id")->required()->check(CLI::PositiveNumber);
  command->footer("Needs: a login; only your own jobs. Exit code 1 when the job has finished already.");
  registry.on(command, [id](Env& env) {
    const auto effect = app::cancel_job(env.app(), *id);
    const bool now = effect == app::CancelEffect::cancelled;
    present(env.out(),
            Outcome{{{"job_id", *id}, {"status", now ? "cancelled" : "cancel_requested"}},
                    now ? fmt::format("job {} cancelled", *id)
                        : fmt::format("cancel requested for job {}; its worker stops at its next check", *id),
                    {},
                    {}});
    return 0;
  });
}

void add_job_retry(CLI::App& group, Registry& registry) {
  auto id = std::make_shared<std::int64_t>(0);
  auto* command = group.add_subcommand("retry", "Queue a failed or cancelled job again with fresh attempts");
  command->add_option("id", *id, "The job id")->required()->check(CLI::PositiveNumber);
  command->footer("Needs: a login; only your own jobs. A worker ('blogen worker') runs it.\n"
                  "Exit code 1 when the job is not failed or cancelled.");
  registry.on(command, [id](Env& env) {
    const app::Job job = app::retry_job(env.app(), *id);
    present(env.out(), Outcome{{{"job", app::job_json(job)}},
                               fmt::format("job {} queued again{}", job.id, post_suffix(job)),
                               {},
                               {std::to_string(job.id)}});
    return 0;
  });
}

} // namespace

namespace {

constexpr std::array<std::string_view, 1> k_job_list_names{"list"};
constexpr std::array<std::string_view, 1> k_job_show_names{"show"};
constexpr std::array<std::string_view, 1> k_job_wait_names{"wait"};
constexpr std::array<std::string_view, 1> k_job_watch_names{"watch"};
constexpr std::array<std::string_view, 1> k_job_cancel_names{"cancel"};
constexpr std::array<std::string_view, 1> k_job_retry_names{"retry"};

// In the order `blogen job --help` lists them.
const std::array k_job_parts{
    CommandPart{k_job_list_names, add_job_list},     CommandPart{k_job_show_names, add_job_show},
    CommandPart{k_job_wait_names, add_wait},         CommandPart{k_job_watch_names, add_watch},
    CommandPart{k_job_cancel_names, add_job_cancel}, CommandPart{k_job_retry_names, add_job_retry},
};

} // namespace

void add_job_commands(CLI::App& root, Registry& registry) {
  auto* job = root.add_subcommand("job", "Inspect and control queued work (list, show, wait, watch, cancel, retry)");
  job->require_subcommand(0, 1);
  add_parts(*job, registry, k_job_parts, registry.wanted_subcommand());
}

} // namespace blogen::cli
