#include "connection.hpp"

#include <blogen/core/error.hpp>
#include <blogen/store/user_repository.hpp>

#include <sqlite3.h>

namespace blogen::store {
namespace {

constexpr const char* k_user_columns =
    "id, username, email, password_hash, is_admin, disabled, failed_logins, next_login_at, created_at, updated_at, "
    "last_login_at";

UserRecord read_user(SQLite::Statement& query) {
  UserRecord user;
  user.id = query.getColumn(0).getInt64();
  user.username = query.getColumn(1).getString();
  if (!query.getColumn(2).isNull()) user.email = query.getColumn(2).getString();
  user.password_hash = query.getColumn(3).getString();
  user.role = query.getColumn(4).getInt() != 0 ? Role::admin : Role::user;
  user.state = query.getColumn(5).getInt() != 0 ? AccountState::disabled : AccountState::enabled;
  user.failed_logins = query.getColumn(6).getInt();
  user.next_login_at = query.getColumn(7).getInt64();
  user.created_at = query.getColumn(8).getInt64();
  user.updated_at = query.getColumn(9).getInt64();
  if (!query.getColumn(10).isNull()) user.last_login_at = query.getColumn(10).getInt64();
  return user;
}

std::optional<UserRecord> find_one(Database& db, const std::string& where, const auto& value) {
  SQLite::Statement query(sql(db), std::string("SELECT ") + k_user_columns + " FROM users WHERE " + where);
  query.bind(1, value);
  if (!query.executeStep()) return std::nullopt;
  return read_user(query);
}

std::int64_t count_where(Database& db, const char* statement, std::int64_t id) {
  SQLite::Statement query(sql(db), statement);
  query.bind(1, id);
  query.executeStep();
  return query.getColumn(0).getInt64();
}

void update_one(Database& db, const char* statement, std::int64_t id, std::int64_t value, TimestampMs now) {
  SQLite::Statement update(sql(db), statement);
  update.bind(1, value);
  update.bind(2, now);
  update.bind(3, id);
  update.exec();
}

} // namespace

std::int64_t UserRepository::insert(const NewUser& user) {
  SQLite::Statement insert(sql(m_db), R"sql(
    INSERT INTO users(username, username_key, email, email_key, password_hash, is_admin, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?))sql");
  insert.bind(1, user.username);
  insert.bind(2, user.username_key);
  if (user.email)
    insert.bind(3, *user.email);
  else
    insert.bind(3);
  if (user.email_key)
    insert.bind(4, *user.email_key);
  else
    insert.bind(4);
  insert.bind(5, user.password_hash);
  insert.bind(6, user.role == Role::admin ? 1 : 0);
  insert.bind(7, user.created_at);
  insert.bind(8, user.created_at);
  try {
    insert.exec();
  } catch (const SQLite::Exception& e) {
    // The app checks first; this catches a race with another process registering the same name.
    if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
      throw Error(ErrorCode::usage, "the username or email is already taken");
    }
    throw;
  }
  return sql(m_db).getLastInsertRowid();
}

std::optional<UserRecord> UserRepository::find_by_id(std::int64_t id) { return find_one(m_db, "id = ?", id); }

std::optional<UserRecord> UserRepository::find_by_username_key(const std::string& username_key) {
  return find_one(m_db, "username_key = ?", username_key);
}

bool UserRepository::email_key_taken(const std::string& email_key) {
  SQLite::Statement query(sql(m_db), "SELECT 1 FROM users WHERE email_key = ?");
  query.bind(1, email_key);
  return query.executeStep();
}

std::int64_t UserRepository::count() { return sql(m_db).execAndGet("SELECT count(*) FROM users").getInt64(); }

std::int64_t UserRepository::count_enabled_admins() {
  return sql(m_db).execAndGet("SELECT count(*) FROM users WHERE is_admin = 1 AND disabled = 0").getInt64();
}

std::vector<UserRecord> UserRepository::list() {
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_user_columns + " FROM users ORDER BY id");
  std::vector<UserRecord> users;
  while (query.executeStep())
    users.push_back(read_user(query));
  return users;
}

void UserRepository::set_password_hash(std::int64_t id, const std::string& password_hash, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?");
  update.bind(1, password_hash);
  update.bind(2, now);
  update.bind(3, id);
  update.exec();
}

void UserRepository::set_login_backoff(std::int64_t id, int failed_logins, TimestampMs next_login_at, TimestampMs now) {
  SQLite::Statement update(sql(m_db),
                           "UPDATE users SET failed_logins = ?, next_login_at = ?, updated_at = ? WHERE id = ?");
  update.bind(1, failed_logins);
  update.bind(2, next_login_at);
  update.bind(3, now);
  update.bind(4, id);
  update.exec();
}

void UserRepository::record_login(std::int64_t id, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE users SET failed_logins = 0, next_login_at = 0, last_login_at = ?, "
                                      "updated_at = ? WHERE id = ?");
  update.bind(1, now);
  update.bind(2, now);
  update.bind(3, id);
  update.exec();
}

void UserRepository::set_role(std::int64_t id, Role role, TimestampMs now) {
  update_one(m_db, "UPDATE users SET is_admin = ?, updated_at = ? WHERE id = ?", id, role == Role::admin ? 1 : 0, now);
}

void UserRepository::set_state(std::int64_t id, AccountState state, TimestampMs now) {
  update_one(m_db, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", id,
             state == AccountState::disabled ? 1 : 0, now);
}

OwnedContent UserRepository::owned_content(std::int64_t id) {
  OwnedContent content;
  content.posts = count_where(m_db, "SELECT count(*) FROM posts WHERE user_id = ?", id);
  content.campaigns = count_where(m_db, "SELECT count(*) FROM campaigns WHERE user_id = ?", id);
  content.batches = count_where(m_db, "SELECT count(*) FROM batches WHERE user_id = ?", id);
  content.jobs = count_where(m_db, "SELECT count(*) FROM jobs WHERE user_id = ?", id);
  content.schedules = count_where(m_db, "SELECT count(*) FROM schedules WHERE user_id = ?", id);
  content.sessions = count_where(m_db, "SELECT count(*) FROM sessions WHERE user_id = ?", id);
  return content;
}

void UserRepository::remove(std::int64_t id) {
  SQLite::Statement remove(sql(m_db), "DELETE FROM users WHERE id = ?");
  remove.bind(1, id);
  remove.exec();
}

} // namespace blogen::store
