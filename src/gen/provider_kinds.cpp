#include <blogen/gen/provider_kinds.hpp>

#include <blogen/core/error.hpp>
#include <blogen/gen/builtin_provider.hpp>
#include <blogen/gen/openai_provider.hpp>

#include <array>

namespace blogen::gen {
namespace {

void complete_builtin(ProviderConfig& config) {
  if (config.model.empty()) config.model = std::string(k_builtin_model);
  config.api_key_env.clear(); // it writes offline: there is no key to read
}

void validate_builtin(const ProviderConfig&) {}

void complete_openai(ProviderConfig&) {}

void validate_openai(const ProviderConfig& config) {
  if (config.base_url.rfind("http://", 0) != 0 && config.base_url.rfind("https://", 0) != 0) {
    throw Error(ErrorCode::usage, "--base-url: must start with http:// or https:// (e.g. http://localhost:11434/v1)");
  }
  if (config.model.empty()) throw Error(ErrorCode::usage, "--model: an openai provider needs a model name");
}

template <typename Kind> std::shared_ptr<Provider> make(const ProviderConfig& config) {
  return std::make_shared<Kind>(config);
}

// The builtin comes first: it is the default when nothing else is configured.
const std::array k_kinds{
    ProviderKind{"builtin", "the offline writer, no key", builtin_provider_config, complete_builtin, validate_builtin,
                 make<BuiltinProvider>},
    ProviderKind{"openai", "any OpenAI-compatible server", openai_provider_config, complete_openai, validate_openai,
                 make<OpenAiProvider>},
};

} // namespace

std::span<const ProviderKind> provider_kinds() { return k_kinds; }

const ProviderKind* find_provider_kind(std::string_view name) {
  for (const ProviderKind& kind : k_kinds) {
    if (kind.name == name) return &kind;
  }
  return nullptr;
}

std::vector<std::string> provider_kind_names() {
  std::vector<std::string> names;
  names.reserve(std::size(k_kinds));
  for (const ProviderKind& kind : k_kinds)
    names.emplace_back(kind.name);
  return names;
}

std::shared_ptr<Provider> make_provider(const ProviderConfig& config) {
  const ProviderKind* kind = find_provider_kind(config.kind);
  if (!kind) {
    throw Error(ErrorCode::failed, "provider '" + config.name + "' has an unknown kind '" + config.kind + "'");
  }
  return kind->make(config);
}

} // namespace blogen::gen
