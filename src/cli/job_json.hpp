#pragma once
// How a job is shown: the JSON object every job command prints, and the human timing helpers.

#include <blogen/store/generation_log_repository.hpp>
#include <blogen/store/job_repository.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace blogen::cli {

/// {id, kind, status, attempts, max_attempts, post_id, batch_id, error, error_kind, provider, model, tokens,
/// cancel_requested, run_after, created_at, started_at, finished_at (ISO 8601, null when not yet), duration_ms}.
nlohmann::json job_json(const store::Job& job);
/// One provider call of a job's generation log as JSON (prompt and response included).
nlohmann::json log_entry_json(const store::GenerationLogEntry& entry);
/// "3.2 s", "4 min 5 s": how long a job ran (from first start to finish), or "" when it has not finished.
std::string job_duration(const store::Job& job);

} // namespace blogen::cli
