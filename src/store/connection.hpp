#pragma once
// Store-internal access to a store's connection: SQLiteCpp's for a file, libpq's (postgresql/connection.hpp) for a
// PostgreSQL server. Only files in src/store include this.

#include <blogen/store/database.hpp>

#include "statement_cache.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

namespace blogen::store {

namespace pg {
class Connection;
}

/// The engine behind a Database.
enum class Engine { sqlite, postgresql };

/// Write transactions of one process on one store file take turns here before BEGIN IMMEDIATE. Without it, the
/// threads of a worker pool wait for each other inside SQLite's busy handler, which sleeps (1, 2, 5 ... 100 ms) and
/// polls: under contention most of a batch's wall time went to those sleeps. A turn is handed over at once instead.
/// Other processes still meet SQLite's lock and busy timeout as before.
class WriterGate {
public:
  /// Waits up to `timeout` for the turn; false when it did not come (SQLite's busy timeout then decides) or when
  /// this thread holds it already (a second connection's transaction inside the first: no self-deadlock).
  bool enter(std::chrono::milliseconds timeout) {
    if (m_holder.load() == std::this_thread::get_id()) return false;
    if (!m_turn.try_lock_for(timeout)) return false;
    m_holder.store(std::this_thread::get_id());
    return true;
  }
  void leave() {
    m_holder.store(std::thread::id());
    m_turn.unlock();
  }
  /// When another thread of this process holds the turn, waits (up to `timeout`) until it ends; false at once
  /// when nobody here holds it (the lock is another process's, or a single statement's outside a transaction).
  bool wait_for_turn_end(std::chrono::milliseconds timeout) {
    const auto holder = m_holder.load();
    if (holder == std::thread::id() || holder == std::this_thread::get_id()) return false;
    if (!m_turn.try_lock_for(timeout)) return true;
    m_turn.unlock();
    return true;
  }

private:
  std::timed_mutex m_turn;
  std::atomic<std::thread::id> m_holder{};
};

/// The gate of a store file, shared by every connection this process opens to it.
std::shared_ptr<WriterGate> writer_gate(const std::filesystem::path& file);

struct Database::Impl {
  /// An SQLite store file.
  Impl(const std::filesystem::path& file, int flags);
  /// A PostgreSQL server's database; `display` is its URL without a password.
  Impl(std::string display, std::unique_ptr<pg::Connection> connection);
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  Impl(Impl&&) = delete;
  Impl& operator=(Impl&&) = delete;
  ~Impl();

  Engine engine;
  std::filesystem::path path;               ///< the store file, or the server's URL without a password
  std::unique_ptr<SQLite::Database> sqlite; ///< set for Engine::sqlite
  std::unique_ptr<pg::Connection> postgres; ///< set for Engine::postgresql
  StatementCache statements;                ///< SQLite's prepared statements (declared after `sqlite`: closed first)
  int transaction_depth = 0;
  ReadTransaction* open_read = nullptr; ///< the ReadTransaction whose snapshot is open (SQLite only)
  std::shared_ptr<WriterGate> gate;
  bool in_gate = false;                      ///< this connection's outermost write transaction holds the gate's turn
  std::chrono::milliseconds busy_timeout{0}; ///< how long a statement waits for a lock before SQLITE_BUSY
  std::chrono::steady_clock::time_point busy_since{}; ///< when the current wait for a lock began
};

/// The engine of a Database.
inline Engine engine_of(const Database& database) { return database.impl().engine; }

/// The SQLite connection of a Database on a store file (throws std::logic_error on PostgreSQL: the callers are
/// file-only operations, which check the engine first).
SQLite::Database& sql(Database& database);

/// The PostgreSQL connection of a Database on a server (throws std::logic_error on SQLite).
pg::Connection& postgres(Database& database);

} // namespace blogen::store
