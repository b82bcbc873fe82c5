#pragma once
// The shell completion scripts of completions/, compiled in (CMake generates their definitions), so that
// `blogen completion SHELL` prints exactly the files a package installs.

#include <string_view>

namespace blogen::cli {

std::string_view completion_script_bash();
std::string_view completion_script_zsh();
std::string_view completion_script_fish();

} // namespace blogen::cli
