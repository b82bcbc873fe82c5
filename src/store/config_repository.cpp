#include "sql.hpp"

#include <blogen/store/config_repository.hpp>

#include <nlohmann/json.hpp>

namespace blogen::store {
namespace {

constexpr Columns k_provider_columns{
    "name, kind, base_url, model, image_model, api_key_env, extra_headers, max_concurrency, requests_per_minute, "
    "max_attempts, connect_timeout_ms, request_timeout_ms, header_env, stall_timeout_ms"};

// Header maps are stored as one JSON object; anything else (or a non-string value) is dropped.
std::map<std::string, std::string> headers_from_json(const std::string& text) {
  std::map<std::string, std::string> headers;
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_object()) return headers;
  for (const auto& [key, value] : parsed.items()) {
    if (value.is_string()) headers[key] = value.get<std::string>();
  }
  return headers;
}

ProviderRow read_provider(Row& row) {
  return row.read(k_provider_columns, [](Row& r) {
    ProviderRow provider;
    provider.name = r.get<std::string>();
    provider.kind = r.get<std::string>();
    provider.base_url = r.get<std::string>();
    provider.model = r.get<std::string>();
    provider.image_model = r.get<std::string>();
    provider.api_key_env = r.get<std::string>();
    provider.extra_headers = headers_from_json(r.get<std::string>());
    provider.max_concurrency = r.get<int>();
    provider.requests_per_minute = r.get<int>();
    provider.max_attempts = r.get<int>();
    provider.connect_timeout_ms = r.get<std::int64_t>();
    provider.request_timeout_ms = r.get<std::int64_t>();
    provider.header_env = headers_from_json(r.get<std::string>());
    provider.stall_timeout_ms = r.get<std::int64_t>();
    return provider;
  });
}

constexpr Columns k_template_columns{"name, system_prompt, user_prompt, created_at"};

StoredTemplate read_template(Row& row) {
  return row.read(k_template_columns, [](Row& r) {
    StoredTemplate stored;
    stored.name = r.get<std::string>();
    stored.system_prompt = r.get<std::string>();
    stored.user_prompt = r.get<std::string>();
    stored.created_at = r.get<std::int64_t>();
    return stored;
  });
}

} // namespace

std::vector<ProviderRow> ProviderRepository::list() {
  Statement query(m_db, "SELECT " + k_provider_columns.text() + " FROM providers ORDER BY name");
  return all_rows(query, read_provider);
}

std::optional<ProviderRow> ProviderRepository::find(const std::string& name) {
  Statement query(m_db, "SELECT " + k_provider_columns.text() + " FROM providers WHERE name = ?");
  bind_all(query, name);
  return first_row(query, read_provider);
}

void ProviderRepository::save(const ProviderRow& provider, TimestampMs now) {
  Statement upsert(m_db, R"sql(
    INSERT INTO providers(name, kind, base_url, model, image_model, api_key_env, extra_headers, max_concurrency,
                          requests_per_minute, max_attempts, connect_timeout_ms, request_timeout_ms, header_env,
                          stall_timeout_ms, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, base_url = excluded.base_url, model = excluded.model,
      image_model = excluded.image_model, api_key_env = excluded.api_key_env, extra_headers = excluded.extra_headers,
      max_concurrency = excluded.max_concurrency, requests_per_minute = excluded.requests_per_minute,
      max_attempts = excluded.max_attempts, connect_timeout_ms = excluded.connect_timeout_ms,
      request_timeout_ms = excluded.request_timeout_ms, header_env = excluded.header_env,
      stall_timeout_ms = excluded.stall_timeout_ms, updated_at = excluded.updated_at)sql");
  bind_all(upsert, provider.name, provider.kind, provider.base_url, provider.model, provider.image_model,
           provider.api_key_env, nlohmann::json(provider.extra_headers).dump(), provider.max_concurrency,
           provider.requests_per_minute, provider.max_attempts, provider.connect_timeout_ms,
           provider.request_timeout_ms, nlohmann::json(provider.header_env).dump(), provider.stall_timeout_ms, now,
           now);
  upsert.exec();
}

bool ProviderRepository::remove(const std::string& name) {
  Statement statement(m_db, "DELETE FROM providers WHERE name = ?");
  bind_all(statement, name);
  return statement.exec() > 0;
}

std::optional<std::string> SettingsRepository::get(const std::string& key) {
  Statement query(m_db, "SELECT value FROM settings WHERE key = ?");
  bind_all(query, key);
  return first_row(query, [](Row& row) { return row.get<std::string>(); });
}

void SettingsRepository::set(const std::string& key, const std::string& value) {
  Statement upsert(m_db, "INSERT INTO settings(key, value) VALUES (?, ?) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  bind_all(upsert, key, value);
  upsert.exec();
}

bool SettingsRepository::unset(const std::string& key) {
  Statement statement(m_db, "DELETE FROM settings WHERE key = ?");
  bind_all(statement, key);
  return statement.exec() > 0;
}

std::vector<std::pair<std::string, std::string>> SettingsRepository::list() {
  Statement query(m_db, "SELECT key, value FROM settings ORDER BY key");
  return all_rows(query, [](Row& row) {
    auto key = row.get<std::string>();
    return std::pair(std::move(key), row.get<std::string>());
  });
}

std::vector<StoredTemplate> TemplateRepository::list() {
  Statement query(m_db, "SELECT " + k_template_columns.text() + " FROM templates ORDER BY name");
  return all_rows(query, read_template);
}

std::optional<StoredTemplate> TemplateRepository::find(const std::string& name) {
  Statement query(m_db, "SELECT " + k_template_columns.text() + " FROM templates WHERE name = ?");
  bind_all(query, name);
  return first_row(query, read_template);
}

void TemplateRepository::save(const StoredTemplate& stored, TimestampMs now) {
  Statement upsert(m_db, R"sql(
    INSERT INTO templates(name, system_prompt, user_prompt, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(name) DO UPDATE SET system_prompt = excluded.system_prompt, user_prompt = excluded.user_prompt,
      updated_at = excluded.updated_at)sql");
  bind_all(upsert, stored.name, stored.system_prompt, stored.user_prompt, now, now);
  upsert.exec();
}

bool TemplateRepository::remove(const std::string& name) {
  Statement statement(m_db, "DELETE FROM templates WHERE name = ?");
  bind_all(statement, name);
  return statement.exec() > 0;
}

} // namespace blogen::store
