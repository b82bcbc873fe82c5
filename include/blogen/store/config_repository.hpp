#pragma once
// Store-wide configuration: providers (never their keys), user templates and settings.

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace blogen::store {

/// A template added from a file.
struct StoredTemplate {
  std::string name;
  std::string system_prompt;
  std::string user_prompt;
  TimestampMs created_at = 0;
};

/// A configured provider as stored (never its key, only the name of the variable holding it). Plain values: the
/// store knows no gen types; app maps this row to and from gen::ProviderConfig.
struct ProviderRow {
  std::string name;
  std::string kind;
  std::string base_url;
  std::string model;
  std::string image_model;
  std::string api_key_env;
  std::map<std::string, std::string> extra_headers;
  std::map<std::string, std::string> header_env; ///< header name -> environment variable NAME (never a value)
  int max_concurrency = 0;
  int requests_per_minute = 0;
  int max_attempts = 0;
  std::int64_t connect_timeout_ms = 0;
  std::int64_t request_timeout_ms = 0;
  std::int64_t stall_timeout_ms = 0;
};

/// Configured providers.
class ProviderRepository {
public:
  explicit ProviderRepository(Database& db) : m_db(db) {}
  /// Every configured provider, by name.
  std::vector<ProviderRow> list();
  /// One provider, or nullopt.
  std::optional<ProviderRow> find(const std::string& name);
  /// Adds a provider, or replaces the one with the same name.
  void save(const ProviderRow& provider, TimestampMs now);
  /// Removes a provider; false when there was none.
  bool remove(const std::string& name);

private:
  Database& m_db;
};

/// Key-value settings.
class SettingsRepository {
public:
  explicit SettingsRepository(Database& db) : m_db(db) {}
  std::optional<std::string> get(const std::string& key);
  void set(const std::string& key, const std::string& value);
  /// Removes a key; false when it was not set.
  bool unset(const std::string& key);
  /// Every setting, ordered by key.
  std::vector<std::pair<std::string, std::string>> list();

private:
  Database& m_db;
};

/// Templates added from files.
class TemplateRepository {
public:
  explicit TemplateRepository(Database& db) : m_db(db) {}
  std::vector<StoredTemplate> list();
  std::optional<StoredTemplate> find(const std::string& name);
  /// Adds or replaces a template.
  void save(const StoredTemplate& stored, TimestampMs now);
  bool remove(const std::string& name);

private:
  Database& m_db;
};

} // namespace blogen::store
