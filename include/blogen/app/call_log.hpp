#pragma once
// `blogen log`: the current user's provider calls and token totals.

#include <blogen/app/context.hpp>
#include <blogen/store/generation_log_repository.hpp>

#include <optional>
#include <vector>

namespace blogen::app {

/// The current user's provider calls, newest first (limit 1-1000).
std::vector<store::GenerationLogEntry> list_calls(Context& context, std::optional<std::int64_t> job_id, int limit);
/// The current user's token totals per provider and model.
std::vector<store::TokenTotal> token_totals(Context& context);

} // namespace blogen::app
