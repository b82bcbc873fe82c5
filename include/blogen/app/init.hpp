#pragma once
// `blogen init`: a first, non-interactive start on a fresh store. When the store has no account yet it creates a
// local admin account with a random password and logs it in; when this machine is logged in already it does nothing.

#include <blogen/app/context.hpp>

#include <optional>
#include <string>

namespace blogen::app {

/// What init found or did.
enum class InitOutcome { already_logged_in, created };

/// The result of init. `password` is set only when an account was created: it is shown once and stored nowhere.
struct InitResult {
  InitOutcome outcome = InitOutcome::already_logged_in;
  std::string username;
  bool is_admin = false;
  std::optional<std::string> password;
};

/// Idempotent first start. Throws Error{auth} when the store has accounts but this machine is not logged in
/// (use `blogen login`), and Error{usage} naming --username for a bad name.
InitResult initialize(Context& context, const std::optional<std::string>& username);

} // namespace blogen::app
