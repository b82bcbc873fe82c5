// `blogen __complete WORD...`: prints the candidates for the last word, one per line, from the same CLI11 tree the
// parser uses, so shell completions never fall out of step with the commands. A candidate line is "word" or
// "word<TAB>description" (zsh and fish show the description; bash drops it). Hidden from --help.
#include "commands.hpp"

#include <blogen/app/completion_values.hpp>
#include <blogen/core/clock.hpp>
#include <blogen/core/paths.hpp>
#include <blogen/term/sanitize.hpp>

#include <array>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string_view>

namespace blogen::cli {
namespace {

using app::CompletionSource;

/// The positional argument `argument` of the commands in `group` names a `source` (but never of `add`, which
/// names something new).
struct ArgumentSource {
  std::string_view group;
  std::string_view argument;
  CompletionSource source;
};
constexpr std::array k_argument_sources{
    ArgumentSource{"blog", "ID", CompletionSource::posts},
    ArgumentSource{"campaign", "id", CompletionSource::campaigns},
    ArgumentSource{"batch", "id", CompletionSource::batches},
    ArgumentSource{"job", "id", CompletionSource::jobs},
    ArgumentSource{"schedule", "id", CompletionSource::schedules},
    ArgumentSource{"provider", "NAME", CompletionSource::providers},
    ArgumentSource{"template", "NAME", CompletionSource::templates},
};

/// The value of option `option`, on any command, names a `source`.
struct OptionSource {
  std::string_view option;
  CompletionSource source;
};
constexpr std::array k_option_sources{
    OptionSource{"--provider", CompletionSource::providers}, OptionSource{"--template", CompletionSource::templates},
    OptionSource{"--campaign", CompletionSource::campaigns}, OptionSource{"--batch", CompletionSource::batches},
    OptionSource{"--tz", CompletionSource::time_zones},
};

void print_options(const CLI::App& command) {
  for (const CLI::Option* option : command.get_options()) {
    for (const auto& name : option->get_lnames())
      std::cout << "--" << name << '\n';
  }
}

const CLI::Option* find_option(const CLI::App& command, const CLI::App& root, const std::string& name) {
  for (const CLI::App* owner : {&command, &root}) {
    if (const CLI::Option* option = owner->get_option_no_throw(name)) return option;
  }
  return nullptr;
}

/// The store named by a `--db FILE` among the words, else the default one.
std::filesystem::path store_of(const std::vector<std::string>& words) {
  std::optional<std::string> db;
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == "--db") db = words[i + 1];
    if (words[i].rfind("--db=", 0) == 0) db = words[i].substr(5);
  }
  return paths::store_path(db);
}

/// Prints the store's or the system's values of `source`. Completion never creates a store.
void print_values(CompletionSource source, const std::vector<std::string>& words) {
  std::vector<app::CompletionValue> values;
  try {
    const std::filesystem::path store = store_of(words);
    std::error_code missing;
    const bool absent = !paths::is_server_url(store.string()) && !std::filesystem::exists(store, missing);
    if (source != CompletionSource::time_zones && absent) return;
    app::Context context(store, SystemClock::instance());
    values = app::completion_values(context, source);
  } catch (const std::exception&) {
    return; // no HOME, no store: nothing to offer
  }
  for (const app::CompletionValue& value : values) {
    // Titles are model output: no escape sequence reaches the terminal, and no tab or newline breaks a line.
    std::cout << term::sanitize_single_line(value.value);
    if (!value.description.empty()) std::cout << '\t' << term::sanitize_single_line(value.description);
    std::cout << '\n';
  }
}

/// How many positional arguments the words after the command (the last one excluded) already give.
std::size_t positionals_given(const CLI::App& command, const CLI::App& root, const std::vector<std::string>& after) {
  std::size_t given = 0;
  for (std::size_t i = 0; i + 1 < after.size(); ++i) {
    const std::string& word = after[i];
    if (word.rfind('-', 0) != 0) {
      ++given;
      continue;
    }
    const std::string name = word.substr(0, word.find('='));
    const CLI::Option* option = find_option(command, root, name);
    if (option != nullptr && option->get_type_size_max() > 0 && word.find('=') == std::string::npos) ++i; // its value
  }
  return given;
}

/// What the positional argument at `index` of `command` names, if anything.
std::optional<CompletionSource> argument_source(const CLI::App& command, std::size_t index) {
  const CLI::App* group = command.get_parent();
  if (group == nullptr || command.get_name() == "add") return std::nullopt;
  std::size_t position = 0;
  for (const CLI::Option* option : command.get_options([](const CLI::Option* o) { return o->get_positional(); })) {
    // A positional that takes many values (post ids) takes every word from here on.
    const bool takes_rest = option->get_items_expected_max() > 1;
    if (position == index || (takes_rest && position <= index)) {
      for (const ArgumentSource& entry : k_argument_sources) {
        if (group->get_name() == entry.group && option->get_name() == entry.argument) return entry.source;
      }
      return std::nullopt;
    }
    ++position;
  }
  return std::nullopt;
}

} // namespace

int complete_words(CLI::App& root, const Registry& registry, const std::vector<std::string>& words) {
  CLI::App* current = &root;
  std::size_t command_end = 0; // the index of the first word after the selected command
  // Every word but the last selects subcommands; option values and positionals are skipped over.
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    for (CLI::App* sub : current->get_subcommands([](CLI::App*) { return true; })) {
      if (sub->get_name() == words[i]) {
        current = sub;
        command_end = i + 1;
        break;
      }
    }
  }
  const std::string partial = words.empty() ? std::string() : words.back();
  if (words.size() >= 2 && words[words.size() - 2].rfind("--", 0) == 0) {
    const std::string& option = words[words.size() - 2];
    if (const CLI::Option* found = find_option(*current, root, option)) {
      if (const auto* values = registry.suggestions(found)) {
        for (const auto& value : *values)
          std::cout << value << '\n';
        return 0;
      }
    }
    for (const OptionSource& entry : k_option_sources) {
      if (option == entry.option && find_option(*current, root, option) != nullptr) {
        print_values(entry.source, words);
        return 0;
      }
    }
  }
  if (!partial.empty() && partial[0] == '-') {
    print_options(*current);
    if (current != &root) print_options(root); // global options are accepted after a subcommand too
    return 0;
  }
  const auto subcommands = current->get_subcommands([](CLI::App* s) { return !s->get_group().empty(); });
  for (CLI::App* sub : subcommands)
    std::cout << sub->get_name() << '\n';
  if (subcommands.empty() && current != &root) {
    const std::vector<std::string> after(words.begin() + static_cast<std::ptrdiff_t>(command_end), words.end());
    if (const auto source = argument_source(*current, positionals_given(*current, root, after))) {
      print_values(*source, words);
    }
  }
  return 0;
}

} // namespace blogen::cli
