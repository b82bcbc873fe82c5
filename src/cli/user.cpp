// `blogen user ...`: admin-only account management.
#include "commands.hpp"
#include "present.hpp"
#include "user_labels.hpp"

#include <blogen/app/current_user.hpp>
#include <blogen/app/user_admin.hpp>
#include <blogen/core/error.hpp>
#include <blogen/term/prompt.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

struct TargetOptions {
  std::string username;
  bool yes = false;
};

std::string time_or_never(const std::optional<TimestampMs>& ms) { return ms ? format_short_time(*ms) : "never"; }

CLI::App* add_target_command(CLI::App& user, const std::shared_ptr<TargetOptions>& options, const char* name,
                             const char* description) {
  auto* command = user.add_subcommand(name, description);
  command->add_option("username", options->username, "The account's username (any letter case)")->required();
  command->footer("Needs: an admin session.");
  return command;
}

// An account after a change of state or role.
Outcome changed(const app::UserView& user, std::string sentence) {
  return {{{"user", app::user_json(user)}}, std::move(sentence), {}, {}};
}

/// `user list`.
struct UserList {
  std::vector<app::UserView> users;
};

nlohmann::json to_json(const UserList& list) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& view : list.users)
    array.push_back(app::user_json(view));
  return {{"users", array}};
}

void to_quiet(term::Output& out, const UserList& list) {
  print_each(out, list.users, [](const app::UserView& view) { return term::sanitize_single_line(view.username); });
}

void to_text(term::Output& out, const UserList& list) {
  term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                     {"USERNAME"},
                     {"EMAIL", term::ColumnFit::flexible},
                     {"ROLE"},
                     {"STATUS"},
                     {"CREATED"},
                     {"LAST LOGIN"}});
  for (const auto& view : list.users) {
    table.add_row({std::to_string(view.id), view.username, view.email.value_or(""), role_label(view), state_label(view),
                   format_short_time(view.created_at), time_or_never(view.last_login_at)});
  }
  out.table(table);
}

/// `user show`: an account and its live sessions.
struct UserShown {
  app::UserDetails details;
};

nlohmann::json to_json(const UserShown& shown) {
  const app::UserDetails& details = shown.details;
  return {{"user", app::user_json(details.user)}, {"active_sessions", details.active_sessions}};
}

void to_quiet(term::Output& out, const UserShown& shown) {
  out.line(term::sanitize_single_line(shown.details.user.username));
}

void to_text(term::Output& out, const UserShown& shown) {
  const app::UserView& view = shown.details.user;
  out.line(fmt::format("id:              {}", view.id));
  out.line(fmt::format("username:        {}", term::sanitize_single_line(view.username)));
  out.line(fmt::format("email:           {}", term::sanitize_single_line(view.email.value_or("-"))));
  out.line(fmt::format("role:            {}", role_label(view)));
  out.line(fmt::format("status:          {}", state_label(view)));
  out.line(fmt::format("created:         {}", format_short_time(view.created_at)));
  out.line(fmt::format("last login:      {}", time_or_never(view.last_login_at)));
  out.line(fmt::format("active sessions: {}", shown.details.active_sessions));
}

void add_user_list(CLI::App& user, Registry& registry) {
  auto* command = user.add_subcommand("list", "List every account");
  command->footer("Needs: an admin session. With -q prints one username per line.");
  registry.on(command, [](Env& env) {
    const app::CurrentUser admin = app::require_admin(env.app());
    present(env.out(), UserList{app::list_users(env.app(), admin)});
    return 0;
  });
}

void add_user_show(CLI::App& user, Registry& registry) {
  auto options = make_options<TargetOptions>();
  auto* command = add_target_command(user, options, "show", "Show one account and its live sessions");
  registry.on(command, [options](Env& env) {
    const app::CurrentUser admin = app::require_admin(env.app());
    present(env.out(), UserShown{app::show_user(env.app(), admin, options->username)});
    return 0;
  });
}

void add_state_command(CLI::App& user, Registry& registry, const char* name, const char* description,
                       app::AccountState state) {
  auto options = make_options<TargetOptions>();
  auto* command = add_target_command(user, options, name, description);
  registry.on(command, [options, state](Env& env) {
    const app::CurrentUser admin = app::require_admin(env.app());
    const app::UserView view = app::set_user_state(env.app(), admin, options->username, state);
    present(env.out(),
            changed(view, fmt::format("{} {}.", state == app::AccountState::disabled ? "Disabled" : "Enabled",
                                      term::sanitize_single_line(view.username))));
    return 0;
  });
}

void add_role_command(CLI::App& user, Registry& registry, const char* name, const char* description, app::Role role) {
  auto options = make_options<TargetOptions>();
  auto* command = add_target_command(user, options, name, description);
  registry.on(command, [options, role](Env& env) {
    const app::CurrentUser admin = app::require_admin(env.app());
    const app::UserView view = app::set_user_role(env.app(), admin, options->username, role);
    present(env.out(), changed(view, fmt::format("{} is now {}.", term::sanitize_single_line(view.username),
                                                 role_label(view) == "admin" ? "an admin" : "a user")));
    return 0;
  });
}

void add_user_delete(CLI::App& user, Registry& registry) {
  auto options = make_options<TargetOptions>();
  auto* command = add_target_command(user, options, "delete",
                                     "Delete an account and everything it owns (posts, campaigns, jobs, schedules)");
  command->footer("Needs: an admin session and --yes (or a 'y' typed on the terminal). This cannot be undone:\n"
                  "the account's posts, revisions, campaigns, batches, jobs, schedules and log entries are deleted.");
  command->add_flag("--yes", options->yes, "Confirm the deletion without asking");
  registry.on(command, [options](Env& env) {
    const app::CurrentUser admin = app::require_admin(env.app());
    if (!options->yes) {
      if (!term::Output::stdin_is_tty()) {
        throw Error(ErrorCode::usage,
                    "--yes is required to delete a user and everything they own (there is no terminal to ask on)");
      }
      (void)app::show_user(env.app(), admin, options->username); // "not found" before the question
      const auto answer = term::confirm(fmt::format("Delete user '{}' and all their posts, campaigns, jobs and "
                                                    "schedules? This cannot be undone.",
                                                    term::sanitize_single_line(options->username)));
      if (answer != term::Answer::yes) throw Error(ErrorCode::failed, "cancelled; nothing was deleted");
    }
    const app::DeletedUser deleted = app::delete_user(env.app(), admin, options->username);
    const auto& content = deleted.content;
    present(env.out(), Outcome{{{"deleted",
                                 {{"user", app::user_json(deleted.user)},
                                  {"posts", content.posts},
                                  {"campaigns", content.campaigns},
                                  {"batches", content.batches},
                                  {"jobs", content.jobs},
                                  {"schedules", content.schedules},
                                  {"sessions", content.sessions}}}},
                               fmt::format("Deleted {} with {} posts, {} campaigns, {} batches, {} jobs and {} "
                                           "schedules.",
                                           term::sanitize_single_line(deleted.user.username), content.posts,
                                           content.campaigns, content.batches, content.jobs, content.schedules),
                               {},
                               {}});
    return 0;
  });
}

} // namespace

void add_user_commands(CLI::App& root, Registry& registry) {
  auto* user = root.add_subcommand("user", "Manage accounts (admin only)");
  user->footer("Rules: the last enabled admin cannot be demoted, disabled or deleted; nobody can disable or delete\n"
               "their own account. Disabling revokes the account's sessions.");
  add_user_list(*user, registry);
  add_user_show(*user, registry);
  add_state_command(*user, registry, "disable", "Disable an account: it cannot log in and its sessions end",
                    app::AccountState::disabled);
  add_state_command(*user, registry, "enable", "Enable a disabled account", app::AccountState::enabled);
  add_role_command(*user, registry, "promote", "Make an account an admin", app::Role::admin);
  add_role_command(*user, registry, "demote", "Make an admin a normal user", app::Role::user);
  add_user_delete(*user, registry);
}

} // namespace blogen::cli
