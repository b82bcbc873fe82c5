#include "sql.hpp"
#include "sqlite_dialect.hpp"

#include <blogen/store/session_repository.hpp>

#include <cstring>

namespace blogen::store {
namespace {

Blob blob_of(const TokenHash& hash) { return {hash.data(), static_cast<int>(hash.size())}; }

} // namespace

std::int64_t SessionRepository::insert(std::int64_t user_id, const TokenHash& token_hash, TimestampMs created_at,
                                       TimestampMs expires_at) {
  SQLite::Statement insert(sql(m_db), "INSERT INTO sessions(user_id, token_hash, created_at, expires_at, "
                                      "last_used_at) VALUES (?, ?, ?, ?, ?)");
  bind_all(insert, user_id, blob_of(token_hash), created_at, expires_at, created_at);
  insert.exec();
  return dialect::last_insert_id(m_db);
}

std::optional<SessionRecord> SessionRepository::find_by_hash(const TokenHash& token_hash) {
  SQLite::Statement query(sql(m_db), "SELECT id, user_id, token_hash, created_at, expires_at, last_used_at, "
                                     "revoked_at FROM sessions WHERE token_hash = ?");
  bind_all(query, blob_of(token_hash));
  if (!query.executeStep()) return std::nullopt;
  Row row(query);
  SessionRecord session;
  session.id = row.get<std::int64_t>();
  session.user_id = row.get<std::int64_t>();
  const SQLite::Column stored = row.next_column();
  if (static_cast<std::size_t>(stored.getBytes()) != session.token_hash.size()) return std::nullopt;
  std::memcpy(session.token_hash.data(), stored.getBlob(), session.token_hash.size());
  session.created_at = row.get<std::int64_t>();
  session.expires_at = row.get<std::int64_t>();
  session.last_used_at = row.get<std::int64_t>();
  session.revoked_at = row.get<std::optional<std::int64_t>>();
  return session;
}

void SessionRepository::touch(std::int64_t id, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE sessions SET last_used_at = ? WHERE id = ?");
  bind_all(update, now, id);
  update.exec();
}

bool SessionRepository::revoke(std::int64_t id, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  bind_all(update, now, id);
  return update.exec() > 0;
}

int SessionRepository::revoke_all_of_user(std::int64_t user_id, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE sessions SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL "
                                      "AND expires_at > ?1");
  bind_all(update, now, user_id);
  return update.exec();
}

int SessionRepository::revoke_others_of_user(std::int64_t user_id, std::int64_t keep_id, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE sessions SET revoked_at = ?1 WHERE user_id = ?2 AND id <> ?3 "
                                      "AND revoked_at IS NULL AND expires_at > ?1");
  bind_all(update, now, user_id, keep_id);
  return update.exec();
}

std::int64_t SessionRepository::count_active_of_user(std::int64_t user_id, TimestampMs now) {
  SQLite::Statement query(sql(m_db), "SELECT count(*) FROM sessions WHERE user_id = ?1 AND revoked_at IS NULL "
                                     "AND expires_at > ?2");
  bind_all(query, user_id, now);
  return single_value<std::int64_t>(query);
}

int SessionRepository::purge_ended_of_user(std::int64_t user_id, TimestampMs cutoff) {
  SQLite::Statement remove(sql(m_db), "DELETE FROM sessions WHERE user_id = ?1 AND (expires_at < ?2 OR "
                                      "(revoked_at IS NOT NULL AND revoked_at < ?2))");
  bind_all(remove, user_id, cutoff);
  return remove.exec();
}

} // namespace blogen::store
