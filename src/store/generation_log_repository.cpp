#include "connection.hpp"

#include <blogen/store/generation_log_repository.hpp>

namespace blogen::store {
namespace {

template <typename T> void bind_optional(SQLite::Statement& statement, int index, const std::optional<T>& value) {
  if (value)
    statement.bind(index, *value);
  else
    statement.bind(index);
}

std::optional<std::int64_t> optional_id(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

} // namespace

std::int64_t GenerationLogRepository::append(const GenerationLogEntry& entry) {
  SQLite::Statement insert(sql(m_db), R"sql(
    INSERT INTO generation_log(user_id, job_id, post_id, provider, model, call, attempt, prompt, response, status,
                               error, http_status, prompt_tokens, completion_tokens, latency_ms, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  bind_optional(insert, 1, entry.user_id);
  bind_optional(insert, 2, entry.job_id);
  bind_optional(insert, 3, entry.post_id);
  insert.bind(4, entry.provider);
  insert.bind(5, entry.model);
  insert.bind(6, entry.call);
  insert.bind(7, entry.attempt);
  insert.bind(8, entry.prompt);
  insert.bind(9, entry.response);
  insert.bind(10, entry.status);
  if (entry.error.empty())
    insert.bind(11);
  else
    insert.bind(11, entry.error);
  insert.bind(12, entry.http_status);
  insert.bind(13, entry.prompt_tokens);
  insert.bind(14, entry.completion_tokens);
  insert.bind(15, entry.latency_ms);
  insert.bind(16, entry.created_at);
  insert.exec();
  return sql(m_db).getLastInsertRowid();
}

std::vector<GenerationLogEntry> GenerationLogRepository::list(std::optional<std::int64_t> user_id,
                                                              std::optional<std::int64_t> job_id, int limit) {
  SQLite::Statement query(sql(m_db), R"sql(
    SELECT id, user_id, job_id, post_id, provider, model, call, attempt, prompt, response, status,
           coalesce(error, ''), http_status, prompt_tokens, completion_tokens, latency_ms, created_at
    FROM generation_log
    WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR job_id = ?2)
    ORDER BY id DESC LIMIT ?3)sql");
  bind_optional(query, 1, user_id);
  bind_optional(query, 2, job_id);
  query.bind(3, limit);
  std::vector<GenerationLogEntry> entries;
  while (query.executeStep()) {
    GenerationLogEntry e;
    e.id = query.getColumn(0).getInt64();
    e.user_id = optional_id(query.getColumn(1));
    e.job_id = optional_id(query.getColumn(2));
    e.post_id = optional_id(query.getColumn(3));
    e.provider = query.getColumn(4).getString();
    e.model = query.getColumn(5).getString();
    e.call = query.getColumn(6).getString();
    e.attempt = query.getColumn(7).getInt();
    e.prompt = query.getColumn(8).getString();
    e.response = query.getColumn(9).getString();
    e.status = query.getColumn(10).getString();
    e.error = query.getColumn(11).getString();
    e.http_status = query.getColumn(12).getInt();
    e.prompt_tokens = query.getColumn(13).getInt64();
    e.completion_tokens = query.getColumn(14).getInt64();
    e.latency_ms = query.getColumn(15).getInt64();
    e.created_at = query.getColumn(16).getInt64();
    entries.push_back(std::move(e));
  }
  return entries;
}

std::vector<TokenTotal> GenerationLogRepository::token_totals(std::optional<std::int64_t> user_id) {
  SQLite::Statement query(sql(m_db), R"sql(
    SELECT provider, model, count(*), sum(prompt_tokens), sum(completion_tokens)
    FROM generation_log WHERE (?1 IS NULL OR user_id = ?1)
    GROUP BY provider, model ORDER BY provider, model)sql");
  bind_optional(query, 1, user_id);
  std::vector<TokenTotal> totals;
  while (query.executeStep()) {
    totals.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getInt64(),
                      query.getColumn(3).getInt64(), query.getColumn(4).getInt64()});
  }
  return totals;
}

} // namespace blogen::store
