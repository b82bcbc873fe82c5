// `blogen __complete WORD...`: prints the candidates for the last word, one per line, from the same CLI11 tree the
// parser uses, so shell completions never fall out of step with the commands. Hidden from --help.
#include "commands.hpp"

#include <iostream>

namespace blogen::cli {
namespace {

void print_options(const CLI::App& command) {
  for (const CLI::Option* option : command.get_options()) {
    for (const auto& name : option->get_lnames())
      std::cout << "--" << name << '\n';
  }
}

// The values known for the option `name` ("--kind") of `command` or of the root, or nullptr.
const std::vector<std::string>* option_values(const CLI::App& command, const CLI::App& root, const Registry& registry,
                                              const std::string& name) {
  for (const CLI::App* owner : {&command, &root}) {
    if (const CLI::Option* option = owner->get_option_no_throw(name)) return registry.suggestions(option);
  }
  return nullptr;
}

} // namespace

int complete_words(CLI::App& root, const Registry& registry, const std::vector<std::string>& words) {
  CLI::App* current = &root;
  // Every word but the last selects subcommands; option values and positionals are skipped over.
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    for (CLI::App* sub : current->get_subcommands([](CLI::App*) { return true; })) {
      if (sub->get_name() == words[i]) {
        current = sub;
        break;
      }
    }
  }
  const std::string partial = words.empty() ? std::string() : words.back();
  if (words.size() >= 2 && words[words.size() - 2].rfind("--", 0) == 0) {
    if (const auto* values = option_values(*current, root, registry, words[words.size() - 2])) {
      for (const auto& value : *values)
        std::cout << value << '\n';
      return 0;
    }
  }
  if (!partial.empty() && partial[0] == '-') {
    print_options(*current);
    if (current != &root) print_options(root); // global options are accepted after a subcommand too
    return 0;
  }
  for (CLI::App* sub : current->get_subcommands([](CLI::App* s) { return !s->get_group().empty(); })) {
    std::cout << sub->get_name() << '\n';
  }
  return 0;
}

} // namespace blogen::cli
