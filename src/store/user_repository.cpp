#include "dialect.hpp"
#include "sql.hpp"

#include <blogen/core/error.hpp>
#include <blogen/store/user_repository.hpp>

namespace blogen::store {
namespace {

constexpr Columns k_user_columns{
    "id, username, email, password_hash, is_admin, disabled, created_at, updated_at, last_login_at"};

UserRecord read_user(Row& row) {
  return row.read(k_user_columns, [](Row& r) {
    UserRecord user;
    user.id = r.get<std::int64_t>();
    user.username = r.get<std::string>();
    user.email = r.get<std::optional<std::string>>();
    user.password_hash = r.get<std::string>();
    user.role = r.get<bool>() ? Role::admin : Role::user;
    user.state = r.get<bool>() ? AccountState::disabled : AccountState::enabled;
    user.created_at = r.get<std::int64_t>();
    user.updated_at = r.get<std::int64_t>();
    user.last_login_at = r.get<std::optional<std::int64_t>>();
    return user;
  });
}

std::optional<UserRecord> find_one(Database& db, const std::string& where, const auto& value) {
  Statement query(db, "SELECT " + k_user_columns.text() + " FROM users WHERE " + where);
  bind_all(query, value);
  return first_row(query, read_user);
}

std::int64_t count_where(Database& db, const char* statement, std::int64_t id) {
  Statement query(db, statement);
  bind_all(query, id);
  return single_value<std::int64_t>(query);
}

void update_one(Database& db, const char* statement, std::int64_t id, std::int64_t value, TimestampMs now) {
  Statement update(db, statement);
  bind_all(update, value, now, id);
  update.exec();
}

} // namespace

std::int64_t UserRepository::insert(const NewUser& user) {
  Statement insert(m_db, R"sql(
    INSERT INTO users(username, username_key, email, email_key, password_hash, is_admin, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?))sql");
  bind_all(insert, user.username, user.username_key, user.email, user.email_key, user.password_hash,
           user.role == Role::admin, user.created_at, user.created_at);
  try {
    insert.exec();
  } catch (const std::exception& e) {
    // The app checks first; this catches a race with another process registering the same name.
    if (dialect::is_unique_violation(e)) {
      throw Error(ErrorCode::usage, "the username or email is already taken");
    }
    throw;
  }
  return dialect::last_insert_id(m_db);
}

std::optional<UserRecord> UserRepository::find_by_id(std::int64_t id) { return find_one(m_db, "id = ?", id); }

std::optional<UserRecord> UserRepository::find_by_username_key(const std::string& username_key) {
  return find_one(m_db, "username_key = ?", username_key);
}

bool UserRepository::email_key_taken(const std::string& email_key) {
  Statement query(m_db, "SELECT 1 FROM users WHERE email_key = ?");
  bind_all(query, email_key);
  return query.executeStep();
}

std::int64_t UserRepository::count() {
  Statement query(m_db, "SELECT count(*) FROM users");
  return single_value<std::int64_t>(query);
}

std::int64_t UserRepository::count_enabled_admins() {
  Statement query(m_db, "SELECT count(*) FROM users WHERE is_admin = 1 AND disabled = 0");
  return single_value<std::int64_t>(query);
}

std::vector<UserRecord> UserRepository::list() {
  Statement query(m_db, "SELECT " + k_user_columns.text() + " FROM users ORDER BY id");
  return all_rows(query, read_user);
}

void UserRepository::set_password_hash(std::int64_t id, const std::string& password_hash, TimestampMs now) {
  Statement update(m_db, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?");
  bind_all(update, password_hash, now, id);
  update.exec();
}

void UserRepository::record_login(std::int64_t id, TimestampMs now) {
  Statement update(m_db, "UPDATE users SET last_login_at = ?, updated_at = ? WHERE id = ?");
  bind_all(update, now, now, id);
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
  Statement remove(m_db, "DELETE FROM users WHERE id = ?");
  bind_all(remove, id);
  remove.exec();
}

} // namespace blogen::store
