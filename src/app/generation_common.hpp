#pragma once
// App-internal pieces both generation handlers (blog text, social caption and image) share: logging an attempt,
// describing a failure, and giving a stopped job back.

#include <blogen/gen/provider.hpp>
#include <blogen/gen/retry.hpp>
#include <blogen/jobs/handler.hpp>

#include <cstdint>
#include <string>

namespace blogen::app::detail {

/// Appends one chat attempt to the generation log (prompt, answer, tokens, status, latency): an attempt that another
/// follows at once, the last one with the job's outcome (JobContext::defer).
void log_attempt(jobs::JobContext& job, std::int64_t post_id, const gen::ProviderConfig& config,
                 const gen::ChatRequest& request, const gen::ChatResult& result, const gen::AttemptInfo& info);
/// Appends one image attempt to the generation log (the prompt, and the image's type and size instead of its bytes),
/// as the chat one.
void log_attempt(jobs::JobContext& job, std::int64_t post_id, const gen::ProviderConfig& config,
                 const gen::ImageRequest& request, const gen::ImageResult& result, const gen::AttemptInfo& info);

/// "provider NAME failed (KIND), HTTP N: MESSAGE after N attempts", the parts that are known.
std::string describe_failure(const gen::ProviderConfig& config, const gen::ChatResult& result);
/// The same for an image call.
std::string describe_failure(const gen::ProviderConfig& config, const gen::ImageResult& result);

/// Whether a call ended because the job was told to stop (shutdown or cancel) rather than by the provider.
template <typename Result> bool stopped(const Result& result, const jobs::JobContext& job) {
  return result.error == gen::ErrorKind::cancelled || (!result.ok && job.stop.stop_requested());
}

/// The outcome of a stopped job. The worker gives it back on a shutdown or cancels it on a cancel request, and the
/// post follows the job there, under the lease (a worker that lost its lease writes nothing).
jobs::JobOutcome stopped_outcome();

} // namespace blogen::app::detail
