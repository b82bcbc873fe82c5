#pragma once
// The top-level commands, in groups by the function that adds them. A command line that names one group's command
// builds only that group's part of the tree: building all of it (hundreds of options and validators) was a sixth of
// a short command's time (`blog show`, `job list`), next to `sqlite3` running the same query.

#include "command.hpp"

#include <CLI/CLI.hpp>

#include <span>
#include <string_view>

namespace blogen::cli {

struct CommandGroup {
  std::span<const std::string_view> names; ///< the top-level commands the group adds
  void (*add)(CLI::App& root, Registry& registry);
};

/// Some of a group's subcommands, added by one function (blog's `list` and `show` come together).
struct CommandPart {
  std::span<const std::string_view> names; ///< the subcommands the part adds
  void (*add)(CLI::App& group, Registry& registry);
};

/// Adds `parts` to `group`: only the part of Registry::wanted_subcommand when one of them names it (`blog show` builds
/// `list` and `show`, not the other eleven: 0.2 ms of a 10 ms command), else every part (the group's help, a
/// misspelt subcommand's suggestions). Never wrong: when the chosen part did not add the wanted subcommand after all,
/// the rest are added too.
void add_parts(CLI::App& group, Registry& registry, std::span<const CommandPart> parts);

/// Every group, in the order `blogen --help` lists them.
std::span<const CommandGroup> command_groups();

/// The group whose command the arguments name (the first word that is not a global option or its value), or
/// nullptr: no command, an unknown one, `--` before it, or completion's `__complete` (which needs every command).
const CommandGroup* group_named_by(int argc, const char* const* argv);

/// The word right after the group's command when it is not an option (`show` in `blogen --json blog show 12`), else
/// "" (`blog --help show` asks for the group's help, which lists every subcommand).
std::string_view subcommand_named_by(int argc, const char* const* argv);

} // namespace blogen::cli
