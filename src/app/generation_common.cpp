#include "generation_common.hpp"

#include <blogen/app/costs.hpp>
#include <blogen/app/generation_handler.hpp>
#include <blogen/store/generation_log_repository.hpp>
#include <blogen/store/job_repository.hpp>
#include <blogen/store/post_repository.hpp>

#include <fmt/format.h>

namespace blogen::app::detail {
namespace {

// What every logged attempt records, whatever it asked for.
template <typename Result>
store::GenerationLogEntry attempt_entry(const jobs::JobContext& job, std::int64_t post_id,
                                        const gen::ProviderConfig& config, const Result& result, int attempt) {
  store::GenerationLogEntry entry;
  entry.user_id = job.job.user_id;
  entry.job_id = job.job.id;
  entry.post_id = post_id;
  entry.provider = config.name;
  entry.attempt = attempt;
  entry.status = result.ok ? "ok" : std::string(gen::to_string(result.error));
  entry.error = result.error_message;
  entry.http_status = result.http_status;
  entry.latency_ms = result.latency.count();
  entry.created_at = job.clock.now_ms();
  entry.batch_id = job.job.batch_id;
  return entry;
}

// What a call cost, at the price in force when it was made (kept with it: a later price change does not rewrite it).
struct CallPrice {
  gen::ProviderConfig config;
  std::int64_t images = 0;
  std::string image_size{k_default_image_size};

  std::optional<std::int64_t> cost(store::Database& db, const store::GenerationLogEntry& entry) const {
    const auto price = price_in_force(db, config, entry.model, entry.created_at);
    if (!price) return std::nullopt;
    return cost_at(*price, entry.prompt_tokens, entry.completion_tokens, images, image_size);
  }
};

// Appends an attempt to the log, priced in the same transaction: at once when another attempt follows (a crash during
// the retries keeps the calls made so far), else with the job's outcome (JobContext::defer: the last call and the
// job's new state land together). Pricing it there rather than at the call saves the worker a read of its own.
void append(jobs::JobContext& job, store::GenerationLogEntry entry, CallPrice price, bool will_retry) {
  auto write = [entry = std::move(entry), price = std::move(price)](store::Database& db) mutable {
    entry.cost_nanos = price.cost(db, entry);
    store::GenerationLogRepository(db).append(entry);
  };
  if (!will_retry) {
    job.defer(std::move(write));
    return;
  }
  store::WriteTransaction transaction(job.db);
  write(job.db);
  transaction.commit();
}

template <typename Result> std::string failure_text(const gen::ProviderConfig& config, const Result& result) {
  std::string message = fmt::format("provider {} failed ({})", config.name, gen::to_string(result.error));
  if (result.http_status != 0) message += fmt::format(", HTTP {}", result.http_status);
  if (!result.error_message.empty()) message += ": " + result.error_message;
  if (result.attempts > 1) message += fmt::format(" after {} attempts", result.attempts);
  return message;
}

} // namespace

void log_attempt(jobs::JobContext& job, std::int64_t post_id, const gen::ProviderConfig& config,
                 const gen::ChatRequest& request, const gen::ChatResult& result, const gen::AttemptInfo& info) {
  store::GenerationLogEntry entry = attempt_entry(job, post_id, config, result, info.attempt);
  entry.model = !result.model.empty() ? result.model : !request.model.empty() ? request.model : config.model;
  entry.call = "chat";
  entry.prompt = prompt_text(request);
  entry.response = result.text;
  entry.prompt_tokens = result.usage.prompt_tokens;
  entry.completion_tokens = result.usage.completion_tokens;
  append(job, std::move(entry), CallPrice{config}, info.will_retry);
}

void log_attempt(jobs::JobContext& job, std::int64_t post_id, const gen::ProviderConfig& config,
                 const gen::ImageRequest& request, const gen::ImageResult& result, const gen::AttemptInfo& info) {
  store::GenerationLogEntry entry = attempt_entry(job, post_id, config, result, info.attempt);
  entry.model = !request.model.empty() ? request.model : config.image_model;
  entry.call = "image";
  entry.prompt = request.prompt;
  // The bytes themselves go to the image file; the log keeps what they were.
  entry.response = result.ok ? fmt::format("{} ({} bytes)", result.mime_type, result.bytes.size()) : "";
  // Priced by the size asked for.
  append(job, std::move(entry), CallPrice{config, result.ok ? 1 : 0, request.size}, info.will_retry);
}

std::string describe_failure(const gen::ProviderConfig& config, const gen::ChatResult& result) {
  return failure_text(config, result);
}

std::string describe_failure(const gen::ProviderConfig& config, const gen::ImageResult& result) {
  return "image: " + failure_text(config, result);
}

jobs::JobOutcome stopped_outcome() {
  jobs::JobOutcome outcome;
  outcome.kind = jobs::OutcomeKind::cancelled;
  outcome.error = "stopped";
  outcome.error_kind = "cancelled";
  return outcome;
}

} // namespace blogen::app::detail
