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
/// The same, read on `db` (a worker's own connection: worker threads resolve their providers side by side).
gen::ProviderConfig resolve_provider_config(store::Database& db, const std::optional<std::string>& name);

/// Why the provider `name` (nullopt: the one in use) cannot make a call from this process: a key or header variable
/// it reads is unset or empty ("NAME is not set: provider P reads its API key from it (export NAME=...)"); empty
/// when it can. Error{usage} naming --provider for an unknown name.
std::string credentials_problem(Context& context, const std::optional<std::string>& name);
/// What a foreground run checks before it writes anything, so a missing key fails at once instead of leaving a
/// failed post: Error{provider} with credentials_problem(). The call checks again (a worker's environment may differ).
void require_credentials(Context& context, const std::optional<std::string>& name);

} // namespace blogen::app
