#pragma once
// Runner tokens: how cron and systemd timers log in. Sessions expire (30 days by default), so a crontab that used
// one would break silently a month later. A runner token never expires, can be revoked, and is good only for
// `schedule run-due` and `worker`; it lives in a 0600 file that `BLOGEN_TOKEN_FILE` names, so it never appears in the
// crontab or in `ps`.

#include <blogen/app/context.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

namespace blogen::app {

/// What `schedule crontab` set up.
struct RunnerSetup {
  std::int64_t session_id = 0;      ///< the runner token's session (revoke it with `session revoke`)
  std::filesystem::path token_file; ///< `$XDG_CONFIG_HOME/blogen/runner-token`, 0600
  bool password_left_out = false;   ///< the store's URL had a password the line leaves out (cron: use ~/.pgpass)
  std::filesystem::path store;      ///< the store: an absolute path, or a server URL without its password
  std::string command;              ///< the command cron runs (absolute paths, no token)
  std::string crontab_line;         ///< `* * * * * ` + command
  int replaced = 0;                 ///< earlier runner tokens of this user in the file, now revoked
};

/// The runner token file: `config_dir()/runner-token`.
std::filesystem::path runner_token_file();

/// The command that runs due schedules from a bare environment (cron's): the variables and the binary with absolute
/// paths, each quoted for sh, and `%` escaped for crontab.
std::string run_due_command(const std::filesystem::path& binary, const std::filesystem::path& store,
                            const std::filesystem::path& token_file);

/// Mints a runner token for the logged-in user (which must be a login session: a runner token cannot mint another),
/// writes it to runner_token_file() (revoking the runner token that file held before, if it was this user's), and
/// returns the crontab line that uses it with `binary`.
RunnerSetup setup_runner(Context& context, const std::filesystem::path& binary);

} // namespace blogen::app
