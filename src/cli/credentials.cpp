#include "credentials.hpp"

#include <blogen/core/error.hpp>
#include <blogen/term/output.hpp>
#include <blogen/term/prompt.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

void require_terminal_for_passwords() {
  if (!term::Output::stdin_is_tty()) {
    throw Error(ErrorCode::usage, "no terminal to ask for the password on: pipe it on stdin with --password-stdin");
  }
}

} // namespace

std::string username_from(const std::optional<std::string>& flag) {
  if (flag) return *flag;
  if (!term::Output::stdin_is_tty()) {
    throw Error(ErrorCode::usage, "--username is required (there is no terminal to ask on)");
  }
  return term::ask("Username: ");
}

std::vector<std::string> read_passwords(PasswordSource source, const std::vector<std::string>& prompts) {
  if (source == PasswordSource::stdin_lines) {
    auto lines = term::read_stdin_lines(prompts.size());
    if (lines.size() < prompts.size()) {
      throw Error(
          ErrorCode::usage,
          prompts.size() == 1
              ? std::string("--password-stdin: stdin is empty; write the password on its first line")
              : fmt::format("--password-stdin: expected {} lines on stdin, got {}", prompts.size(), lines.size()));
    }
    return lines;
  }
  require_terminal_for_passwords();
  std::vector<std::string> passwords;
  passwords.reserve(prompts.size());
  for (const auto& prompt : prompts)
    passwords.push_back(term::ask(prompt, term::Echo::off));
  return passwords;
}

std::string new_password(PasswordSource source, const std::string& prompt) {
  if (source == PasswordSource::stdin_lines) return read_passwords(source, {prompt}).front();
  auto typed = read_passwords(source, {prompt, "Repeat it: "});
  if (typed[0] != typed[1]) throw Error(ErrorCode::usage, "the two passwords do not match; nothing was changed");
  return typed[0];
}

} // namespace blogen::cli
