// `blogen schedule ...`: one-shot and cron schedules that queue ordinary jobs, and `run-due`, what cron calls.
#include "commands.hpp"
#include "post_flags.hpp"
#include "present.hpp"

#include <blogen/app/batch_input.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/app/runner_tokens.hpp>
#include <blogen/app/schedules.hpp>
#include <blogen/core/cron.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/interrupt.hpp>
#include <blogen/core/time_zone.hpp>
#include <blogen/term/progress.hpp>
#include <blogen/term/sanitize.hpp>
#include <blogen/term/table.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>

namespace blogen::cli {
namespace {

std::string when_text(const store::Schedule& schedule) {
  if (schedule.kind == store::ScheduleKind::cron) return schedule.spec;
  return "at " + format_local_time(parse_local_time(schedule.spec, "UTC"), schedule.tz);
}

std::string next_text(const app::ScheduleView& view) {
  if (view.upcoming.empty()) return "-";
  return format_local_time(view.upcoming.front(), view.schedule.tz);
}

std::string name_text(const store::Schedule& schedule) {
  return schedule.name.empty() ? "-" : term::sanitize_single_line(schedule.name);
}

// ---- Views --------------------------------------------------------------------------------------------------------

/// `schedule add`, `pause`, `resume`: the schedule after the change, with a sentence.
struct ScheduleChanged {
  app::ScheduleView view;
  std::string sentence;
};

nlohmann::json to_json(const ScheduleChanged& changed) { return app::schedule_json(changed.view); }
void to_quiet(term::Output& out, const ScheduleChanged& changed) { out.line(std::to_string(changed.view.schedule.id)); }
void to_text(term::Output& out, const ScheduleChanged& changed) {
  out.line(changed.sentence);
  if (!changed.view.upcoming.empty()) {
    const TimestampMs next = changed.view.upcoming.front();
    out.note(fmt::format("Next run: {} ({} UTC).", format_local_time(next, changed.view.schedule.tz),
                         format_short_time(next)));
  }
}

/// `schedule list`.
struct ScheduleList {
  std::vector<app::ScheduleView> schedules;
};

nlohmann::json to_json(const ScheduleList& list) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& view : list.schedules)
    array.push_back(app::schedule_json(view));
  return array;
}
void to_quiet(term::Output& out, const ScheduleList& list) {
  print_each(out, list.schedules, [](const app::ScheduleView& view) { return std::to_string(view.schedule.id); });
}
void to_text(term::Output& out, const ScheduleList& list) {
  if (list.schedules.empty()) {
    out.note("No schedules yet; add one with 'blogen schedule add --cron \"0 9 * * MON\" --topic T'.");
    return;
  }
  term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                     {"NAME", term::ColumnFit::flexible},
                     {"WHEN"},
                     {"ZONE"},
                     {"STATE"},
                     {"NEXT"},
                     {"WHAT", term::ColumnFit::flexible}});
  for (const auto& view : list.schedules) {
    const store::Schedule& s = view.schedule;
    table.add_row({std::to_string(s.id), name_text(s), when_text(s), s.tz, std::string(app::schedule_state(s)),
                   next_text(view), term::sanitize_single_line(app::schedule_target(s))});
  }
  out.table(table);
}

/// `schedule show`.
struct ScheduleShown {
  app::ScheduleDetails details;
};

nlohmann::json to_json(const ScheduleShown& shown) {
  nlohmann::json document = app::schedule_json(shown.details.view);
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& run : shown.details.runs)
    runs.push_back(app::schedule_run_json(run, shown.details.view.schedule.tz));
  document["runs"] = runs;
  const auto& details = shown.details;
  document["estimate"] = details.estimate ? app::estimate_json(*details.estimate) : nlohmann::json();
  document["estimate_error"] =
      details.estimate_error.empty() ? nlohmann::json() : nlohmann::json(details.estimate_error);
  return document;
}
void to_quiet(term::Output& out, const ScheduleShown& shown) {
  out.line(std::to_string(shown.details.view.schedule.id));
}
void to_text(term::Output& out, const ScheduleShown& shown) {
  const store::Schedule& s = shown.details.view.schedule;
  out.line(fmt::format("id:        {}", s.id));
  out.line(fmt::format("name:      {}", name_text(s)));
  out.line(fmt::format("when:      {}", when_text(s)));
  out.line(fmt::format("zone:      {}", s.tz));
  out.line(fmt::format("state:     {}", app::schedule_state(s)));
  out.line(fmt::format("catch-up:  {}", s.catch_up ? "yes (missed occurrences fire once)" : "no (missed ones skip)"));
  out.line(fmt::format("what:      {}", term::sanitize_single_line(app::schedule_target(s))));
  if (s.last_run_at) out.line(fmt::format("last run:  {}", format_local_time(*s.last_run_at, s.tz)));
  if (!shown.details.view.upcoming.empty()) {
    out.line("next runs:");
    for (const TimestampMs at : shown.details.view.upcoming)
      out.line(fmt::format("  {}   {} UTC", format_local_time(at, s.tz), format_short_time(at)));
  }
  if (shown.details.estimate) {
    out.line(fmt::format("next run:  {}", term::sanitize_single_line(app::describe_estimate(*shown.details.estimate))));
  } else if (!shown.details.estimate_error.empty()) {
    out.line(fmt::format("next run:  cannot be estimated now: {}",
                         term::sanitize_single_line(shown.details.estimate_error)));
  }
  if (shown.details.runs.empty()) return;
  out.line("last runs:");
  term::Table table({{"OCCURRENCE"}, {"STATUS"}, {"JOB"}, {"JOB STATUS"}, {"ERROR", term::ColumnFit::flexible}});
  for (const auto& view : shown.details.runs) {
    const auto& run = view.run;
    std::string work = run.job_id ? std::to_string(*run.job_id) : "-";
    if (run.batch_id) work = "batch " + std::to_string(*run.batch_id);
    table.add_row({format_local_time(run.occurrence_at, s.tz), std::string(store::to_string(run.status)), work,
                   view.job ? std::string(store::to_string(view.job->status)) : "-",
                   run.error.empty()
                       ? (view.job && !view.job->error.empty() ? term::sanitize_single_line(view.job->error) : "")
                       : term::sanitize_single_line(run.error)});
  }
  out.table(table);
}

/// How run-due names a schedule: "schedule 2", or "schedule 2 (Weekly news)" when it has a name.
std::string label(const app::DueRun& run) {
  if (run.schedule_name.empty()) return fmt::format("schedule {}", run.schedule_id);
  return fmt::format("schedule {} ({})", run.schedule_id, term::sanitize_single_line(run.schedule_name));
}

/// `schedule run-due`: silent on success (cron mails what a job prints); problems go to stderr.
struct RunDueShown {
  app::RunDueResult result;
  app::DryRun dry_run = app::DryRun::no;
};

nlohmann::json to_json(const RunDueShown& shown) {
  nlohmann::json document = app::run_due_json(shown.result);
  document["dry_run"] = shown.dry_run == app::DryRun::yes;
  return document;
}
void to_text(term::Output& out, const RunDueShown& shown) {
  if (shown.dry_run == app::DryRun::no) return;
  if (shown.result.runs.empty()) {
    out.line("Nothing is due.");
    return;
  }
  for (const app::DueRun& run : shown.result.runs) {
    std::string sentence =
        run.status == store::RunStatus::queued
            ? fmt::format("would run {} for {} UTC", label(run), format_short_time(run.occurrence_at))
            : fmt::format("would skip {}: missed, no --catch-up", label(run));
    if (run.skipped > 0) sentence += fmt::format("; {} missed occurrence(s) recorded as skipped", run.skipped);
    out.line(sentence);
  }
}

// ---- Commands -----------------------------------------------------------------------------------------------------

struct ScheduleIdOptions {
  std::int64_t id = 0;
};

void add_schedule_id(CLI::App* command, const std::shared_ptr<ScheduleIdOptions>& options) {
  command->add_option("id", options->id, "Schedule id")->required();
}

void add_schedule_add(CLI::App& schedule, Registry& registry) {
  auto request = make_options<app::AddScheduleRequest>();
  auto* command = schedule.add_subcommand("add", "Schedule a blog post or a campaign batch, once or on a cron rule");
  auto& r = *request;
  command->add_option("--at", r.at, "Run once at this local time: \"2026-12-01 09:00\" or ISO 8601 (Z/offset ok)");
  // Completion offers the macros: a 5-field expression has no short list of values.
  registry.suggest(command->add_option("--cron", r.cron,
                                       "Run on a 5-field cron expression or @hourly/@daily/@weekly/@monthly/@yearly"),
                   cron_macro_names());
  command->add_flag("--now", r.now, "Run once, at the next 'schedule run-due' (however late it comes)");
  command->add_option("--tz", r.tz, "IANA time zone of --at and --cron (default: the system's, e.g. Europe/Paris)");
  command->add_option("--topic", r.topic, "Write a blog post on this topic at each run");
  command->add_option("--topics-file", r.topics_file, "Write one post per run, taking the file's lines in turn");
  command->add_option("--campaign", r.campaign_id, "Run a batch of this campaign at each run (with --file or --count)");
  command->add_option("--file", r.file, "Batch rows (CSV or JSON, as 'campaign run'); read again at every run");
  command->add_option("--count", r.count, "Batch of this many posts on topics derived from the campaign");
  add_post_flags(*command, r.post, registry,
                 "USD each run may spend at most (its post, or its whole batch), as 'blog create --max-cost'");
  registry.suggest(command->add_option("--platform", r.platform, "Batch platform (as 'campaign run')"),
                   app::social_platforms());
  command->add_option("--name", r.name, "A name to recognise the schedule by");
  command->add_flag_callback(
      "--catch-up", [request]() { request->catch_up = app::CatchUp::yes; },
      "After downtime, run the most recent missed occurrence once (default: skip missed ones)");
  command->footer(fmt::format(
      "Needs: a login. Writes: a schedule (nothing runs until 'blogen schedule run-due', see 'schedule crontab').\n"
      "Exactly one of --at, --cron, --now and one of --topic, --topics-file, --campaign. Everything is checked\n"
      "now, by the code each run uses, and nothing is stored on error. A batch takes --provider, --model and\n"
      "--max-cost of the post flags. Tones: {}.\n"
      "Cron: minute hour day-of-month month day-of-week; lists 1,15  ranges 9-17  steps */15  names JAN, MON;\n"
      "when both day fields are restricted a day matching either runs (cron's rule). Evaluated in --tz.\n"
      "DST: a local time the clock skips (spring forward) runs once at the first instant after the gap; a local time\n"
      "that happens twice (fall back) runs once, the first time.\n"
      "Exit codes: 6 invalid --cron, --at or --tz (names the field and value), 2 bad flag or --at in the past,\n"
      "3 campaign not found.\n"
      "Example: blogen schedule add --cron \"0 9 * * MON\" --tz Europe/Berlin --topics-file topics.txt --words 600",
      fmt::join(app::post_tones(), ", ")));
  registry.on(command, [request](Env& env) {
    const app::ScheduleView view = app::add_schedule(env.app(), *request);
    const std::string label =
        view.schedule.name.empty() ? "" : " (" + term::sanitize_single_line(view.schedule.name) + ")";
    present(env.out(), ScheduleChanged{view, fmt::format("Added schedule {}{}: {}, {}.", view.schedule.id, label,
                                                         when_text(view.schedule), view.schedule.tz)});
    return 0;
  });
}

void add_schedule_list(CLI::App& schedule, Registry& registry) {
  auto* command = schedule.add_subcommand("list", "List your schedules with their next run");
  command->footer("Needs: a login. With -q prints one id per line.");
  registry.on(command, [](Env& env) {
    present(env.out(), ScheduleList{app::list_schedules(env.app())});
    return 0;
  });
}

void add_schedule_show(CLI::App& schedule, Registry& registry) {
  auto options = make_options<ScheduleIdOptions>();
  auto* command = schedule.add_subcommand("show", "Show a schedule, its next 5 runs and its last runs with their jobs");
  add_schedule_id(command, options);
  command->footer("Needs: a login. Another user's schedule is 'not found' (exit 3).\n"
                  "'next run' estimates the next run's calls, tokens, cost and time as 'blog create --dry-run' and\n"
                  "'campaign run --dry-run' do (at today's prices and provider settings; nothing is written).");
  registry.on(command, [options](Env& env) {
    present(env.out(), ScheduleShown{app::show_schedule(env.app(), options->id)});
    return 0;
  });
}

void add_pause_resume(CLI::App& schedule, Registry& registry) {
  auto pause_options = make_options<ScheduleIdOptions>();
  auto* pause = schedule.add_subcommand("pause", "Stop a schedule from running (until resumed)");
  add_schedule_id(pause, pause_options);
  pause->footer("Needs: a login.");
  registry.on(pause, [pause_options](Env& env) {
    const app::ScheduleView view = app::pause_schedule(env.app(), pause_options->id);
    present(env.out(), ScheduleChanged{app::ScheduleView{view.schedule, {}},
                                       fmt::format("Paused schedule {}.", view.schedule.id)});
    return 0;
  });
  auto resume_options = make_options<ScheduleIdOptions>();
  auto* resume = schedule.add_subcommand("resume", "Let a paused schedule run again from now on");
  add_schedule_id(resume, resume_options);
  resume->footer("Needs: a login. Occurrences that passed while it was paused are not caught up.");
  registry.on(resume, [resume_options](Env& env) {
    const app::ScheduleView view = app::resume_schedule(env.app(), resume_options->id);
    present(env.out(), ScheduleChanged{view, fmt::format("Resumed schedule {}.", view.schedule.id)});
    return 0;
  });
}

void add_schedule_remove(CLI::App& schedule, Registry& registry) {
  auto options = make_options<ScheduleIdOptions>();
  auto* command = schedule.add_subcommand("remove", "Delete a schedule and its run history");
  add_schedule_id(command, options);
  command->footer("Needs: a login. The posts and jobs it queued stay.");
  registry.on(command, [options](Env& env) {
    app::remove_schedule(env.app(), options->id);
    present(env.out(), Outcome{{{"removed", options->id}},
                               fmt::format("Removed schedule {}.", options->id),
                               {},
                               {std::to_string(options->id)}});
    return 0;
  });
}

void add_run_due(CLI::App& schedule, Registry& registry) {
  auto dry_run = std::make_shared<bool>(false);
  auto* command = schedule.add_subcommand("run-due", "Queue what is due, process it, exit (what cron calls)");
  command->add_flag("--dry-run", *dry_run, "Print what is due; write and run nothing");
  command->footer(
      "Needs: a login or a runner token (BLOGEN_TOKEN_FILE, see 'schedule crontab'). Runs the user's schedules.\n"
      "Each due occurrence is claimed once (safe to run every minute, and twice at once), its job(s) queued and\n"
      "processed before exiting. An occurrence more than 15 minutes late was missed: with --catch-up the most\n"
      "recent one runs, the others are recorded as skipped. A one-shot schedule finishes after its run.\n"
      "Prints nothing on success; one line per problem on stderr.\n"
      "Exit codes: 0 done, 1 a run could not queue its work or its work failed (the schedule stays active and the\n"
      "occurrence is not run again), 4 no login or a revoked token, 130 interrupted (queued work stays queued).");
  registry.on(command, [dry_run](Env& env) {
    env.app().accept_runner_tokens();
    auto& out = env.out();
    InterruptHandler interrupt;
    std::unique_ptr<term::ProgressDisplay> display;
    // Cron mails whatever a job prints: progress only on a terminal.
    if (out.stderr_is_tty()) {
      display = term::make_progress(out, term::ProgressLook::bar, 0, env.app().clock());
    } else {
      display = std::make_unique<term::SilentProgress>();
    }
    const app::DryRun mode = *dry_run ? app::DryRun::yes : app::DryRun::no;
    const app::RunDueResult result = app::run_due(env.app(), mode, *display, interrupt.token());
    display->finish();
    present(out, RunDueShown{result, mode});
    if (interrupt.interrupted()) {
      out.error("interrupted; queued work stays queued for the next run-due or 'blogen worker'");
      return exit_code(ErrorCode::interrupted);
    }
    for (const app::DueRun& run : result.runs) {
      if (run.status == store::RunStatus::failed || run.work_failed) {
        out.error(fmt::format("{}, {} UTC: {}", label(run), format_short_time(run.occurrence_at),
                              term::sanitize_single_line(run.error)));
      }
    }
    return result.failed() ? exit_code(ErrorCode::failed) : 0;
  });
}

void add_crontab(CLI::App& schedule, Registry& registry) {
  auto* command = schedule.add_subcommand("crontab", "Mint a runner token and print the crontab line that uses it");
  command->footer(
      "Needs: a login (not a runner token). Writes: a runner token for you to $XDG_CONFIG_HOME/blogen/runner-token\n"
      "(0600), replacing (revoking) the one there before. A runner token never expires and is good only for\n"
      "'schedule run-due' and 'worker'; 'logout --all' and 'passwd' revoke it too. The printed line names the\n"
      "store and the token file by absolute paths (BLOGEN_DB, BLOGEN_TOKEN_FILE), never the token itself.\n"
      "Install: (crontab -l 2>/dev/null; blogen schedule crontab -q) | crontab -");
  registry.on(command, [](Env& env) {
    std::error_code ec;
    std::filesystem::path binary = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) throw Error(ErrorCode::failed, "cannot find the blogen executable's path: " + ec.message());
    const app::RunnerSetup setup = app::setup_runner(env.app(), binary);
    present(env.out(), Outcome{{{"crontab_line", setup.crontab_line},
                                {"command", setup.command},
                                {"token_file", setup.token_file.string()},
                                {"store", setup.store.string()},
                                {"session_id", setup.session_id},
                                {"replaced", setup.replaced},
                                {"password_left_out", setup.password_left_out}},
                               setup.crontab_line,
                               fmt::format("Runner token {} written to {}{}. Install the line with:\n"
                                           "  (crontab -l 2>/dev/null; blogen schedule crontab -q) | crontab -\n"
                                           "(that mints a fresh token; or paste the line above into 'crontab -e').{}",
                                           setup.session_id, setup.token_file.string(),
                                           setup.replaced > 0 ? " (the previous one is revoked)" : "",
                                           setup.password_left_out
                                               ? "\nThe store's password is not in the line (cron would show it): "
                                                 "put it in ~/.pgpass (mode 0600), where libpq finds it."
                                               : ""),
                               {setup.crontab_line}});
    return 0;
  });
}

} // namespace

void add_schedule_commands(CLI::App& root, Registry& registry) {
  auto* schedule = root.add_subcommand("schedule", "Schedules: queue posts or batches once or on a cron rule");
  schedule->footer("Set-up for cron: 'blogen schedule crontab', then install the line it prints.");
  add_schedule_add(*schedule, registry);
  add_schedule_list(*schedule, registry);
  add_schedule_show(*schedule, registry);
  add_pause_resume(*schedule, registry);
  add_schedule_remove(*schedule, registry);
  add_run_due(*schedule, registry);
  add_crontab(*schedule, registry);
}

} // namespace blogen::cli
