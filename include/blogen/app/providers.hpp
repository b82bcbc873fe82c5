#pragma once
// Which provider writes: configured providers live in the store (never their keys), resolution follows
// `--provider` > configured default > `openai` when OPENAI_API_KEY is set > `builtin`.

#include <blogen/app/context.hpp>
#include <blogen/gen/provider.hpp>

#include <optional>
#include <string>

namespace blogen::app {

/// The configuration of the provider a command should use. Throws Error{not_found} for an unknown name.
gen::ProviderConfig resolve_provider_config(Context& context, const std::optional<std::string>& name);

} // namespace blogen::app
