#pragma once
// Getting a username and passwords from the person or the script: flags, a terminal prompt (passwords without
// echo), or stdin with --password-stdin. Never interactive without a terminal.

#include <optional>
#include <string>
#include <vector>

namespace blogen::cli {

/// Where passwords come from.
enum class PasswordSource { terminal, stdin_lines };

/// The --username value, else asked on a terminal; without one, Error{usage} naming --username.
std::string username_from(const std::optional<std::string>& flag);
/// One password per prompt: from stdin (one line each, in order) or asked without echo on the terminal.
/// Without a terminal and without --password-stdin: Error{usage} telling to use --password-stdin.
std::vector<std::string> read_passwords(PasswordSource source, const std::vector<std::string>& prompts);
/// A new password typed twice on a terminal (they must match), or one line of stdin.
std::string new_password(PasswordSource source, const std::string& prompt);

} // namespace blogen::cli
