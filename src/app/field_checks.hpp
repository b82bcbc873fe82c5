#pragma once
// App-internal checks of the generation flags that posts and batches share (`--provider`, `--model`), so both
// commands accept and reject the same values with the same messages.

#include <blogen/app/context.hpp>
#include <blogen/gen/provider.hpp>

#include <optional>
#include <string>

namespace blogen::app::detail {

/// The provider `name` names, or the default one when it is nullopt. An unknown name is Error{usage} naming
/// --provider and pointing to `provider list`.
gen::ProviderConfig checked_provider(Context& context, const std::optional<std::string>& name);
/// `model` trimmed; Error{usage} naming --model when it is empty, longer than 200 characters or holds whitespace.
std::string checked_model(const std::string& model);

} // namespace blogen::app::detail
