#pragma once
// Running a batch's queued posts now, in worker threads of this process, with a progress bar.

#include "command.hpp"

#include <cstdint>

namespace blogen::cli {

/// Runs a batch's queued jobs here with a progress bar, then prints the batch (JSON with --json). Exit code: 0 when
/// every post completed, 1 when any failed or was cancelled, and Error{interrupted} (130) on Ctrl-C, the unfinished
/// jobs staying queued.
int run_batch_in_foreground(Env& env, std::int64_t batch_id, int concurrency, std::int64_t expected);

} // namespace blogen::cli
