#pragma once
// Where this machine keeps its session token: `$XDG_CONFIG_HOME/blogen/session` (0600 in a 0700 folder),
// overridden by the `BLOGEN_TOKEN` environment variable for scripts, or by a file named in `BLOGEN_TOKEN_FILE`
// (cron: the token stays out of the crontab and out of `ps`).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace blogen::app {

/// Where a token came from (for messages and for deciding whether logout removes the file).
enum class TokenSource { environment, token_file, file };

/// A token found for this command.
struct StoredToken {
  std::string token;
  TokenSource source = TokenSource::file;
};

/// `BLOGEN_TOKEN` when set, else the content of the file `BLOGEN_TOKEN_FILE` names (Error{auth} naming it when it
/// cannot be read or is empty), else the session file's content (whitespace trimmed), else nothing.
std::optional<StoredToken> load_session_token();
/// The session file's token (whitespace trimmed), ignoring BLOGEN_TOKEN; nothing when there is none.
std::optional<std::string> read_session_file();
/// Writes the token to the session file atomically, 0600, creating its folder 0700.
void save_session_token(std::string_view token);
/// Writes a token file atomically, 0600, creating its folder 0700 (and tightening a looser existing one).
void write_token_file(const std::filesystem::path& file, std::string_view token);
/// Deletes the session file when it holds `token` (a file holding another session is left alone).
void forget_session_token(std::string_view token);

} // namespace blogen::app
