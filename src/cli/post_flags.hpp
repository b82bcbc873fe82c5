#pragma once
// The post flags `blog create` and `schedule add` share (--category, --tone, --words, --keyword, --template,
// --provider, --model, --max-cost), bound straight into an app::PostOptions: one declaration, one help text.

#include "command.hpp"

#include <blogen/app/post_options.hpp>

#include <string>

namespace blogen::cli {

/// Adds the shared post flags to `command`, filling `options`; `max_cost_help` says what --max-cost caps there.
void add_post_flags(CLI::App& command, app::PostOptions& options, Registry& registry, const std::string& max_cost_help);

} // namespace blogen::cli
