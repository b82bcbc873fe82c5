#include "foreground_batch.hpp"
#include "batch_views.hpp"

#include <blogen/app/batches.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/interrupt.hpp>
#include <blogen/term/progress.hpp>

#include <fmt/format.h>

namespace blogen::cli {

int run_batch_in_foreground(Env& env, std::int64_t batch_id, int concurrency, std::int64_t expected) {
  term::Output& out = env.out();
  InterruptHandler interrupt;
  auto display =
      term::make_progress(out, term::ProgressLook::bar, expected, env.app().clock(), fmt::format("batch {}", batch_id));
  const app::BatchRun run = app::run_batch(env.app(), batch_id, concurrency, *display, interrupt.token());
  display->finish();
  if (run.interrupted) {
    throw Error(ErrorCode::interrupted,
                fmt::format("interrupted; the {} unfinished posts of batch {} stay queued ('blogen worker' or "
                            "'blogen batch retry {}' picks them up)",
                            run.view.counts.pending + run.view.counts.running, batch_id, batch_id));
  }
  // The posts are read only for what shows them: every post for --json, the failed ones' errors as text. Read for
  // nothing, the 10 000 captions of a large batch were its run's peak memory.
  const bool posts_shown = out.json() || (!out.quiet() && run.view.counts.failed > 0);
  present(out, FinishedBatch{run.view,
                             posts_shown ? app::batch_posts(env.app(), batch_id) : std::vector<store::BatchPost>{}});
  return run.view.status == app::BatchStatus::completed ? 0 : 1;
}

} // namespace blogen::cli
