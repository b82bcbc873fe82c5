#include "command_groups.hpp"

#include "commands.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace blogen::cli {
namespace {

constexpr std::array<std::string_view, 1> k_doctor{"doctor"};
constexpr std::array<std::string_view, 5> k_account{"register", "login", "logout", "whoami", "passwd"};
constexpr std::array<std::string_view, 1> k_user{"user"};
constexpr std::array<std::string_view, 1> k_init{"init"};
constexpr std::array<std::string_view, 1> k_blog{"blog"};
constexpr std::array<std::string_view, 1> k_provider{"provider"};
constexpr std::array<std::string_view, 1> k_template{"template"};
constexpr std::array<std::string_view, 1> k_config{"config"};
constexpr std::array<std::string_view, 1> k_log{"log"};
constexpr std::array<std::string_view, 1> k_cost{"cost"};
constexpr std::array<std::string_view, 1> k_job{"job"};
constexpr std::array<std::string_view, 1> k_campaign{"campaign"};
constexpr std::array<std::string_view, 1> k_batch{"batch"};
constexpr std::array<std::string_view, 1> k_worker{"worker"};
constexpr std::array<std::string_view, 1> k_schedule{"schedule"};
constexpr std::array<std::string_view, 1> k_session{"session"};
constexpr std::array<std::string_view, 1> k_store{"store"};
constexpr std::array<std::string_view, 1> k_completion{"completion"};

const std::array k_groups{
    CommandGroup{k_doctor, add_doctor_commands},     CommandGroup{k_account, add_account_commands},
    CommandGroup{k_user, add_user_commands},         CommandGroup{k_init, add_init_command},
    CommandGroup{k_blog, add_blog_commands},         CommandGroup{k_provider, add_provider_commands},
    CommandGroup{k_template, add_template_commands}, CommandGroup{k_config, add_config_commands},
    CommandGroup{k_log, add_log_commands},           CommandGroup{k_cost, add_cost_command},
    CommandGroup{k_job, add_job_commands},           CommandGroup{k_campaign, add_campaign_commands},
    CommandGroup{k_batch, add_batch_commands},       CommandGroup{k_worker, add_worker_command},
    CommandGroup{k_schedule, add_schedule_commands}, CommandGroup{k_session, add_session_commands},
    CommandGroup{k_store, add_store_commands},       CommandGroup{k_completion, add_completion_command},
};

// The global options that take a value as the next word (run.cpp's build_tree adds them).
bool takes_value(std::string_view option) { return option == "--db" || option == "--color"; }

// The index in argv of the first word that is not a global option or its value, or argc.
int first_command_word(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == "--") return argc;
    if (word.starts_with('-')) {
      if (takes_value(word)) ++i;
      continue;
    }
    return i;
  }
  return argc;
}

bool names_one_of(std::span<const std::string_view> names, std::string_view word) {
  return std::find(names.begin(), names.end(), word) != names.end();
}

} // namespace

std::span<const CommandGroup> command_groups() { return k_groups; }

std::string_view command_named_by(int argc, const char* const* argv) {
  const int at = first_command_word(argc, argv);
  return at < argc ? std::string_view(argv[at]) : std::string_view();
}

std::string_view subcommand_named_by(int argc, const char* const* argv) {
  const int at = first_command_word(argc, argv) + 1;
  if (at >= argc || std::string_view(argv[at]).starts_with('-')) return {};
  return argv[at];
}

void add_parts(CLI::App& parent, Registry& registry, std::span<const CommandPart> parts, std::string_view wanted) {
  const auto chosen = std::find_if(parts.begin(), parts.end(),
                                   [&](const CommandPart& part) { return names_one_of(part.names, wanted); });
  if (chosen != parts.end()) {
    chosen->add(parent, registry);
    const auto built = parent.get_subcommands([](CLI::App*) { return true; });
    const bool found =
        std::any_of(built.begin(), built.end(), [&](const CLI::App* command) { return command->get_name() == wanted; });
    if (found) return;
  }
  registry.want_subcommand({}); // the parts below are built whole too (`wanted` may view it: not read from here on)
  for (auto part = parts.begin(); part != parts.end(); ++part) {
    if (part != chosen) part->add(parent, registry);
  }
}

} // namespace blogen::cli
