#include <blogen/app/provider_cache.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/gen/provider_kinds.hpp>

#include <optional>

namespace blogen::app {

std::shared_ptr<gen::GuardedProvider> ProviderCache::get(const std::string& name) {
  std::lock_guard lock(m_mutex);
  // Resolved for every job (one small read): a long-running worker follows `provider update`, `provider remove`
  // and a new default instead of calling with what was configured when it started.
  const gen::ProviderConfig config =
      resolve_provider_config(m_context, name.empty() ? std::nullopt : std::optional(name));
  auto& built = m_by_provider[config.name];
  if (!built || !(built->config() == config)) {
    built = std::make_shared<gen::GuardedProvider>(gen::make_provider(config), m_context.clock());
  }
  return built;
}

} // namespace blogen::app
