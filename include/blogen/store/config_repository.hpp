#pragma once
// Store-wide configuration: providers (never their keys), user templates and settings.

#include <blogen/core/clock.hpp>
#include <blogen/gen/provider.hpp>
#include <blogen/store/database.hpp>

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

/// Configured providers.
class ProviderRepository {
public:
  explicit ProviderRepository(Database& db) : m_db(db) {}
  /// Every configured provider, by name.
  std::vector<gen::ProviderConfig> list();
  /// One provider, or nullopt.
  std::optional<gen::ProviderConfig> find(const std::string& name);
  /// Adds a provider, or replaces the one with the same name.
  void save(const gen::ProviderConfig& config, TimestampMs now);
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
