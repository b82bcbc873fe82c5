#pragma once
// The top-level commands, in groups by the function that adds them. A command line that names one group's command
// builds only that group's part of the tree: building all of it (hundreds of options and validators) was a sixth of
// a short command's time (`blog show`, `job list`), next to `sqlite3` running the same query.

#include "command.hpp"

#include <CLI/CLI.hpp>

#include <span>
#include <string_view>

namespace blogen::cli {

/// Some commands of one level of the tree, added by one function: a group of top-level commands (`blog`; `register`,
/// `login`... together), or some of a group's subcommands (blog's `list` and `show` come together).
struct CommandPart {
  std::span<const std::string_view> names; ///< the commands the part adds
  void (*add)(CLI::App& parent, Registry& registry);
};
using CommandGroup = CommandPart;

/// Adds `parts` to `parent`: only the part that adds `wanted` when one of them names it (`blog show` builds the
/// `blog` group and in it `list` and `show`, not the other sixteen groups and eleven subcommands), else every part,
/// whole (help, completion, a misspelt command's suggestions need them all). Never wrong: when the chosen part did
/// not add `wanted` after all, the rest are added too.
void add_parts(CLI::App& parent, Registry& registry, std::span<const CommandPart> parts, std::string_view wanted);

/// Every group, in the order `blogen --help` lists them.
std::span<const CommandGroup> command_groups();

/// The command the arguments name: the first word that is not a global option or its value, or "" (none, or `--`
/// before it). Completion's `__complete` names no group, so it builds every command.
std::string_view command_named_by(int argc, const char* const* argv);

/// The word right after the group's command when it is not an option (`show` in `blogen --json blog show 12`), else
/// "" (`blog --help show` asks for the group's help, which lists every subcommand).
std::string_view subcommand_named_by(int argc, const char* const* argv);

} // namespace blogen::cli
