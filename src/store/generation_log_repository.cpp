#include "dialect.hpp"
#include "sql.hpp"

#include <blogen/store/generation_log_repository.hpp>

namespace blogen::store {
namespace {

constexpr Columns k_entry_columns{
    "id, user_id, job_id, post_id, provider, model, call, attempt, prompt, response, status, coalesce(error, ''), "
    "http_status, prompt_tokens, completion_tokens, latency_ms, created_at, cost_nanos, batch_id"};

GenerationLogEntry read_entry(Row& row) {
  return row.read(k_entry_columns, [](Row& r) {
    GenerationLogEntry e;
    e.id = r.get<std::int64_t>();
    e.user_id = r.get<std::optional<std::int64_t>>();
    e.job_id = r.get<std::optional<std::int64_t>>();
    e.post_id = r.get<std::optional<std::int64_t>>();
    e.provider = r.get<std::string>();
    e.model = r.get<std::string>();
    e.call = r.get<std::string>();
    e.attempt = r.get<int>();
    e.prompt = r.get<std::string>();
    e.response = r.get<std::string>();
    e.status = r.get<std::string>();
    e.error = r.get<std::string>();
    e.http_status = r.get<int>();
    e.prompt_tokens = r.get<std::int64_t>();
    e.completion_tokens = r.get<std::int64_t>();
    e.latency_ms = r.get<std::int64_t>();
    e.created_at = r.get<std::int64_t>();
    e.cost_nanos = r.get<std::optional<std::int64_t>>();
    e.batch_id = r.get<std::optional<std::int64_t>>();
    return e;
  });
}

} // namespace

std::int64_t GenerationLogRepository::append(const GenerationLogEntry& entry) {
  Statement insert(m_db, R"sql(
    INSERT INTO generation_log(user_id, job_id, post_id, provider, model, call, attempt, prompt, response, status,
                               error, http_status, prompt_tokens, completion_tokens, latency_ms, created_at,
                               cost_nanos, batch_id, campaign_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
            (SELECT campaign_id FROM posts WHERE id = ?3)))sql");
  bind_all(insert, entry.user_id, entry.job_id, entry.post_id, entry.provider, entry.model, entry.call, entry.attempt,
           entry.prompt, entry.response, entry.status, null_if_empty(entry.error), entry.http_status,
           entry.prompt_tokens, entry.completion_tokens, entry.latency_ms, entry.created_at, entry.cost_nanos,
           entry.batch_id);
  insert.exec();
  return dialect::last_insert_id(m_db);
}

std::vector<GenerationLogEntry> GenerationLogRepository::list(std::optional<std::int64_t> user_id,
                                                              std::optional<std::int64_t> job_id, int limit) {
  Where where;
  where.add_if("user_id = ?", user_id).add_if("job_id = ?", job_id);
  Statement query(m_db, "SELECT " + k_entry_columns.text() + " FROM generation_log" + where.clause() +
                            " ORDER BY id DESC LIMIT ?");
  bind_from(query, where.bind(query), limit);
  return all_rows(query, read_entry);
}

std::vector<TokenTotal> GenerationLogRepository::token_totals(std::optional<std::int64_t> user_id) {
  Where where;
  where.add_if("user_id = ?", user_id);
  Statement query(m_db, "SELECT provider, model, count(*), sum(prompt_tokens), sum(completion_tokens) "
                        "FROM generation_log" +
                            where.clause() + " GROUP BY provider, model ORDER BY provider, model");
  where.bind(query);
  return all_rows(query, [](Row& row) {
    TokenTotal total;
    total.provider = row.get<std::string>();
    total.model = row.get<std::string>();
    total.calls = row.get<std::int64_t>();
    total.prompt_tokens = row.get<std::int64_t>();
    total.completion_tokens = row.get<std::int64_t>();
    return total;
  });
}

} // namespace blogen::store
