#include "field_checks.hpp"
#include "stored_providers.hpp"

#include <blogen/app/configuration.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/paths.hpp>
#include <blogen/core/text.hpp>
#include <blogen/gen/builtin_provider.hpp>
#include <blogen/gen/credentials.hpp>
#include <blogen/gen/provider_kinds.hpp>
#include <blogen/store/config_repository.hpp>
#include <blogen/store/database.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

namespace blogen::app {
namespace {

constexpr const char* k_default_provider_key = "provider.default";

std::optional<gen::ProviderConfig> lookup(store::Database& db, const std::string& name) {
  if (auto stored = find_stored_provider(db, name)) return stored;
  // Each kind's ready-made provider answers to the kind's name until a stored one takes that name.
  for (const gen::ProviderKind& kind : gen::provider_kinds()) {
    if (name == kind.name) return kind.ready_made();
  }
  return std::nullopt;
}

bool valid_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
  });
}

// A credential's value never reaches the store: it is refused on --header and named by its variable instead.
void check_headers(const gen::ProviderConfig& config) {
  for (const auto& [name, value] : config.extra_headers) {
    if (!gen::is_header_name(name))
      throw Error(ErrorCode::usage, fmt::format("--header: '{}' is not a header name", name));
    if (gen::is_credential_header(name)) {
      throw Error(ErrorCode::usage,
                  fmt::format("--header: '{0}' carries a credential, whose value would be stored in the clear; export "
                              "it in an environment variable and pass --header-env '{0}: VARIABLE' instead",
                              name));
    }
  }
  for (const auto& [name, variable] : config.header_env) {
    if (!gen::is_header_name(name)) {
      throw Error(ErrorCode::usage, fmt::format("--header-env: '{}' is not a header name", name));
    }
    if (!gen::is_env_var_name(variable)) {
      throw Error(ErrorCode::usage,
                  fmt::format("--header-env: '{}' takes the NAME of an environment variable after the colon (e.g. "
                              "'X-Api-Key: MY_API_KEY'), never the value itself",
                              name));
    }
    const std::string lower_name = text::lower(name); // a copy: clang cannot capture a structured binding
    const bool twice = std::any_of(config.extra_headers.begin(), config.extra_headers.end(),
                                   [&](const auto& header) { return text::lower(header.first) == lower_name; });
    if (twice) throw Error(ErrorCode::usage, fmt::format("--header-env: '{}' is also given with --header", name));
  }
}

} // namespace

gen::ProviderConfig resolve_provider_config(store::Database& db, const std::optional<std::string>& name) {
  if (name && !name->empty()) {
    if (auto config = lookup(db, *name)) return *config;
    throw Error(ErrorCode::not_found,
                fmt::format("provider '{}' is not configured (see 'blogen provider list')", *name));
  }
  if (auto chosen = store::SettingsRepository(db).get(k_default_provider_key)) {
    if (auto config = lookup(db, *chosen)) return *config;
  }
  if (paths::env("OPENAI_API_KEY")) return *lookup(db, "openai");
  return gen::builtin_provider_config();
}

gen::ProviderConfig resolve_provider_config(Context& context, const std::optional<std::string>& name) {
  return resolve_provider_config(context.db(), name);
}

std::string credentials_problem(Context& context, const std::optional<std::string>& name) {
  return gen::read_credentials(detail::checked_provider(context, name)).problem;
}

void require_credentials(Context& context, const std::optional<std::string>& name) {
  if (const std::string problem = credentials_problem(context, name); !problem.empty()) {
    throw Error(ErrorCode::provider, problem);
  }
}

std::vector<ProviderView> list_providers(Context& context) {
  require_user(context);
  const std::string current = resolve_provider_config(context, std::nullopt).name;
  std::vector<ProviderView> views;
  for (auto& config : list_stored_providers(context.db())) {
    views.push_back({config, config.name == current, true, false, std::nullopt});
  }
  for (const gen::ProviderKind& kind : gen::provider_kinds()) {
    gen::ProviderConfig fallback = kind.ready_made();
    const bool shadowed = std::any_of(views.begin(), views.end(),
                                      [&](const ProviderView& view) { return view.config.name == fallback.name; });
    if (!shadowed) views.push_back({fallback, fallback.name == current, false, false, std::nullopt});
  }
  const TimestampMs now = context.clock().now_ms();
  for (auto& view : views) {
    view.key_present = !view.config.api_key_env.empty() && paths::env(view.config.api_key_env.c_str()).has_value();
    view.price = price_in_force(context.db(), view.config, view.config.model, now);
  }
  return views;
}

ProviderView show_provider(Context& context, const std::string& name) {
  for (auto& view : list_providers(context)) {
    if (view.config.name == name) return view;
  }
  throw Error(ErrorCode::not_found, fmt::format("provider '{}' is not configured (see 'blogen provider list')", name));
}

void add_provider(Context& context, gen::ProviderConfig config) {
  require_admin(context);
  if (!valid_name(config.name)) {
    throw Error(ErrorCode::usage, fmt::format("NAME: '{}' must be 1-64 letters, digits, '-', '_' or '.'", config.name));
  }
  const gen::ProviderKind* kind = gen::find_provider_kind(config.kind);
  if (!kind) {
    throw Error(ErrorCode::usage,
                fmt::format("--kind: must be one of {}", fmt::join(gen::provider_kind_names(), ", ")));
  }
  kind->complete(config);
  kind->validate(config);
  if (!config.api_key_env.empty() && !gen::is_env_var_name(config.api_key_env)) {
    throw Error(ErrorCode::usage, "--api-key-env: takes the NAME of an environment variable (e.g. OPENROUTER_API_KEY), "
                                  "never the key itself");
  }
  check_headers(config);
  if (config.max_concurrency < 1 || config.max_concurrency > 256) {
    throw Error(ErrorCode::usage, "--concurrency: must be between 1 and 256");
  }
  if (config.requests_per_minute < 0) throw Error(ErrorCode::usage, "--rpm: must be 0 (unlimited) or more");
  if (config.max_attempts < 1 || config.max_attempts > 20) {
    throw Error(ErrorCode::usage, "--max-attempts: must be between 1 and 20");
  }
  if (config.stall_timeout < std::chrono::seconds(1) || config.stall_timeout > std::chrono::hours(1)) {
    throw Error(ErrorCode::usage, "--stall-timeout: must be between 1 and 3600 seconds");
  }
  save_stored_provider(context.db(), config, context.clock().now_ms());
}

void use_provider(Context& context, const std::string& name) {
  require_admin(context);
  if (!lookup(context.db(), name)) {
    throw Error(ErrorCode::not_found,
                fmt::format("provider '{}' is not configured (see 'blogen provider list')", name));
  }
  store::SettingsRepository(context.db()).set(k_default_provider_key, name);
}

void remove_provider(Context& context, const std::string& name) {
  require_admin(context);
  store::WriteTransaction transaction(context.db());
  if (!store::ProviderRepository(context.db()).remove(name)) {
    throw Error(ErrorCode::not_found, fmt::format("provider '{}' is not configured", name));
  }
  store::SettingsRepository settings(context.db());
  if (settings.get(k_default_provider_key) == name) settings.unset(k_default_provider_key);
  transaction.commit();
}

ProviderTest test_provider(Context& context, const std::optional<std::string>& name) {
  require_user(context);
  const auto config = resolve_provider_config(context, name);
  ProviderTest test;
  test.name = config.name;
  // What can be known without a request is said first, in the words `doctor` uses: a missing key variable is
  // named, not reported as the server's "Incorrect API key".
  if (const auto problems = gen::provider_problems(config); !problems.empty()) {
    test.error = problems.front().message;
    test.error_kind = std::string(gen::to_string(problems.front().kind));
    return test;
  }
  const auto provider = gen::make_provider(config);
  const auto result = provider->list_models();
  test.ok = result.ok;
  test.models = result.models;
  test.latency = result.latency;
  test.error = result.error_message;
  test.error_kind = std::string(gen::to_string(result.error));
  return test;
}

} // namespace blogen::app
