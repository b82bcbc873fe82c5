#pragma once
// The provider kinds this build knows, in one table (after ccache's table of storage backends): for each kind its
// ready-made configuration, what it fills in and checks in a configuration, and how to build it. `provider add
// --kind`, `provider list`, shell completion and the factory read this table, so a new kind is one entry in
// provider_kinds.cpp plus its Provider class.

#include <blogen/gen/provider.hpp>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::gen {

/// One kind of provider.
struct ProviderKind {
  std::string_view name;        ///< what `--kind` accepts and ProviderConfig::kind holds
  std::string_view description; ///< a few words for `provider add --help`
  /// The provider of this kind that works without `provider add`, named after the kind.
  ProviderConfig (*ready_made)();
  /// Fills in what this kind decides and a new configuration left open (the builtin's model, no key offline).
  void (*complete)(ProviderConfig& config);
  /// Throws Error{usage} naming the flag when `config` cannot work for this kind.
  void (*validate)(const ProviderConfig& config);
  /// Builds the provider `config` describes.
  std::shared_ptr<Provider> (*make)(const ProviderConfig& config);
  /// Whether its limits guard a server that every process on the store shares (so they are kept in the store);
  /// false for a writer that runs inside the process.
  bool shares_limits;
};

/// Every kind, in the order `provider list` shows the ready-made ones.
std::span<const ProviderKind> provider_kinds();
/// The kind called `name`, or nullptr when this build has none.
const ProviderKind* find_provider_kind(std::string_view name);
/// The kind names in table order (the `--kind` choices).
std::vector<std::string> provider_kind_names();
/// Builds the provider `config` describes; throws Error{failed} for a kind this build does not know.
std::shared_ptr<Provider> make_provider(const ProviderConfig& config);

} // namespace blogen::gen
