#include "store_admission.hpp"

#include <blogen/app/provider_cache.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/gen/provider_kinds.hpp>

#include <optional>

namespace blogen::app {

std::shared_ptr<gen::GuardedProvider> ProviderCache::get(const std::string& name, store::Database& db) {
  // Resolved for every job (one small read): a long-running worker follows `provider update`, `provider remove`
  // and a new default instead of calling with what was configured when it started.
  const gen::ProviderConfig config = resolve_provider_config(db, name.empty() ? std::nullopt : std::optional(name));
  std::lock_guard lock(m_mutex);
  auto& built = m_by_provider[config.name];
  if (!built || !(built->config() == config)) {
    // A server's limits are shared by every process on the store (two workers must not each take the full rate).
    std::shared_ptr<gen::SharedAdmission> shared;
    if (const gen::ProviderKind* kind = gen::find_provider_kind(config.kind); kind && kind->shares_limits) {
      shared = std::make_shared<StoreAdmission>(
          m_context.open_connection(), config.name, gen::GovernorLimits::from_config(config),
          StoreAdmission::lease_for(config.connect_timeout, config.request_timeout), m_context.clock());
    }
    built = std::make_shared<gen::GuardedProvider>(gen::make_provider(config), m_context.clock(), std::move(shared));
  }
  return built;
}

} // namespace blogen::app
