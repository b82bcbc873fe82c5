#include "post_flags.hpp"

#include <blogen/app/posts.hpp>

#include <fmt/format.h>

namespace blogen::cli {

void add_post_flags(CLI::App& command, app::PostOptions& options, Registry& registry,
                    const std::string& max_cost_help) {
  command.add_option("--category", options.category, "A category for listing and export");
  registry.suggest(command.add_option("--tone", options.tone, "The writing tone (default friendly; see below)"),
                   app::post_tones());
  command.add_option("--words", options.words,
                     fmt::format("Target length in words ({}-{}, default {}). The builtin provider never repeats a "
                                 "sentence: it meets the target within 15% up to 3000 words and writes about "
                                 "3000-3500 for longer targets",
                                 app::k_min_words, app::k_max_words, app::k_default_words));
  command.add_option("--keyword", options.keywords, "A keyword to work in (repeat the flag for more)")
      ->allow_extra_args(false);
  command.add_option("--template", options.template_name, "Prompt template (default blog-post; 'template list')");
  command.add_option("--provider", options.provider, "Provider name (default: the configured default)");
  command.add_option("--model", options.model, "Model name (default: the provider's)");
  command.add_option("--max-cost", options.max_cost, max_cost_help);
}

} // namespace blogen::cli
