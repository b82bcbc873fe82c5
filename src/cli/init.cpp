// blogen init: a first start without questions (a local admin account, logged in) on a fresh store.
#include "commands.hpp"
#include "present.hpp"

#include <blogen/app/init.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

struct InitOptions {
  std::optional<std::string> username;
};

} // namespace

void add_init_command(CLI::App& root, Registry& registry) {
  auto options = make_options<InitOptions>();
  auto* command = root.add_subcommand("init", "Set up a fresh store: create a local account and log it in");
  command->footer("Needs: nothing. Safe to run again: when this machine is logged in it does nothing. On a store\n"
                  "without accounts it creates an admin account (default name: $USER) with a random password,\n"
                  "printed once on stderr, and logs it in. On a store with accounts, use 'blogen login'.\n"
                  "Example: blogen init && blogen blog create --topic \"Why I bake bread\"");
  command->add_option("--username", options->username, "Name of the account to create (default: $USER)");
  registry.on(command, [options](Env& env) {
    const app::InitResult result = app::initialize(env.app(), options->username);
    auto& out = env.out();
    const std::string name = term::sanitize_single_line(result.username);
    const bool created = result.outcome == app::InitOutcome::created;
    present(out, Outcome{{{"created", created}, {"username", result.username}, {"admin", result.is_admin}},
                         {},
                         created ? fmt::format("Created the account {} (admin) and logged it in.", name)
                                 : fmt::format("Already set up: logged in as {}.", name),
                         {}});
    // The password is never on stdout (which scripts capture); it is shown once so the account stays usable.
    if (result.password) {
      env.out().err_stream() << fmt::format("Password for {} (shown once; change it with 'blogen passwd'): {}\n", name,
                                            *result.password);
    }
    return 0;
  });
}

} // namespace blogen::cli
