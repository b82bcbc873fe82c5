// `blogen completion bash|zsh|fish`: prints the shell's completion script, the same file a package installs.
#include "commands.hpp"
#include "completion_scripts.hpp"

#include <iostream>

namespace blogen::cli {

void add_completion_command(CLI::App& root, Registry& registry) {
  auto shell = std::make_shared<std::string>();
  auto* command = root.add_subcommand("completion", "Print the completion script for bash, zsh or fish");
  command->footer("Set up (one line in your shell's start-up file):\n"
                  "  bash: source <(blogen completion bash)\n"
                  "  zsh:  source <(blogen completion zsh)     (after compinit)\n"
                  "  fish: blogen completion fish | source\n"
                  "Packages install the same scripts, so this is needed only for a hand-built blogen.");
  registry.one_of(command->add_option("SHELL", *shell, "bash, zsh or fish")->required(), {"bash", "zsh", "fish"});
  registry.on(command, [shell](Env&) {
    if (*shell == "bash") std::cout << completion_script_bash();
    if (*shell == "zsh") std::cout << completion_script_zsh();
    if (*shell == "fish") std::cout << completion_script_fish();
    std::cout.flush();
    return 0;
  });
}

} // namespace blogen::cli
