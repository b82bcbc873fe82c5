#pragma once
// Where this machine keeps its session token: `$XDG_CONFIG_HOME/blogen/session` (0600 in a 0700 folder),
// overridden by the `BLOGEN_TOKEN` environment variable for scripts and cron.

#include <optional>
#include <string>
#include <string_view>

namespace blogen::app {

/// Where a token came from (for messages and for deciding whether logout removes the file).
enum class TokenSource { environment, file };

/// A token found for this command.
struct StoredToken {
  std::string token;
  TokenSource source = TokenSource::file;
};

/// `BLOGEN_TOKEN` when set, else the session file's content (whitespace trimmed), else nothing.
std::optional<StoredToken> load_session_token();
/// The session file's token (whitespace trimmed), ignoring BLOGEN_TOKEN; nothing when there is none.
std::optional<std::string> read_session_file();
/// Writes the token to the session file atomically, 0600, creating its folder 0700.
void save_session_token(std::string_view token);
/// Deletes the session file when it holds `token` (a file holding another session is left alone).
void forget_session_token(std::string_view token);

} // namespace blogen::app
