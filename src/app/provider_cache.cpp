#include <blogen/app/provider_cache.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/gen/provider_kinds.hpp>

#include <optional>

namespace blogen::app {

std::shared_ptr<gen::GuardedProvider> ProviderCache::get(const std::string& name) {
  std::lock_guard lock(m_mutex);
  auto& asked = m_by_request[name];
  if (asked) return asked;
  const gen::ProviderConfig config =
      resolve_provider_config(m_context, name.empty() ? std::nullopt : std::optional(name));
  auto& built = m_by_provider[config.name];
  if (!built) built = std::make_shared<gen::GuardedProvider>(gen::make_provider(config), m_context.clock());
  asked = built;
  return asked;
}

} // namespace blogen::app
