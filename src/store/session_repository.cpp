#include "dialect.hpp"
#include "sql.hpp"

#include <blogen/store/session_repository.hpp>

#include <cstring>

namespace blogen::store {
namespace {

Blob blob_of(const TokenHash& hash) { return {hash.data(), static_cast<int>(hash.size())}; }

constexpr Columns k_columns{"id, user_id, token_hash, created_at, expires_at, last_used_at, revoked_at, kind"};

// nullopt for a stored hash of the wrong size (a damaged row never matches).
std::optional<SessionRecord> read_session(Row& row) {
  return row.read(k_columns, [](Row& r) -> std::optional<SessionRecord> {
    SessionRecord session;
    session.id = r.get<std::int64_t>();
    session.user_id = r.get<std::int64_t>();
    const std::string stored = r.next_column().getBlob();
    const bool whole = stored.size() == session.token_hash.size();
    if (whole) std::memcpy(session.token_hash.data(), stored.data(), session.token_hash.size());
    session.created_at = r.get<std::int64_t>();
    session.expires_at = r.get<std::int64_t>();
    session.last_used_at = r.get<std::int64_t>();
    session.revoked_at = r.get<std::optional<std::int64_t>>();
    session.kind = r.get<std::string>() == "runner" ? SessionKind::runner : SessionKind::login;
    if (!whole) return std::nullopt;
    return session;
  });
}

} // namespace

std::string_view to_string(SessionKind kind) { return kind == SessionKind::runner ? "runner" : "login"; }

std::int64_t SessionRepository::insert(std::int64_t user_id, const TokenHash& token_hash, TimestampMs created_at,
                                       TimestampMs expires_at, SessionKind kind) {
  Statement insert(m_db, "INSERT INTO sessions(user_id, token_hash, created_at, expires_at, "
                         "last_used_at, kind) VALUES (?, ?, ?, ?, ?, ?)");
  bind_all(insert, user_id, blob_of(token_hash), created_at, expires_at, created_at, to_string(kind));
  insert.exec();
  return dialect::last_insert_id(m_db);
}

std::optional<SessionRecord> SessionRepository::find_by_hash(const TokenHash& token_hash) {
  Statement query(m_db, "SELECT " + k_columns.text() + " FROM sessions WHERE token_hash = ?");
  bind_all(query, blob_of(token_hash));
  if (!query.executeStep()) return std::nullopt;
  Row row(query);
  return read_session(row);
}

std::vector<SessionRecord> SessionRepository::active_of_user(std::int64_t user_id, TimestampMs now) {
  Statement query(m_db, "SELECT " + k_columns.text() +
                            " FROM sessions WHERE user_id = ?1 AND revoked_at IS NULL AND expires_at > ?2"
                            " ORDER BY created_at DESC, id DESC");
  bind_all(query, user_id, now);
  std::vector<SessionRecord> sessions;
  for (const auto& session : all_rows(query, read_session)) {
    if (session) sessions.push_back(*session);
  }
  return sessions;
}

void SessionRepository::touch(std::int64_t id, TimestampMs now) {
  Statement update(m_db, "UPDATE sessions SET last_used_at = ? WHERE id = ?");
  bind_all(update, now, id);
  update.exec();
}

bool SessionRepository::revoke(std::int64_t id, TimestampMs now) {
  Statement update(m_db, "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  bind_all(update, now, id);
  return update.exec() > 0;
}

int SessionRepository::revoke_all_of_user(std::int64_t user_id, TimestampMs now) {
  Statement update(m_db, "UPDATE sessions SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL "
                         "AND expires_at > ?1");
  bind_all(update, now, user_id);
  return update.exec();
}

int SessionRepository::revoke_others_of_user(std::int64_t user_id, std::int64_t keep_id, TimestampMs now) {
  Statement update(m_db, "UPDATE sessions SET revoked_at = ?1 WHERE user_id = ?2 AND id <> ?3 "
                         "AND revoked_at IS NULL AND expires_at > ?1");
  bind_all(update, now, user_id, keep_id);
  return update.exec();
}

std::int64_t SessionRepository::count_active_of_user(std::int64_t user_id, TimestampMs now) {
  Statement query(m_db, "SELECT count(*) FROM sessions WHERE user_id = ?1 AND revoked_at IS NULL "
                        "AND expires_at > ?2");
  bind_all(query, user_id, now);
  return single_value<std::int64_t>(query);
}

int SessionRepository::purge_ended_of_user(std::int64_t user_id, TimestampMs cutoff) {
  Statement remove(m_db, "DELETE FROM sessions WHERE user_id = ?1 AND (expires_at < ?2 OR "
                         "(revoked_at IS NOT NULL AND revoked_at < ?2))");
  bind_all(remove, user_id, cutoff);
  return remove.exec();
}

} // namespace blogen::store
