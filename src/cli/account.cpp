// register, login, logout, whoami, passwd: the person at the keyboard and their own account.
#include "commands.hpp"
#include "credentials.hpp"
#include "present.hpp"

#include <blogen/app/accounts.hpp>
#include <blogen/app/session_file.hpp>
#include <blogen/app/sessions.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/paths.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

struct RegisterOptions {
  std::optional<std::string> username; ///< asked on the terminal when missing
  app::Registration registration;
  bool password_stdin = false;
};

struct LoginOptions {
  std::optional<std::string> username;
  bool password_stdin = false;
  std::string ttl = "30d";
};

struct LogoutOptions {
  bool all = false;
};

struct PasswdOptions {
  bool password_stdin = false;
};

PasswordSource source_of(bool password_stdin) {
  return password_stdin ? PasswordSource::stdin_lines : PasswordSource::terminal;
}

void add_register(CLI::App& root, Registry& registry) {
  auto options = make_options<RegisterOptions>();
  auto* command = root.add_subcommand("register", "Create an account (the first account of a store is an admin)");
  command->footer("Needs: nothing. Without --password-stdin the password is asked twice on the terminal.\n"
                  "Example: printf '%s\\n' \"$PASS\" | blogen register --username ann --password-stdin");
  command->add_option("--username", options->username, "3-50 letters, digits, '.', '_' or '-' (asked when missing)");
  command->add_option("--email", options->registration.email, "Optional email address, unique across accounts");
  command->add_flag("--password-stdin", options->password_stdin, "Read the password from the first line of stdin");
  registry.on(command, [options](Env& env) {
    app::Registration& registration = options->registration;
    registration.username = username_from(options->username);
    app::check_username(registration.username);
    if (registration.email) app::check_email(*registration.email);
    registration.password = new_password(source_of(options->password_stdin), "Password: ");
    const app::UserView user = app::register_user(env.app(), registration);
    present(env.out(),
            Outcome{{{"user", app::user_json(user)}},
                    fmt::format("Registered {}{}.", term::sanitize_single_line(user.username),
                                user.is_admin ? " as an admin (the first account of this store)" : ""),
                    fmt::format("Log in with: blogen login --username {}", term::sanitize_single_line(user.username)),
                    {std::to_string(user.id)}});
    return 0;
  });
}

void add_login(CLI::App& root, Registry& registry) {
  auto options = make_options<LoginOptions>();
  auto* command = root.add_subcommand("login", "Log in and keep the session token in $XDG_CONFIG_HOME/blogen/session");
  command->footer("Needs: an account. The token file is private (0600); scripts and cron may pass the token in\n"
                  "BLOGEN_TOKEN instead. Repeated wrong passwords make further attempts wait (up to 5 minutes).");
  command->add_option("--username", options->username, "Who logs in (asked when missing)");
  command->add_flag("--password-stdin", options->password_stdin, "Read the password from the first line of stdin");
  command->add_option("--ttl", options->ttl, "How long the session lasts, e.g. 12h, 30d (default 30d, at most 365d)");
  registry.on(command, [options](Env& env) {
    const auto ttl = parse_duration(options->ttl, "--ttl");
    if (ttl.count() <= 0 || ttl > app::k_max_session_ttl) {
      throw Error(ErrorCode::usage, fmt::format("--ttl: '{}' is out of range (from 1s to 365d)", options->ttl));
    }
    app::Credentials credentials;
    credentials.username = username_from(options->username);
    credentials.password = read_passwords(source_of(options->password_stdin), {"Password: "}).front();
    credentials.ttl = ttl;
    const app::LoginResult result = app::login(env.app(), credentials);
    // The session the file held before stays valid until it expires: it may have been copied into BLOGEN_TOKEN
    // for cron, and logging in again must not break that. `logout --all` ends them all.
    app::save_session_token(result.token);
    present(env.out(),
            Outcome{{{"user", app::user_json(result.user)},
                     {"expires_at", format_iso8601(result.expires_at)},
                     {"session_file", paths::session_file().string()}},
                    fmt::format("Logged in as {}{}; the session expires {} UTC.",
                                term::sanitize_single_line(result.user.username),
                                result.user.is_admin ? " (admin)" : "", format_short_time(result.expires_at)),
                    {},
                    {}});
    return 0;
  });
}

void add_logout(CLI::App& root, Registry& registry) {
  auto options = make_options<LogoutOptions>();
  auto* command = root.add_subcommand("logout", "End this session (or every session of this user with --all)");
  command->footer("Needs: a session. The session is revoked in the store, so copies of the token stop working\n"
                  "everywhere, and the session file is removed.");
  command->add_flag("--all", options->all, "Revoke every session of this user, on every machine");
  registry.on(command, [options](Env& env) {
    (void)env.app().db(); // a broken store is reported before "not logged in"
    const auto stored = app::load_session_token();
    if (!stored) throw Error(ErrorCode::auth, "not logged in; run 'blogen login'");
    const app::LogoutScope scope = options->all ? app::LogoutScope::all_sessions : app::LogoutScope::this_session;
    const int revoked = app::logout(env.app(), stored->token, scope);
    app::forget_session_token(stored->token);
    Outcome outcome{{{"revoked", revoked}}, {}, {}, {}};
    if (options->all) {
      outcome.sentence = fmt::format("Logged out: {} session{} revoked.", revoked, revoked == 1 ? "" : "s");
    } else {
      outcome.sentence = revoked > 0 ? "Logged out." : "Logged out (the session had already ended).";
    }
    if (stored->source == app::TokenSource::environment) {
      outcome.hint = "The token came from BLOGEN_TOKEN; it no longer works, so unset it.";
    }
    present(env.out(), outcome);
    return 0;
  });
}

void add_whoami(CLI::App& root, Registry& registry) {
  auto* command = root.add_subcommand("whoami", "Show the logged-in user");
  command->footer("Needs: a session. With -q prints only the username.");
  registry.on(command, [](Env& env) {
    const app::ResolvedSession resolved = app::require_session(env.app());
    const app::UserView user = app::describe_user(env.app(), resolved.session.user.id);
    const bool from_env = resolved.token.source == app::TokenSource::environment;
    present(env.out(), Outcome{{{"user", app::user_json(user)},
                                {"session",
                                 {{"expires_at", format_iso8601(resolved.session.expires_at)},
                                  {"source", from_env ? "BLOGEN_TOKEN" : "session_file"}}}},
                               term::sanitize_single_line(user.username) + (user.is_admin ? " (admin)" : ""),
                               fmt::format("Session expires {} UTC{}.", format_short_time(resolved.session.expires_at),
                                           from_env ? " (token from BLOGEN_TOKEN)" : ""),
                               {term::sanitize_single_line(user.username)}});
    return 0;
  });
}

void add_passwd(CLI::App& root, Registry& registry) {
  auto options = make_options<PasswdOptions>();
  auto* command = root.add_subcommand("passwd", "Change your password (your other sessions are logged out)");
  command->footer("Needs: a session. With --password-stdin, stdin holds two lines: the current password, then the\n"
                  "new one. This session stays logged in; every other session of the account is revoked.");
  command->add_flag("--password-stdin", options->password_stdin,
                    "Read the current password (line 1) and the new one (line 2) from stdin");
  registry.on(command, [options](Env& env) {
    const app::ResolvedSession resolved = app::require_session(env.app());
    std::string current;
    std::string replacement;
    if (options->password_stdin) {
      auto lines = read_passwords(PasswordSource::stdin_lines, {"current", "new"});
      current = std::move(lines[0]);
      replacement = std::move(lines[1]);
    } else {
      current = read_passwords(PasswordSource::terminal, {"Current password: "}).front();
      replacement = new_password(PasswordSource::terminal, "New password: ");
    }
    const int revoked = app::change_password(env.app(), resolved.session, current, replacement);
    present(env.out(),
            Outcome{{{"changed", true}, {"revoked_sessions", revoked}},
                    fmt::format("Password changed; {} other session{} logged out.", revoked, revoked == 1 ? "" : "s"),
                    {},
                    {}});
    return 0;
  });
}

} // namespace

void add_account_commands(CLI::App& root, Registry& registry) {
  add_register(root, registry);
  add_login(root, registry);
  add_logout(root, registry);
  add_whoami(root, registry);
  add_passwd(root, registry);
}

} // namespace blogen::cli
