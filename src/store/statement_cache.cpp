#include "statement_cache.hpp"

#include <SQLiteCpp/Exception.h>

namespace blogen::store {

StatementCache::~StatementCache() { clear(); }

void StatementCache::clear() noexcept {
  const std::lock_guard lock(m_mutex);
  for (auto& [sql, statements] : m_idle) {
    for (sqlite3_stmt* statement : statements)
      sqlite3_finalize(statement);
  }
  m_idle.clear();
  m_kept = 0;
}

sqlite3_stmt* StatementCache::take(sqlite3* db, const std::string& sql) {
  {
    const std::lock_guard lock(m_mutex);
    const auto found = m_idle.find(sql);
    if (found != m_idle.end() && !found->second.empty()) {
      sqlite3_stmt* statement = found->second.back();
      found->second.pop_back();
      --m_kept;
      return statement;
    }
  }
  sqlite3_stmt* statement = nullptr;
  const int code = sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size() + 1), SQLITE_PREPARE_PERSISTENT,
                                      &statement, nullptr);
  if (code != SQLITE_OK) throw SQLite::Exception(db, code);
  if (statement == nullptr) throw SQLite::Exception("no SQL statement in: " + sql);
  return statement;
}

void StatementCache::give_back(std::string& sql, sqlite3_stmt* statement) noexcept {
  // A failed last step makes reset() return its error again: the statement is reset all the same.
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  try {
    const std::lock_guard lock(m_mutex);
    if (m_kept < k_max_kept) {
      m_idle[std::move(sql)].push_back(statement);
      ++m_kept;
      return;
    }
  } catch (...) { // no memory for the map: finalize below instead of keeping it
  }
  sqlite3_finalize(statement);
}

} // namespace blogen::store
