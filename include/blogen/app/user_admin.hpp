#pragma once
// Admin-only account management (`blogen user ...`). Every function checks that the actor is an admin.
// Rules: the last enabled admin can be neither demoted, disabled nor deleted; an admin cannot disable or delete
// their own account (another admin must); deleting a user deletes everything they own.

#include <blogen/app/accounts.hpp>
#include <blogen/app/context.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/store/user_repository.hpp>

#include <string_view>
#include <vector>

namespace blogen::app {

/// An account and its live sessions (for `user show`).
struct UserDetails {
  UserView user;
  std::int64_t active_sessions = 0;
};

/// What `user delete` removed.
struct DeletedUser {
  UserView user;
  store::OwnedContent content;
};

/// Throws Error{auth, "admin only"} unless the actor is an admin.
void check_admin(const CurrentUser& actor);
/// Every account, by id.
std::vector<UserView> list_users(Context& context, const CurrentUser& actor);
/// One account; Error{not_found} when there is none by that name.
UserDetails show_user(Context& context, const CurrentUser& actor, std::string_view username);
/// Enables or disables an account; disabling revokes its sessions.
UserView set_user_state(Context& context, const CurrentUser& actor, std::string_view username,
                        store::AccountState state);
/// Promotes to admin or demotes to user.
UserView set_user_role(Context& context, const CurrentUser& actor, std::string_view username, store::Role role);
/// Deletes an account and, through the store's foreign keys, all of its posts, campaigns, batches, jobs,
/// schedules, generation log and sessions.
DeletedUser delete_user(Context& context, const CurrentUser& actor, std::string_view username);

} // namespace blogen::app
