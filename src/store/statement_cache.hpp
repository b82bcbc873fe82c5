#pragma once
// The prepared statements of one SQLite connection, kept between uses. The repositories prepare a Statement per call
// from the same few SQL texts; compiling SQL (parse, name resolution, code generation) was a tenth of a batch's CPU.

#include <sqlite3.h>

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace blogen::store {

class StatementCache {
public:
  StatementCache() = default;
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  StatementCache(StatementCache&&) = delete;
  StatementCache& operator=(StatementCache&&) = delete;
  /// Finalizes every kept statement: call before the connection closes (the destructor does it too).
  ~StatementCache();
  void clear() noexcept;

  /// A statement for `sql`: a kept one if there is one not in use, else a newly prepared one (throws
  /// SQLite::Exception when SQLite rejects the SQL). The same SQL may be in use twice at once (a query inside
  /// another's loop): each use gets its own statement.
  sqlite3_stmt* take(sqlite3* db, const std::string& sql);
  /// Takes back a statement from take(): reset, its bindings cleared, kept for the next use (or finalized when the
  /// cache is full: SQL built from filters has many forms).
  void give_back(std::string& sql, sqlite3_stmt* statement) noexcept;

private:
  static constexpr std::size_t k_max_kept = 96;
  std::mutex m_mutex; // a connection is one thread's, but a Database may be handed between threads
  std::unordered_map<std::string, std::vector<sqlite3_stmt*>> m_idle;
  std::size_t m_kept = 0;
};

} // namespace blogen::store
