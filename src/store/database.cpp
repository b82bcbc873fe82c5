#include "checkpointer.hpp"
#include "connection.hpp"
#include "migrations.hpp"
#include "postgresql/connection.hpp"
#include "postgresql/schema.hpp"
#include "statement.hpp"

#include <blogen/store/maintenance.hpp>

#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/core/paths.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>

namespace blogen::store {
namespace {

// 'blog' in ASCII: marks a SQLite file as a blogen store so we never migrate someone else's database.
constexpr int k_application_id = 0x626C6F67;
constexpr int k_busy_timeout_ms = 15'000;
constexpr long k_max_busy_timeout_ms = 600'000;

// How long a connection waits for another's write lock before SQLITE_BUSY: 15 s, or BLOGEN_BUSY_TIMEOUT_MS (1 ms to
// 10 min; anything else is ignored). Workers keep trying past it (jobs/worker_pool.cpp); tests shorten it.
int busy_timeout_ms() {
  const auto text = paths::env("BLOGEN_BUSY_TIMEOUT_MS");
  if (!text) return k_busy_timeout_ms;
  char* end = nullptr;
  const long value = std::strtol(text->c_str(), &end, 10);
  if (end == text->c_str() || *end != '\0' || value < 1 || value > k_max_busy_timeout_ms) return k_busy_timeout_ms;
  return static_cast<int>(value);
}

// SQLite's busy handler: called while another connection holds the lock this statement needs. SQLite's own
// (sqlite3_busy_timeout) sleeps 1, 2, 5 ... 100 ms between tries, so a worker thread waiting behind another thread's
// half-millisecond write slept for tens of milliseconds. Here a wait behind a write transaction of this process
// ends the moment it commits (its writer gate), and any other wait sleeps 0.1 ms doubling to 5 ms. The total stays
// bounded by the busy timeout, after which the statement fails with SQLITE_BUSY as before.
int on_busy(void* context, int tries) {
  auto& impl = *static_cast<Database::Impl*>(context);
  const auto now = std::chrono::steady_clock::now();
  if (tries == 0) impl.busy_since = now;
  const auto left = impl.busy_timeout - std::chrono::duration_cast<std::chrono::milliseconds>(now - impl.busy_since);
  if (left.count() <= 0) return 0;
  if (impl.gate->wait_for_turn_end(left)) return 1;
  const auto pause = std::chrono::microseconds(100 << std::min(tries, 6));
  std::this_thread::sleep_for(std::min<std::chrono::microseconds>(pause, left));
  return 1;
}

void wait_when_busy(Database::Impl& impl) {
  impl.busy_timeout = std::chrono::milliseconds(busy_timeout_ms());
  sqlite3_busy_handler(impl.sqlite->getHandle(), &on_busy, &impl);
}

int pragma_int(SQLite::Database& db, const char* pragma) {
  return db.execAndGet(std::string("PRAGMA ") + pragma).getInt();
}

// Refuses another program's database and a newer schema; returns the schema version. One statement: every worker
// thread opens a connection, and opening ran thirteen (these three, then a version check per migration step).
int refuse_foreign_or_newer(SQLite::Database& db, const std::filesystem::path& path) {
  SQLite::Statement facts(db,
                          "SELECT (SELECT user_version FROM pragma_user_version), "
                          "(SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_schema)");
  facts.executeStep();
  const int version = facts.getColumn(0).getInt();
  const int application = facts.getColumn(1).getInt();
  const int tables = facts.getColumn(2).getInt();
  if (application != k_application_id && (tables > 0 || version > 0)) {
    throw Error(ErrorCode::bad_input, path.string() +
                                          " is an SQLite database of another program, not a blogen store; it was "
                                          "not changed. Point --db or BLOGEN_DB at another file.");
  }
  if (version > latest_schema_version()) {
    throw Error(ErrorCode::failed, "the store " + path.string() + " has schema version " + std::to_string(version) +
                                       ", newer than this blogen understands (" +
                                       std::to_string(latest_schema_version()) +
                                       "); it was not changed. Upgrade blogen to use it.");
  }
  return version;
}

// Brings the schema from `version` (read at open) to the latest: a store already there costs nothing more.
void migrate(SQLite::Database& db, int version) {
  for (const Migration& step : migrations()) {
    if (version >= step.version) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      // Another process may have migrated while we waited for the write lock.
      if (pragma_int(db, "user_version") < step.version) {
        db.exec(step.sql);
        db.exec("PRAGMA application_id = " + std::to_string(k_application_id));
        db.exec("PRAGMA user_version = " + std::to_string(step.version));
      }
      version = step.version;
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
  }
}

// ---- PostgreSQL --------------------------------------------------------------------------------------------------

// The key of the advisory lock every write transaction on a PostgreSQL store holds: writers take turns exactly as
// SQLite's single writer makes them, so every repository's read-then-write holds on both engines. 'blog' in ASCII.
constexpr const char* k_pg_writer_lock = "SELECT pg_advisory_xact_lock(1651273575)";

// The schema version lives in a one-row table (SQLite keeps it in the file header: PRAGMA user_version).
constexpr const char* k_pg_version_table = "blogen_schema";

int pg_schema_version(Database& db) {
  Statement query(db, std::string("SELECT version FROM ") + k_pg_version_table);
  return query.executeStep() ? query.getColumn(0).getInt() : 0;
}

// The schema version of the database, or nullopt when it has no version table (empty, or another program's).
std::optional<int> pg_stored_version(Database& db) {
  Statement table(db, std::string("SELECT to_regclass('") + k_pg_version_table + "') IS NOT NULL");
  table.executeStep();
  if (table.getColumn(0).getInt() == 0) return std::nullopt;
  return pg_schema_version(db);
}

// Refuses a database of another program or of a newer blogen; returns the schema version (0: an empty database).
int pg_refuse_foreign_or_newer(Database& db, const std::string& shown) {
  const std::optional<int> version = pg_stored_version(db);
  if (!version) {
    Statement tables(db, "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()");
    tables.executeStep();
    if (tables.getColumn(0).getInt64() > 0) {
      throw Error(ErrorCode::bad_input, "the database " + shown +
                                            " holds tables of another program, not a blogen store; it was not "
                                            "changed. Point --db or BLOGEN_DB at an empty database.");
    }
    return 0;
  }
  if (*version > latest_schema_version()) {
    throw Error(ErrorCode::failed, "the store " + shown + " has schema version " + std::to_string(*version) +
                                       ", newer than this blogen understands (" +
                                       std::to_string(latest_schema_version()) +
                                       "); it was not changed. Upgrade blogen to use it.");
  }
  return *version;
}

// Runs the steps past `version` (what the store had when it was opened): nothing to ask the server for a store that
// is up to date, which is every connection but the first.
void pg_migrate(Database& db, int version) {
  pg::Connection& conn = postgres(db);
  for (const Migration& step : pg::postgresql_migrations()) {
    if (version >= step.version) continue;
    conn.exec("BEGIN");
    try {
      conn.exec(k_pg_writer_lock);
      // Another process may have migrated while we waited for the lock.
      conn.exec(std::string("CREATE TABLE IF NOT EXISTS ") + k_pg_version_table + " (version bigint NOT NULL)");
      version = pg_schema_version(db);
      if (version < step.version) {
        conn.exec(step.sql);
        conn.exec(std::string("DELETE FROM ") + k_pg_version_table);
        conn.exec(std::string("INSERT INTO ") + k_pg_version_table + " VALUES (" + std::to_string(step.version) + ")");
        version = step.version;
      }
      conn.exec("COMMIT");
    } catch (...) {
      conn.exec("ROLLBACK");
      throw;
    }
  }
}

} // namespace

int latest_schema_version() { return migrations().back().version; }

bool is_server_location(const std::filesystem::path& location) { return pg::is_url(location.string()); }

std::string printable_location(const std::filesystem::path& location) {
  if (is_server_location(location)) return pg::redact_url(location.string());
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(location, ec);
  return (ec ? location : absolute.lexically_normal()).string();
}

bool is_busy(const std::exception& error) {
  if (const auto* postgres = dynamic_cast<const pg::PgError*>(&error)) {
    // lock_not_available (the busy timeout as lock_timeout), serialization_failure, deadlock_detected.
    const std::string& state = postgres->sqlstate();
    return state == "55P03" || state == "40001" || state == "40P01";
  }
  const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&error);
  if (sqlite == nullptr) return false;
  const int primary = sqlite->getErrorCode() & 0xFF;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

Database::Impl::Impl(const std::filesystem::path& file, int flags)
    : engine(Engine::sqlite), path(file), sqlite(std::make_unique<SQLite::Database>(file.string(), flags)),
      gate(writer_gate(file)) {}

Database::Impl::Impl(std::string display, std::unique_ptr<pg::Connection> connection)
    : engine(Engine::postgresql), path(std::move(display)), postgres(std::move(connection)), gate(writer_gate(path)) {}

Database::Impl::~Impl() = default;

SQLite::Database& sql(Database& database) {
  auto& impl = database.impl();
  if (!impl.sqlite) throw std::logic_error("an SQLite-only operation was called on a PostgreSQL store");
  return *impl.sqlite;
}

pg::Connection& postgres(Database& database) {
  auto& impl = database.impl();
  if (!impl.postgres) throw std::logic_error("a PostgreSQL-only operation was called on an SQLite store");
  return *impl.postgres;
}

Database::Database(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Database Database::open(const std::filesystem::path& path, OpenFor purpose) {
  if (path.empty()) throw Error(ErrorCode::usage, "--db: the store path is empty");
  if (pg::is_url(path.string())) return open_server(path.string(), purpose);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw Error(ErrorCode::bad_input, path.string() + " is a folder, not a store file");
  }
  if (purpose == OpenFor::maintenance) return open_as_it_is(path);
  if (path.has_parent_path()) files::create_private_directories(path.parent_path());
  // The file is created here (0600) rather than by SQLite (0644 less the umask). Nothing else in this function
  // opens it: a descriptor of the store opened and closed outside SQLite would drop every POSIX lock this process
  // holds on it (locks belong to the process, and any close() releases them), letting another process write while
  // this one believes it holds the lock. SQLite itself tells a file that is not a database (SQLITE_NOTADB below).
  files::create_private_file(path);
  // SQLite's memory statistics take one process-wide mutex around every allocation of every connection: at
  // concurrency 8 it was the most contended lock of a batch (13% of the CPU in sqlite3Malloc, threads woken through
  // the kernel). Without them the soft heap limit does nothing, so page caches are bounded per connection instead
  // (OpenFor::worker). Must come before SQLite initialises; when something initialised it first, it stays on.
  // (SQLite's bulk page-cache allocation stays: without it an open took 0.60 ms instead of 0.75, but a batch's
  // workers, whose caches empty at every commit of the writer, allocated page buffers one by one: 5% more CPU.)
  static std::once_flag statistics_off;
  std::call_once(statistics_off, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });

  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
    SQLite::Database& db = *impl->sqlite;
    wait_when_busy(*impl);
    const int version = refuse_foreign_or_newer(db, path);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA temp_store = MEMORY");
    // A worker thread's connection reads a few pages per job, and loses its cache at every commit of another
    // connection anyway; at SQLite's default of 2 MB each, the 64 threads of a batch kept 40 MB of pages they would
    // not use again (peak RSS 105 MB for 10 000 posts, 63 MB at 256 KB, no slower).
    if (purpose == OpenFor::worker) db.exec("PRAGMA cache_size = -256");
    // Checkpoints run on a thread of their own every 2 000 WAL pages (checkpointer.hpp), not inside the commit that
    // crosses SQLite's 1 000, while that writer holds the store (a batch checkpointed every 40 posts, copying the
    // same hot index pages into the file each time, and stalled every other writer meanwhile). The WAL starts over
    // after each, is cut back to 64 MB after a checkpoint, and goes when the last connection closes.
    checkpoint_in_background(db.getHandle(), impl->path);
    db.exec("PRAGMA journal_size_limit = 67108864");
    migrate(db, version);
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_NOTADB) {
      throw Error(ErrorCode::bad_input, path.string() +
                                            " is not a blogen store (not an SQLite database, or its first page is "
                                            "damaged: 'blogen store check' tells); it was not changed. "
                                            "Point --db or BLOGEN_DB at another file.");
    }
    if (auto explained = explain_failure(e, path)) throw *explained; // damage, a full disk, a read-only file
    throw Error(ErrorCode::failed, "cannot open the store " + path.string() + ": " + e.getErrorStr());
  }
  return Database(std::move(impl));
}

Database Database::open_server(const std::string& url, OpenFor purpose) {
  if (purpose == OpenFor::maintenance) {
    throw Error(ErrorCode::usage, "store check and store backup work on an SQLite store file; for a PostgreSQL "
                                  "store use the server's own tools (pg_dump, pg_amcheck), or 'blogen store copy' "
                                  "to an SQLite file");
  }
  auto connection = std::make_unique<pg::Connection>(url);
  const std::string shown = connection->display_url();
  auto impl = std::make_unique<Impl>(shown, std::move(connection));
  impl->busy_timeout = std::chrono::milliseconds(busy_timeout_ms());
  Database db(std::move(impl));
  try {
    // A write transaction waits for the writer lock as long as SQLite's busy timeout, then fails as busy.
    postgres(db).exec("SET lock_timeout = " + std::to_string(db.impl().busy_timeout.count()));
    pg_migrate(db, pg_refuse_foreign_or_newer(db, shown));
  } catch (const pg::PgError& e) {
    throw Error(ErrorCode::failed, "cannot open the store " + shown + ": " + e.what());
  }
  return db;
}

Database Database::open_as_it_is(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw Error(ErrorCode::not_found, "there is no store at " + path.string() + " (see --db and BLOGEN_DB)");
  }
  try {
    auto impl = std::make_unique<Impl>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_FULLMUTEX);
    wait_when_busy(*impl);
    return Database(std::move(impl));
  } catch (const SQLite::Exception& e) {
    if (auto explained = explain_failure(e, path)) throw *explained;
    throw Error(ErrorCode::failed, "cannot open the store " + path.string() + ": " + e.getErrorStr());
  }
}

const std::filesystem::path& Database::path() const { return m_impl->path; }

StoreInfo Database::info() const {
  StoreInfo info;
  if (m_impl->engine == Engine::postgresql) {
    auto& self = const_cast<Database&>(*this); // NOLINT(cppcoreguidelines-pro-type-const-cast): queries only read
    info.engine = "postgresql";
    info.path = m_impl->path;
    info.schema_version = pg_schema_version(self);
    info.latest_schema_version = latest_schema_version();
    info.server_version = m_impl->postgres->server_version();
    info.connection_security = m_impl->postgres->security();
    info.fts5_available = false;
    return info;
  }
  SQLite::Database& db = *m_impl->sqlite;
  info.engine = "sqlite";
  info.path = m_impl->path;
  info.schema_version = pragma_int(db, "user_version");
  info.latest_schema_version = latest_schema_version();
  info.sqlite_version = sqlite3_libversion();
  info.fts5_available = sqlite3_compileoption_used("ENABLE_FTS5") != 0;
  info.journal_mode = db.execAndGet("PRAGMA journal_mode").getString();
  return info;
}

std::shared_ptr<WriterGate> writer_gate(const std::filesystem::path& file) {
  static std::mutex mutex;
  static std::map<std::filesystem::path, std::weak_ptr<WriterGate>> gates;
  std::error_code ec;
  auto key = std::filesystem::absolute(file, ec).lexically_normal();
  if (ec) key = file;
  std::lock_guard lock(mutex);
  auto gate = gates[key].lock();
  if (!gate) {
    gate = std::make_shared<WriterGate>();
    gates[key] = gate;
  }
  return gate;
}

namespace {

// Runs statements without parameters on either engine. On SQLite one statement (BEGIN, COMMIT, a SAVEPOINT or its
// RELEASE) goes through the connection's statement cache: a group commit runs a dozen of them per result, and
// parsing them anew each time was a twentieth of the writer's CPU.
void run(Database& db, const std::string& statements) {
  if (engine_of(db) == Engine::postgresql) {
    postgres(db).exec(statements);
  } else if (statements.find(';') != std::string::npos) {
    sql(db).exec(statements);
  } else {
    Statement(db, statements).exec();
  }
}

void leave_gate(Database::Impl& impl) {
  if (!impl.in_gate) return;
  impl.in_gate = false;
  impl.gate->leave();
}

} // namespace

WriteTransaction::WriteTransaction(Database& db, WriterTurn turn) : m_db(db), m_depth(db.impl().transaction_depth) {
  if (ReadTransaction* reads = db.impl().open_read) {
    // A write on a connection whose reads were grouped into a snapshot: BEGIN IMMEDIATE cannot start inside it,
    // and taking the write lock from inside an old snapshot would fail, not wait. The snapshot is ended first.
    reads->end();
    m_depth = db.impl().transaction_depth;
  }
  if (m_depth == 0) {
    Database::Impl& impl = db.impl();
    const bool rows_only = impl.engine == Engine::postgresql && turn == WriterTurn::rows_only;
    if (!rows_only) impl.in_gate = impl.gate->enter(impl.busy_timeout);
    try {
      if (impl.engine == Engine::postgresql) {
        pg::Connection& conn = postgres(db);
        conn.exec("BEGIN");
        try {
          if (!rows_only) conn.exec(k_pg_writer_lock);
        } catch (...) {
          conn.exec("ROLLBACK");
          throw;
        }
      } else {
        run(db, "BEGIN IMMEDIATE");
      }
    } catch (...) {
      leave_gate(impl);
      throw;
    }
  } else {
    run(db, "SAVEPOINT nested_" + std::to_string(m_depth));
  }
  ++db.impl().transaction_depth;
}

WriteTransaction::~WriteTransaction() {
  if (m_done) return;
  --m_db.impl().transaction_depth;
  try {
    if (m_depth == 0) {
      run(m_db, "ROLLBACK");
    } else {
      run(m_db, "ROLLBACK TO nested_" + std::to_string(m_depth) + "; RELEASE nested_" + std::to_string(m_depth));
    }
  } catch (...) { // NOLINT(bugprone-empty-catch): a failed rollback in a destructor must not throw
  }
  if (m_depth == 0) leave_gate(m_db.impl()); // after a failed rollback too: SQLite ends the transaction itself
}

void WriteTransaction::commit() {
  if (m_depth == 0) {
    if (engine_of(m_db) == Engine::postgresql) {
      // PostgreSQL answers the COMMIT of a transaction a failed statement aborted with ROLLBACK, not an error:
      // a commit that saved nothing must not pass for one that did.
      const std::string tag = postgres(m_db).exec("COMMIT");
      leave_gate(m_db.impl());
      if (tag != "COMMIT") {
        m_done = true;
        --m_db.impl().transaction_depth;
        throw pg::PgError("the transaction was rolled back after a failed statement; nothing was saved", "25P02");
      }
    } else {
      run(m_db, "COMMIT");
    }
    leave_gate(m_db.impl());
  } else {
    run(m_db, "RELEASE nested_" + std::to_string(m_depth));
  }
  m_done = true;
  --m_db.impl().transaction_depth;
}

ReadTransaction::ReadTransaction(Database& db) : m_db(db) {
  Database::Impl& impl = db.impl();
  if (impl.engine != Engine::sqlite || impl.transaction_depth > 0) return;
  run(db, "BEGIN DEFERRED");
  impl.open_read = this;
  ++impl.transaction_depth;
}

ReadTransaction::~ReadTransaction() { end(); }

void ReadTransaction::end() noexcept {
  Database::Impl& impl = m_db.impl();
  if (impl.open_read != this) return; // inert, ended already, or ended by a write
  impl.open_read = nullptr;
  --impl.transaction_depth;
  try {
    run(m_db, "COMMIT");
  } catch (...) {
    // Ending a read loses nothing, but the transaction must not stay open: the connection's next BEGIN would fail.
    try {
      run(m_db, "ROLLBACK");
    } catch (...) { // NOLINT(bugprone-empty-catch): nothing left to try; SQLite ends it with the connection
    }
  }
}

} // namespace blogen::store
