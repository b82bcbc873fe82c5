// `blogen worker`: run queued jobs in this process until stopped (or idle).
#include "commands.hpp"
#include "present.hpp"

#include <blogen/app/jobs_service.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/interrupt.hpp>
#include <blogen/term/progress.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

constexpr int k_max_concurrency = 64;

} // namespace

void add_worker_command(CLI::App& root, Registry& registry) {
  auto request = make_options<app::WorkerRequest>();
  auto* command = root.add_subcommand("worker", "Run queued jobs (posts, batches, schedules) in worker threads");
  command
      ->add_option("--concurrency", request->concurrency,
                   "Jobs run at once (default: the default provider's max concurrency)")
      ->check(int_range(1, k_max_concurrency));
  command->add_flag_callback(
      "--until-idle", [request]() { request->stop_when = app::StopWhen::idle; },
      "Exit once no job is pending or running");
  command->add_option("--max-jobs", request->max_jobs, "Exit after taking this many jobs")->check(CLI::PositiveNumber);
  command->footer(
      "Needs: a login or a runner token ('blogen schedule crontab'). An admin's worker runs every user's jobs;\n"
      "anyone else's runs only their own.\n"
      "Several workers (threads or processes) can share one store: a job is claimed by one of them, kept with a\n"
      "lease they renew while it runs (60 s; BLOGEN_LEASE_SECONDS overrides it), and taken up again by another\n"
      "worker when its process dies. Ctrl-C (or SIGTERM) stops taking jobs, gives running ones 2 s to stop and\n"
      "puts them back in the queue; a second Ctrl-C quits at once.\n"
      "Progress: a live line on a terminal, 'job N completed' lines otherwise, NDJSON events on stderr with --json.\n"
      "Exit codes: 0 done (failed jobs are in 'blogen job list --status failed'), 130 interrupted.");
  registry.on(command, [request](Env& env) {
    env.app().accept_runner_tokens(); // cron's runner token may run workers
    auto& out = env.out();
    InterruptHandler interrupt;
    auto display = term::make_progress(out, term::ProgressLook::bar, 0, env.app().clock());
    const auto summary = app::run_worker(env.app(), *request, *display, interrupt.token());
    display->finish();
    const bool stopped = interrupt.interrupted();
    std::string line = fmt::format("worker: {} completed, {} failed, {} cancelled", summary.completed, summary.failed,
                                   summary.cancelled);
    if (summary.retried > 0) line += fmt::format(", {} to retry later", summary.retried);
    if (summary.released > 0) line += fmt::format(", {} put back in the queue", summary.released);
    present(out, Outcome{{{"completed", summary.completed},
                          {"failed", summary.failed},
                          {"cancelled", summary.cancelled},
                          {"retried", summary.retried},
                          {"released", summary.released},
                          {"lost", summary.lost},
                          {"interrupted", stopped}},
                         line,
                         {},
                         {}});
    if (stopped) {
      out.error("interrupted; unfinished jobs are queued again");
      return exit_code(ErrorCode::interrupted);
    }
    return 0;
  });
}

} // namespace blogen::cli
