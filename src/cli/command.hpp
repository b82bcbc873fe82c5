#pragma once
// The pieces every command group shares: global options, the per-run environment, and the registry that
// ties a CLI11 subcommand to the action it runs once parsing succeeded.

#include <blogen/app/context.hpp>
#include <blogen/term/output.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace blogen::cli {

/// Options accepted by every command.
struct GlobalOptions {
  std::optional<std::string> db;
  bool json = false;
  bool quiet = false;
  bool no_progress = false;
  std::string color = "auto";
};

/// Everything an action needs: the options, the printer and the application context.
class Env {
public:
  Env(const GlobalOptions& options, term::Output& output, app::Context& context)
      : m_options(options), m_output(output), m_context(context) {}
  [[nodiscard]] const GlobalOptions& options() const { return m_options; }
  [[nodiscard]] term::Output& out() const { return m_output; }
  [[nodiscard]] app::Context& app() const { return m_context; }

private:
  const GlobalOptions& m_options;
  term::Output& m_output;
  app::Context& m_context;
};

/// What a command runs after a successful parse; returns the exit code.
using Action = std::function<int(Env&)>;

/// Maps parsed subcommands to their actions, and options to the values completion offers after them.
class Registry {
public:
  /// Registers the action of a leaf subcommand.
  void on(CLI::App* command, Action action) { m_actions[command] = std::move(action); }
  /// The action for a subcommand, or nullptr for a group without one.
  [[nodiscard]] const Action* find(CLI::App* command) const {
    auto it = m_actions.find(command);
    return it == m_actions.end() ? nullptr : &it->second;
  }
  /// Lets `blogen __complete` offer `values` after `option` (known values, not a check).
  void suggest(CLI::Option* option, std::vector<std::string> values) { m_values[option] = std::move(values); }
  /// Makes `option` accept only `values`, and offers them in completion.
  void one_of(CLI::Option* option, const std::vector<std::string>& values) {
    option->check(CLI::IsMember(values));
    suggest(option, values);
  }
  /// The subcommand the command line names inside its group ("show" in `blogen blog show 12`), or "": groups that
  /// build their subcommands in parts (add_parts) build only that one's part. add_parts clears it when it builds a
  /// level whole.
  void want_subcommand(std::string_view name) { m_wanted = name; }
  [[nodiscard]] std::string_view wanted_subcommand() const { return m_wanted; }
  /// The values completion offers after `option`, or nullptr.
  [[nodiscard]] const std::vector<std::string>* suggestions(const CLI::Option* option) const {
    auto it = m_values.find(option);
    return it == m_values.end() ? nullptr : &it->second;
  }

private:
  std::map<CLI::App*, Action> m_actions;
  std::map<const CLI::Option*, std::vector<std::string>> m_values;
  std::string m_wanted;
};

/// Options bound to a subcommand must outlive parsing: each command keeps them in a shared struct.
template <typename T> std::shared_ptr<T> make_options() { return std::make_shared<T>(); }

/// CLI::Range(min, max) with the same check and help text, built without the std::stringstream CLI11 writes its
/// description with: a stream's set-up cost every run of a command that has such an option (`job list --limit`),
/// not only the runs that give it.
inline CLI::Validator int_range(int min, int max) {
  CLI::Validator range = CLI::Range(min, max, "int_range");
  range.description("INT in [" + std::to_string(min) + " - " + std::to_string(max) + "]");
  return range;
}

} // namespace blogen::cli
