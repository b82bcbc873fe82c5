#pragma once
// One registration function per command group; each lives in its own file in src/cli/.

#include "command.hpp"

namespace blogen::cli {

void add_doctor_commands(CLI::App& root, Registry& registry);
void add_account_commands(CLI::App& root, Registry& registry);
void add_user_commands(CLI::App& root, Registry& registry);
void add_init_command(CLI::App& root, Registry& registry);
void add_blog_commands(CLI::App& root, Registry& registry);
void add_provider_commands(CLI::App& root, Registry& registry);
void add_template_commands(CLI::App& root, Registry& registry);
void add_config_commands(CLI::App& root, Registry& registry);
void add_log_commands(CLI::App& root, Registry& registry);
void add_cost_command(CLI::App& root, Registry& registry);
void add_job_commands(CLI::App& root, Registry& registry);
void add_worker_command(CLI::App& root, Registry& registry);
void add_campaign_commands(CLI::App& root, Registry& registry);
void add_batch_commands(CLI::App& root, Registry& registry);
void add_store_commands(CLI::App& root, Registry& registry);
void add_schedule_commands(CLI::App& root, Registry& registry);
void add_session_commands(CLI::App& root, Registry& registry);
void add_completion_command(CLI::App& root, Registry& registry);

/// Prints completion candidates for the last of `words` (see completions/blogen.bash): the values `registry` knows
/// for the option before it, else subcommands or options.
int complete_words(CLI::App& root, const Registry& registry, const std::vector<std::string>& words);

} // namespace blogen::cli
