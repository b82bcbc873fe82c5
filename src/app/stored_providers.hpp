#pragma once
// App-internal: the providers configured in the store, as gen configurations. The one place that maps
// gen::ProviderConfig to the store's plain row and back, so the store needs no gen types.

#include <blogen/core/clock.hpp>
#include <blogen/gen/provider.hpp>
#include <blogen/store/config_repository.hpp>
#include <blogen/store/database.hpp>

#include <optional>
#include <string>
#include <vector>

namespace blogen::app {

/// The row that stores `config`.
store::ProviderRow to_provider_row(const gen::ProviderConfig& config);
/// The configuration a stored row describes.
gen::ProviderConfig from_provider_row(const store::ProviderRow& row);

/// One configured provider, or nullopt.
std::optional<gen::ProviderConfig> find_stored_provider(store::Database& db, const std::string& name);
/// Every configured provider, by name.
std::vector<gen::ProviderConfig> list_stored_providers(store::Database& db);
/// Adds a provider, or replaces the one with the same name.
void save_stored_provider(store::Database& db, const gen::ProviderConfig& config, TimestampMs now);

} // namespace blogen::app
