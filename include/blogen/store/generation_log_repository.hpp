#pragma once
// Every provider call, successful or not: what was asked, what came back, how long it took, what it cost.

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blogen::store {

/// One provider call.
struct GenerationLogEntry {
  std::int64_t id = 0;
  std::optional<std::int64_t> user_id;
  std::optional<std::int64_t> job_id;
  std::optional<std::int64_t> post_id;
  std::string provider;
  std::string model;
  std::string call = "chat"; ///< chat, image, models
  int attempt = 1;
  std::string prompt;
  std::string response;
  std::string status = "ok"; ///< "ok" or an error kind
  std::string error;
  int http_status = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t latency_ms = 0;
  TimestampMs created_at = 0;
  std::optional<std::int64_t> cost_nanos; ///< priced at the time of the call; nullopt: unpriced
  std::optional<std::int64_t> batch_id;   ///< the batch the call worked for (the campaign follows from the post)
};

/// Tokens used per provider and model (the base for cost reports).
struct TokenTotal {
  std::string provider;
  std::string model;
  std::int64_t calls = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
};

/// The generation log on one connection.
class GenerationLogRepository {
public:
  explicit GenerationLogRepository(Database& db) : m_db(db) {}
  /// Appends one entry; returns its id.
  std::int64_t append(const GenerationLogEntry& entry);
  /// Newest first; filtered by user (nullopt: all) and job.
  std::vector<GenerationLogEntry> list(std::optional<std::int64_t> user_id, std::optional<std::int64_t> job_id,
                                       int limit);
  /// Token totals per provider and model for a user (nullopt: all users).
  std::vector<TokenTotal> token_totals(std::optional<std::int64_t> user_id);

private:
  Database& m_db;
};

} // namespace blogen::store
