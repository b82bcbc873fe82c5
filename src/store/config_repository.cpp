#include "connection.hpp"

#include <blogen/store/config_repository.hpp>

#include <nlohmann/json.hpp>

namespace blogen::store {
namespace {

constexpr const char* k_provider_columns =
    "name, kind, base_url, model, image_model, api_key_env, extra_headers, max_concurrency, requests_per_minute, "
    "max_attempts, connect_timeout_ms, request_timeout_ms";

gen::ProviderConfig read_provider(SQLite::Statement& row) {
  gen::ProviderConfig config;
  config.name = row.getColumn(0).getString();
  config.kind = row.getColumn(1).getString();
  config.base_url = row.getColumn(2).getString();
  config.model = row.getColumn(3).getString();
  config.image_model = row.getColumn(4).getString();
  config.api_key_env = row.getColumn(5).getString();
  const auto headers = nlohmann::json::parse(row.getColumn(6).getString(), nullptr, false);
  if (headers.is_object()) {
    for (const auto& [key, value] : headers.items()) {
      if (value.is_string()) config.extra_headers[key] = value.get<std::string>();
    }
  }
  config.max_concurrency = row.getColumn(7).getInt();
  config.requests_per_minute = row.getColumn(8).getInt();
  config.max_attempts = row.getColumn(9).getInt();
  config.connect_timeout = std::chrono::milliseconds(row.getColumn(10).getInt64());
  config.request_timeout = std::chrono::milliseconds(row.getColumn(11).getInt64());
  return config;
}

} // namespace

std::vector<gen::ProviderConfig> ProviderRepository::list() {
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_provider_columns + " FROM providers ORDER BY name");
  std::vector<gen::ProviderConfig> configs;
  while (query.executeStep())
    configs.push_back(read_provider(query));
  return configs;
}

std::optional<gen::ProviderConfig> ProviderRepository::find(const std::string& name) {
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_provider_columns + " FROM providers WHERE name = ?");
  query.bind(1, name);
  if (!query.executeStep()) return std::nullopt;
  return read_provider(query);
}

void ProviderRepository::save(const gen::ProviderConfig& config, TimestampMs now) {
  SQLite::Statement upsert(sql(m_db), R"sql(
    INSERT INTO providers(name, kind, base_url, model, image_model, api_key_env, extra_headers, max_concurrency,
                          requests_per_minute, max_attempts, connect_timeout_ms, request_timeout_ms, created_at,
                          updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, base_url = excluded.base_url, model = excluded.model,
      image_model = excluded.image_model, api_key_env = excluded.api_key_env, extra_headers = excluded.extra_headers,
      max_concurrency = excluded.max_concurrency, requests_per_minute = excluded.requests_per_minute,
      max_attempts = excluded.max_attempts, connect_timeout_ms = excluded.connect_timeout_ms,
      request_timeout_ms = excluded.request_timeout_ms, updated_at = excluded.updated_at)sql");
  upsert.bind(1, config.name);
  upsert.bind(2, config.kind);
  upsert.bind(3, config.base_url);
  upsert.bind(4, config.model);
  upsert.bind(5, config.image_model);
  upsert.bind(6, config.api_key_env);
  upsert.bind(7, nlohmann::json(config.extra_headers).dump());
  upsert.bind(8, config.max_concurrency);
  upsert.bind(9, config.requests_per_minute);
  upsert.bind(10, config.max_attempts);
  upsert.bind(11, static_cast<std::int64_t>(config.connect_timeout.count()));
  upsert.bind(12, static_cast<std::int64_t>(config.request_timeout.count()));
  upsert.bind(13, now);
  upsert.bind(14, now);
  upsert.exec();
}

bool ProviderRepository::remove(const std::string& name) {
  SQLite::Statement statement(sql(m_db), "DELETE FROM providers WHERE name = ?");
  statement.bind(1, name);
  return statement.exec() > 0;
}

std::optional<std::string> SettingsRepository::get(const std::string& key) {
  SQLite::Statement query(sql(m_db), "SELECT value FROM settings WHERE key = ?");
  query.bind(1, key);
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

void SettingsRepository::set(const std::string& key, const std::string& value) {
  SQLite::Statement upsert(sql(m_db), "INSERT INTO settings(key, value) VALUES (?, ?) "
                                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  upsert.bind(1, key);
  upsert.bind(2, value);
  upsert.exec();
}

bool SettingsRepository::unset(const std::string& key) {
  SQLite::Statement statement(sql(m_db), "DELETE FROM settings WHERE key = ?");
  statement.bind(1, key);
  return statement.exec() > 0;
}

std::vector<std::pair<std::string, std::string>> SettingsRepository::list() {
  SQLite::Statement query(sql(m_db), "SELECT key, value FROM settings ORDER BY key");
  std::vector<std::pair<std::string, std::string>> settings;
  while (query.executeStep())
    settings.emplace_back(query.getColumn(0).getString(), query.getColumn(1).getString());
  return settings;
}

std::vector<StoredTemplate> TemplateRepository::list() {
  SQLite::Statement query(sql(m_db),
                          "SELECT name, system_prompt, user_prompt, created_at FROM templates ORDER BY name");
  std::vector<StoredTemplate> templates;
  while (query.executeStep()) {
    templates.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getString(),
                         query.getColumn(3).getInt64()});
  }
  return templates;
}

std::optional<StoredTemplate> TemplateRepository::find(const std::string& name) {
  SQLite::Statement query(sql(m_db),
                          "SELECT name, system_prompt, user_prompt, created_at FROM templates WHERE name = ?");
  query.bind(1, name);
  if (!query.executeStep()) return std::nullopt;
  return StoredTemplate{query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getString(),
                        query.getColumn(3).getInt64()};
}

void TemplateRepository::save(const StoredTemplate& stored, TimestampMs now) {
  SQLite::Statement upsert(sql(m_db), R"sql(
    INSERT INTO templates(name, system_prompt, user_prompt, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(name) DO UPDATE SET system_prompt = excluded.system_prompt, user_prompt = excluded.user_prompt,
      updated_at = excluded.updated_at)sql");
  upsert.bind(1, stored.name);
  upsert.bind(2, stored.system_prompt);
  upsert.bind(3, stored.user_prompt);
  upsert.bind(4, now);
  upsert.bind(5, now);
  upsert.exec();
}

bool TemplateRepository::remove(const std::string& name) {
  SQLite::Statement statement(sql(m_db), "DELETE FROM templates WHERE name = ?");
  statement.bind(1, name);
  return statement.exec() > 0;
}

} // namespace blogen::store
