#pragma once
// The users table: accounts, their password hashes and roles (the login back-off is login_throttle_repository's).
// Usernames and emails are unique case-insensitively through their lower-case `*_key` columns.

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blogen::store {

/// Whether an account may act as an administrator.
enum class Role { user, admin };
/// Whether an account may log in and use its sessions.
enum class AccountState { enabled, disabled };

/// One row of the users table. The password hash never leaves the app layer.
struct UserRecord {
  std::int64_t id = 0;
  std::string username;
  std::optional<std::string> email;
  std::string password_hash;
  Role role = Role::user;
  AccountState state = AccountState::enabled;
  TimestampMs created_at = 0;
  TimestampMs updated_at = 0;
  std::optional<TimestampMs> last_login_at;
};

/// What is needed to create an account.
struct NewUser {
  std::string username;
  std::string username_key; ///< lower-case username
  std::optional<std::string> email;
  std::optional<std::string> email_key; ///< lower-case email
  std::string password_hash;
  Role role = Role::user;
  TimestampMs created_at = 0;
};

/// How much content an account owns (what deleting it removes).
struct OwnedContent {
  std::int64_t posts = 0;
  std::int64_t campaigns = 0;
  std::int64_t batches = 0;
  std::int64_t jobs = 0;
  std::int64_t schedules = 0;
  std::int64_t sessions = 0;
};

/// The users table on one connection.
class UserRepository {
public:
  explicit UserRepository(Database& db) : m_db(db) {}
  /// Inserts an account; returns its id. Throws Error{usage} when the username or email is taken.
  std::int64_t insert(const NewUser& user);
  /// The account with this id.
  std::optional<UserRecord> find_by_id(std::int64_t id);
  /// The account whose lower-case username is `username_key`.
  std::optional<UserRecord> find_by_username_key(const std::string& username_key);
  /// Whether an account uses this lower-case email.
  bool email_key_taken(const std::string& email_key);
  /// How many accounts exist.
  std::int64_t count();
  /// How many accounts are admins and not disabled.
  std::int64_t count_enabled_admins();
  /// Every account, ordered by id.
  std::vector<UserRecord> list();
  /// Replaces the password hash.
  void set_password_hash(std::int64_t id, const std::string& password_hash, TimestampMs now);
  /// Stamps last_login_at.
  void record_login(std::int64_t id, TimestampMs now);
  /// Promotes or demotes.
  void set_role(std::int64_t id, Role role, TimestampMs now);
  /// Enables or disables.
  void set_state(std::int64_t id, AccountState state, TimestampMs now);
  /// What the account owns, counted before a delete.
  OwnedContent owned_content(std::int64_t id);
  /// Deletes the account; its sessions, posts, campaigns, batches, jobs, schedules and log go with it (foreign keys).
  void remove(std::int64_t id);

private:
  Database& m_db;
};

} // namespace blogen::store
