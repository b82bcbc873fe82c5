#pragma once
// The providers a process's workers call, each built once and handed out behind its own governor and retry policy,
// so every generation goes through one guarded call path and the workers of a process share each provider's limits.

#include <blogen/app/context.hpp>
#include <blogen/gen/guarded_call.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace blogen::app {

/// Guarded providers for worker threads. Resolution reads the store through the command's main connection, so it is
/// serialised here; the guarded providers themselves are safe to call from several threads.
class ProviderCache {
public:
  explicit ProviderCache(Context& context) : m_context(context) {}
  /// The provider called `name` (empty: the default provider) behind its governor and retry policy; names that
  /// resolve to the same provider share one. Resolved from the store at every call, so a changed configuration
  /// builds a new provider (and governor). Throws Error{not_found} for an unknown name. `db` is the calling worker's
  /// connection: the configuration is read there, outside the cache's lock, so workers do not queue for one
  /// shared connection on every job.
  std::shared_ptr<gen::GuardedProvider> get(const std::string& name, store::Database& db);

private:
  Context& m_context;
  std::mutex m_mutex;
  std::map<std::string, std::shared_ptr<gen::GuardedProvider>> m_by_provider; // by the resolved provider's name
};

} // namespace blogen::app
