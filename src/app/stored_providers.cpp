#include "stored_providers.hpp"

namespace blogen::app {

store::ProviderRow to_provider_row(const gen::ProviderConfig& config) {
  store::ProviderRow row;
  row.name = config.name;
  row.kind = config.kind;
  row.base_url = config.base_url;
  row.model = config.model;
  row.image_model = config.image_model;
  row.api_key_env = config.api_key_env;
  row.extra_headers = config.extra_headers;
  row.header_env = config.header_env;
  row.max_concurrency = config.max_concurrency;
  row.requests_per_minute = config.requests_per_minute;
  row.max_attempts = config.max_attempts;
  row.connect_timeout_ms = config.connect_timeout.count();
  row.request_timeout_ms = config.request_timeout.count();
  row.stall_timeout_ms = config.stall_timeout.count();
  return row;
}

gen::ProviderConfig from_provider_row(const store::ProviderRow& row) {
  gen::ProviderConfig config;
  config.name = row.name;
  config.kind = row.kind;
  config.base_url = row.base_url;
  config.model = row.model;
  config.image_model = row.image_model;
  config.api_key_env = row.api_key_env;
  config.extra_headers = row.extra_headers;
  config.header_env = row.header_env;
  config.max_concurrency = row.max_concurrency;
  config.requests_per_minute = row.requests_per_minute;
  config.max_attempts = row.max_attempts;
  config.connect_timeout = std::chrono::milliseconds(row.connect_timeout_ms);
  config.request_timeout = std::chrono::milliseconds(row.request_timeout_ms);
  config.stall_timeout = std::chrono::milliseconds(row.stall_timeout_ms);
  return config;
}

std::optional<gen::ProviderConfig> find_stored_provider(store::Database& db, const std::string& name) {
  if (auto row = store::ProviderRepository(db).find(name)) return from_provider_row(*row);
  return std::nullopt;
}

std::vector<gen::ProviderConfig> list_stored_providers(store::Database& db) {
  std::vector<gen::ProviderConfig> configs;
  for (const store::ProviderRow& row : store::ProviderRepository(db).list())
    configs.push_back(from_provider_row(row));
  return configs;
}

void save_stored_provider(store::Database& db, const gen::ProviderConfig& config, TimestampMs now) {
  store::ProviderRepository(db).save(to_provider_row(config), now);
}

} // namespace blogen::app
