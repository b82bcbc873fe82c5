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

/// Every group, in the order `blogen --help` lists them.
std::span<const CommandGroup> command_groups();

/// The group whose command the arguments name (the first word that is not a global option or its value), or
/// nullptr: no command, an unknown one, `--` before it, or completion's `__complete` (which needs every command).
const CommandGroup* group_named_by(int argc, const char* const* argv);

} // namespace blogen::cli
