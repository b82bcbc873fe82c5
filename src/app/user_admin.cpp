#include <blogen/app/user_admin.hpp>
#include <blogen/core/error.hpp>
#include <blogen/store/session_repository.hpp>

#include <fmt/format.h>

namespace blogen::app {
namespace {

store::UserRecord find_user(store::UserRepository& users, std::string_view username) {
  auto user = users.find_by_username_key(lower_key(username));
  if (!user) throw Error(ErrorCode::not_found, fmt::format("no user named '{}'", username));
  return *user;
}

bool is_enabled_admin(const store::UserRecord& user) {
  return user.role == store::Role::admin && user.state == store::AccountState::enabled;
}

// The store must always keep one admin who can log in, or nobody could manage accounts again.
void keep_an_admin(store::UserRepository& users, const store::UserRecord& target, std::string_view action) {
  if (is_enabled_admin(target) && users.count_enabled_admins() <= 1) {
    throw Error(ErrorCode::auth, fmt::format("cannot {} '{}': it is the last enabled admin (promote another user "
                                             "first)",
                                             action, target.username));
  }
}

} // namespace

void check_admin(const CurrentUser& actor) {
  if (!actor.is_admin) throw Error(ErrorCode::auth, "admin only: ask an admin to run this command");
}

std::vector<UserView> list_users(Context& context, const CurrentUser& actor) {
  check_admin(actor);
  std::vector<UserView> views;
  for (const auto& user : store::UserRepository(context.db()).list())
    views.push_back(to_view(user));
  return views;
}

UserDetails show_user(Context& context, const CurrentUser& actor, std::string_view username) {
  check_admin(actor);
  store::UserRepository users(context.db());
  const auto user = find_user(users, username);
  const auto active = store::SessionRepository(context.db()).count_active_of_user(user.id, context.clock().now_ms());
  return UserDetails{to_view(user), active};
}

UserView set_user_state(Context& context, const CurrentUser& actor, std::string_view username,
                        store::AccountState state) {
  check_admin(actor);
  store::Database& db = context.db();
  store::WriteTransaction transaction(db);
  store::UserRepository users(db);
  const auto user = find_user(users, username);
  const TimestampMs now = context.clock().now_ms();
  if (state == store::AccountState::disabled) {
    if (user.id == actor.id) {
      throw Error(ErrorCode::auth, "you cannot disable your own account; another admin has to");
    }
    keep_an_admin(users, user, "disable");
    // Revoked, not just refused: enabling the account later must not bring old (maybe stolen) tokens back.
    store::SessionRepository(db).revoke_all_of_user(user.id, now);
  }
  users.set_state(user.id, state, now);
  const auto updated = users.find_by_id(user.id);
  transaction.commit();
  return to_view(*updated);
}

UserView set_user_role(Context& context, const CurrentUser& actor, std::string_view username, store::Role role) {
  check_admin(actor);
  store::Database& db = context.db();
  store::WriteTransaction transaction(db);
  store::UserRepository users(db);
  const auto user = find_user(users, username);
  if (role == store::Role::user) keep_an_admin(users, user, "demote");
  users.set_role(user.id, role, context.clock().now_ms());
  const auto updated = users.find_by_id(user.id);
  transaction.commit();
  return to_view(*updated);
}

DeletedUser delete_user(Context& context, const CurrentUser& actor, std::string_view username) {
  check_admin(actor);
  store::Database& db = context.db();
  store::WriteTransaction transaction(db);
  store::UserRepository users(db);
  const auto user = find_user(users, username);
  if (user.id == actor.id) throw Error(ErrorCode::auth, "you cannot delete your own account; another admin has to");
  keep_an_admin(users, user, "delete");
  DeletedUser deleted{to_view(user), users.owned_content(user.id)};
  users.remove(user.id);
  transaction.commit();
  return deleted;
}

} // namespace blogen::app
