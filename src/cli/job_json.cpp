#include "job_json.hpp"

#include <fmt/format.h>

namespace blogen::cli {
namespace {

nlohmann::json iso_or_null(const std::optional<TimestampMs>& ms) {
  return ms ? nlohmann::json(format_iso8601(*ms)) : nlohmann::json(nullptr);
}

template <typename T> nlohmann::json value_or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

} // namespace

nlohmann::json job_json(const store::Job& job) {
  nlohmann::json duration = nullptr;
  if (job.started_at && job.finished_at) duration = *job.finished_at - *job.started_at;
  return {{"id", job.id},
          {"kind", job.kind},
          {"status", store::to_string(job.status)},
          {"attempts", job.attempts},
          {"max_attempts", job.max_attempts},
          {"post_id", value_or_null(job.post_id)},
          {"batch_id", value_or_null(job.batch_id)},
          {"error", job.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.error)},
          {"error_kind", job.error_kind.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.error_kind)},
          {"provider", job.provider},
          {"model", job.model},
          {"prompt_tokens", job.prompt_tokens},
          {"completion_tokens", job.completion_tokens},
          {"cancel_requested", job.cancel_requested},
          {"run_after", format_iso8601(job.run_after)},
          {"created_at", format_iso8601(job.created_at)},
          {"started_at", iso_or_null(job.started_at)},
          {"finished_at", iso_or_null(job.finished_at)},
          {"duration_ms", duration}};
}

nlohmann::json log_entry_json(const store::GenerationLogEntry& entry) {
  return {{"id", entry.id},
          {"provider", entry.provider},
          {"model", entry.model},
          {"call", entry.call},
          {"attempt", entry.attempt},
          {"status", entry.status},
          {"error", entry.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(entry.error)},
          {"http_status", entry.http_status},
          {"prompt_tokens", entry.prompt_tokens},
          {"completion_tokens", entry.completion_tokens},
          {"latency_ms", entry.latency_ms},
          {"created_at", format_iso8601(entry.created_at)},
          {"prompt", entry.prompt},
          {"response", entry.response}};
}

std::string job_duration(const store::Job& job) {
  if (!job.started_at || !job.finished_at) return {};
  const auto ms = *job.finished_at - *job.started_at;
  if (ms < 60'000) return fmt::format("{:.1f} s", static_cast<double>(ms) / 1000.0);
  return fmt::format("{} min {} s", ms / 60'000, ms / 1000 % 60);
}

} // namespace blogen::cli
