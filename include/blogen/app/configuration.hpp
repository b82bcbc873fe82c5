#pragma once
// Store-wide configuration use cases: providers, templates and settings. Reading needs a login; changing needs
// an admin, because one store's providers and templates serve every user of it.

#include <blogen/app/context.hpp>
#include <blogen/app/costs.hpp>
#include <blogen/gen/provider.hpp>
#include <blogen/gen/provider_kinds.hpp>
#include <blogen/gen/templates.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace blogen::app {

/// A provider as `provider list` shows it.
struct ProviderView {
  gen::ProviderConfig config;
  bool is_default = false;
  bool configured = true;     ///< false for the built-in entries that need no configuration
  bool key_present = false;   ///< whether the key's environment variable is set (never its value)
  std::optional<Price> price; ///< of its default model now; nullopt: unpriced
};

/// The outcome of `provider test`.
struct ProviderTest {
  std::string name;
  bool ok = false;
  std::vector<std::string> models;
  std::chrono::milliseconds latency{0};
  std::string error;
  std::string error_kind;
};

// The provider kinds `provider add --kind` accepts, as gen's one table lists them (names, descriptions).
using gen::find_provider_kind;
using gen::provider_kind_names;
using gen::provider_kinds;
/// A provider's settings and a prompt template, as the cli prints and edits them (the cli names no gen type).
using ProviderConfig = gen::ProviderConfig;
using Template = gen::Template;

/// Every provider: the configured ones, then each kind's ready-made one (`builtin`, `openai`) not configured over.
std::vector<ProviderView> list_providers(Context& context);
/// One provider as `provider show` prints it, with every price set for it. Error{not_found} when unknown.
ProviderView show_provider(Context& context, const std::string& name);
/// Adds or replaces a provider (admin). Its kind (gen::provider_kinds) fills in what it decides and checks the rest
/// (an openai provider needs a base URL and a model); the key is named by an environment variable, never stored.
void add_provider(Context& context, gen::ProviderConfig config);
/// Makes a provider the default (admin).
void use_provider(Context& context, const std::string& name);
/// Removes a configured provider (admin); clears the default when it pointed there.
void remove_provider(Context& context, const std::string& name);
/// Lists the provider's models: a cheap reachability and credentials check.
ProviderTest test_provider(Context& context, const std::optional<std::string>& name);

/// A template by name: a user template first, else a built-in one. Throws Error{usage} naming `--template`.
gen::Template find_template(Context& context, const std::string& name);
/// Built-in and user templates.
std::vector<gen::Template> list_templates(Context& context);
/// Adds a user template from a file (admin): front matter-free text, with an optional system part above a
/// line `---` (see man page). Throws Error{bad_input} naming the file for a malformed template.
gen::Template add_template(Context& context, const std::string& name, const std::filesystem::path& file);
/// Removes a user template (admin); built-in ones cannot be removed.
void remove_template(Context& context, const std::string& name);

/// Settings with their documented meaning.
struct SettingInfo {
  std::string key;
  std::string value; ///< current value, or the default
  bool is_set = false;
  std::string description;
};
/// Every known setting.
std::vector<SettingInfo> list_settings(Context& context);
/// One setting's value (the default when unset). Throws Error{usage} for an unknown key.
std::string get_setting(Context& context, const std::string& key);
/// Sets a setting after validating its value (admin).
void set_setting(Context& context, const std::string& key, const std::string& value);
/// A setting's value, or nullopt when it is not set (for other use cases, no login needed).
std::optional<std::string> setting_value(Context& context, const std::string& key);

} // namespace blogen::app
