#include "connection.hpp"

#include <blogen/store/session_repository.hpp>

#include <cstring>

namespace blogen::store {

std::int64_t SessionRepository::insert(std::int64_t user_id, const TokenHash& token_hash, TimestampMs created_at,
                                       TimestampMs expires_at) {
  SQLite::Statement insert(sql(m_db), "INSERT INTO sessions(user_id, token_hash, created_at, expires_at, "
                                      "last_used_at) VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, user_id);
  insert.bind(2, token_hash.data(), static_cast<int>(token_hash.size()));
  insert.bind(3, created_at);
  insert.bind(4, expires_at);
  insert.bind(5, created_at);
  insert.exec();
  return sql(m_db).getLastInsertRowid();
}

std::optional<SessionRecord> SessionRepository::find_by_hash(const TokenHash& token_hash) {
  SQLite::Statement query(sql(m_db), "SELECT id, user_id, token_hash, created_at, expires_at, last_used_at, "
                                     "revoked_at FROM sessions WHERE token_hash = ?");
  query.bind(1, token_hash.data(), static_cast<int>(token_hash.size()));
  if (!query.executeStep()) return std::nullopt;
  SessionRecord session;
  session.id = query.getColumn(0).getInt64();
  session.user_id = query.getColumn(1).getInt64();
  const SQLite::Column stored = query.getColumn(2);
  if (static_cast<std::size_t>(stored.getBytes()) != session.token_hash.size()) return std::nullopt;
  std::memcpy(session.token_hash.data(), stored.getBlob(), session.token_hash.size());
  session.created_at = query.getColumn(3).getInt64();
  session.expires_at = query.getColumn(4).getInt64();
  session.last_used_at = query.getColumn(5).getInt64();
  if (!query.getColumn(6).isNull()) session.revoked_at = query.getColumn(6).getInt64();
  return session;
}

void SessionRepository::touch(std::int64_t id, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE sessions SET last_used_at = ? WHERE id = ?");
  update.bind(1, now);
  update.bind(2, id);
  update.exec();
}

bool SessionRepository::revoke(std::int64_t id, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  update.bind(1, now);
  update.bind(2, id);
  return update.exec() > 0;
}

int SessionRepository::revoke_all_of_user(std::int64_t user_id, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE sessions SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL "
                                      "AND expires_at > ?1");
  update.bind(1, now);
  update.bind(2, user_id);
  return update.exec();
}

int SessionRepository::revoke_others_of_user(std::int64_t user_id, std::int64_t keep_id, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE sessions SET revoked_at = ?1 WHERE user_id = ?2 AND id <> ?3 "
                                      "AND revoked_at IS NULL AND expires_at > ?1");
  update.bind(1, now);
  update.bind(2, user_id);
  update.bind(3, keep_id);
  return update.exec();
}

std::int64_t SessionRepository::count_active_of_user(std::int64_t user_id, TimestampMs now) {
  SQLite::Statement query(sql(m_db), "SELECT count(*) FROM sessions WHERE user_id = ?1 AND revoked_at IS NULL "
                                     "AND expires_at > ?2");
  query.bind(1, user_id);
  query.bind(2, now);
  query.executeStep();
  return query.getColumn(0).getInt64();
}

int SessionRepository::purge_ended_of_user(std::int64_t user_id, TimestampMs cutoff) {
  SQLite::Statement remove(sql(m_db), "DELETE FROM sessions WHERE user_id = ?1 AND (expires_at < ?2 OR "
                                      "(revoked_at IS NOT NULL AND revoked_at < ?2))");
  remove.bind(1, user_id);
  remove.bind(2, cutoff);
  return remove.exec();
}

} // namespace blogen::store
