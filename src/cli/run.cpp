#include "command_groups.hpp"
#include "commands.hpp"
#include "present.hpp"

#include <blogen/app/store_maintenance.hpp>
#include <blogen/cli/run.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/paths.hpp>
#include <blogen/core/text.hpp>
#include <blogen/core/time_zone.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <vector>

namespace blogen::cli {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The deepest subcommand the user selected (the root when none).
CLI::App* selected_command(CLI::App& root) {
  CLI::App* current = &root;
  for (;;) {
    auto chosen = current->get_subcommands();
    if (chosen.empty()) return current;
    current = chosen.front();
  }
}

std::string command_path(CLI::App* command) {
  std::string path;
  for (CLI::App* c = command; c != nullptr && c->get_parent() != nullptr; c = c->get_parent()) {
    path = path.empty() ? c->get_name() : fmt::format("{} {}", c->get_name(), path);
  }
  return path.empty() ? "blogen" : "blogen " + path;
}

// "The following arguments were not expected: blgo" -> "unknown command 'blgo'; did you mean 'blog'?"
std::string explain_extras(CLI::App& root, const std::vector<std::string>& args) {
  CLI::App* parent = selected_command(root);
  const std::string where = command_path(parent);
  std::string unknown;
  for (const auto& arg : args) {
    if (!arg.empty() && arg[0] != '-') {
      unknown = arg;
      break;
    }
  }
  auto subcommands = parent->get_subcommands([](CLI::App*) { return true; });
  if (unknown.empty() || subcommands.empty()) return {};
  std::string best;
  std::size_t best_distance = 3;
  for (CLI::App* sub : subcommands) {
    const std::size_t distance = edit_distance(unknown, sub->get_name());
    if (distance < best_distance) {
      best_distance = distance;
      best = sub->get_name();
    }
  }
  std::string message = fmt::format("unknown command '{}' for '{}'", unknown, where);
  if (!best.empty()) message += fmt::format("; did you mean '{}'?", best);
  return message + fmt::format(" (see '{} --help')", where);
}

term::ColorMode parse_color(const std::string& value) {
  if (value == "always") return term::ColorMode::always;
  if (value == "never") return term::ColorMode::never;
  return term::ColorMode::automatic;
}

std::string_view error_kind_name(ErrorCode code) {
  switch (code) {
  case ErrorCode::failed:
    return "failed";
  case ErrorCode::usage:
    return "usage";
  case ErrorCode::not_found:
    return "not_found";
  case ErrorCode::auth:
    return "auth";
  case ErrorCode::provider:
    return "provider";
  case ErrorCode::bad_input:
    return "bad_input";
  case ErrorCode::interrupted:
    return "interrupted";
  }
  return "failed";
}

int report(term::Output& out, ErrorCode code, const std::string& message) {
  out.error(message);
  if (out.json()) {
    out.print_json({{"error", {{"code", exit_code(code)}, {"kind", error_kind_name(code)}, {"message", message}}}});
  }
  return exit_code(code);
}

// Every flag and argument is text that blogen stores, prints as JSON or sends to a provider, so invalid UTF-8
// (overlong forms and surrogates included) is refused here, once, before any command runs or writes.
void check_arguments_are_utf8(CLI::App& root) {
  for (CLI::App* command = &root; command != nullptr;) {
    for (const CLI::Option* option : command->get_options()) {
      for (const std::string& value : option->results()) {
        const std::string problem = text::utf8_problem(value);
        if (!problem.empty()) {
          throw Error(ErrorCode::usage, fmt::format("{}: {}; nothing was written", option->get_name(), problem));
        }
      }
    }
    auto chosen = command->get_subcommands();
    command = chosen.empty() ? nullptr : chosen.front();
  }
}

// The global options and the commands: only the group of `command` when it names one (command_groups.hpp).
void build_tree(CLI::App& root, GlobalOptions& options, Registry& registry, std::string_view command) {
  root.set_help_all_flag("--help-all", "Show help for every command");
  root.fallthrough(true); // global options are accepted after the subcommand too
  root.require_subcommand(0, 1);
  root.add_option("--db", options.db,
                  "The store: a file, or postgresql://user@host/db (env BLOGEN_DB; default "
                  "$XDG_DATA_HOME/blogen/blogen.db)");
  root.add_flag("--json", options.json, "Machine output: one JSON document on stdout");
  root.add_flag("-q,--quiet", options.quiet, "Print only ids, or nothing, on success");
  root.add_flag("--no-progress", options.no_progress, "No progress bars or spinners");
  registry.one_of(root.add_option("--color", options.color, "Colour: auto, always or never (NO_COLOR set means never)"),
                  {"auto", "always", "never"});
  add_parts(root, registry, command_groups(), command);
}

} // namespace

namespace {

// The command tree: hundreds of options, validators and callbacks. It is built once and never destroyed: taking it
// apart again at exit cost a tenth of a short command's CPU (`blogen --version`, `blog show`), and the process is
// ending anyway. The pointer keeps it reachable, so leak checkers do not count it.
struct CommandTree {
  GlobalOptions options;
  bool show_version = false;
  Registry registry;
  CLI::App root{"blogen: blog posts and social-media campaigns written by language models", "blogen"};
};

CommandTree& command_tree() {
  static CommandTree* const tree = new CommandTree; // NOLINT(cppcoreguidelines-owning-memory): kept for the process
  return *tree;
}

} // namespace

int run(int argc, char** argv) {
  CommandTree& tree = command_tree();
  GlobalOptions& options = tree.options;
  Registry& registry = tree.registry;
  CLI::App& root = tree.root;
  bool& show_version = tree.show_version;
  root.add_flag("--version", show_version, "Print the version and exit");
  registry.want_subcommand(subcommand_named_by(argc, argv));
  build_tree(root, options, registry, command_named_by(argc, argv));
  if (argc >= 2 && std::string_view(argv[1]) == "__complete") {
    return complete_words(root, registry, std::vector<std::string>(argv + 2, argv + argc));
  }

  try {
    root.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return root.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return root.exit(e);
  } catch (const CLI::ParseError& e) {
    term::Output out =
        term::Output::for_process({options.json, options.quiet, options.no_progress, parse_color(options.color)});
    std::string message;
    if (const auto* extras = dynamic_cast<const CLI::ExtrasError*>(&e)) {
      (void)extras;
      message = explain_extras(root, root.remaining());
    }
    if (message.empty()) {
      message = fmt::format("{} (see '{} --help')", e.what(), command_path(selected_command(root)));
    }
    return report(out, ErrorCode::usage, message);
  }

  term::Output out =
      term::Output::for_process({options.json, options.quiet, options.no_progress, parse_color(options.color)});
  if (show_version) {
    const std::string version = fmt::format("blogen {}", BLOGEN_VERSION);
    present(out, Outcome{{{"version", BLOGEN_VERSION}}, version, {}, {version}});
    return 0;
  }

  CLI::App* command = selected_command(root);
  const Action* action = registry.find(command);
  if (action == nullptr) {
    std::cerr << command->help();
    return report(
        out, ErrorCode::usage,
        fmt::format("'{}' needs a subcommand (see '{} --help')", command_path(command), command_path(command)));
  }

  std::filesystem::path store_file;
  try {
    check_arguments_are_utf8(root);
    store_file = paths::store_path(options.db);
    // BLOGEN_NOW (for tests, not in --help) pins the time this command starts at; it passes normally from there.
    std::optional<OffsetClock> pinned;
    if (auto now = paths::env("BLOGEN_NOW")) pinned.emplace(parse_local_time(*now, "UTC", "BLOGEN_NOW"));
    app::Context context(store_file, pinned ? static_cast<Clock&>(*pinned) : SystemClock::instance());
    Env env(options, out, context);
    return (*action)(env);
  } catch (const std::exception& e) {
    const Error explained = app::explain_failure(e, store_file);
    return report(out, explained.code(), explained.what());
  }
}

} // namespace blogen::cli
