#pragma once
// Running one queued job now, in a worker thread of this process, with a spinner or the text streaming to stdout.
// Ctrl-C stops it and leaves the job queued for a worker.

#include "command.hpp"

#include <blogen/app/generation_handler.hpp>
#include <blogen/app/views.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace blogen::cli {

/// Runs the job `job_id` (which fills post `post_id`) to its end and returns the job as it finished. With
/// Stream::yes (and no --json) deltas are printed to stdout as they arrive, sanitised. Throws Error{interrupted}
/// on Ctrl-C (the job is pending again), Error{provider} when the provider refused for good (auth, quota, unknown
/// model, bad request) and Error{failed} when the job failed otherwise.
app::Job run_job_in_foreground(Env& env, std::int64_t job_id, std::int64_t post_id, app::Stream stream);

/// After `--detach` queued work for `provider` (nullopt: the one in use): a warning on stderr when this process
/// could not read the provider's key. The work stays queued, since the worker that runs it may have the key (a
/// foreground run calls app::require_credentials before it writes anything instead).
void warn_if_no_credentials(Env& env, const std::optional<std::string>& provider);

} // namespace blogen::cli
