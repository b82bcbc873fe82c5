#pragma once
// The store: an SQLite file (opened with safe pragmas) or a PostgreSQL database (a `postgresql://` URL), migrated to
// the schema this binary knows. A Database is one connection; use one per thread (SQLite's WAL lets readers and one
// writer work at once; on PostgreSQL writers take turns the same way through an advisory lock).

#include <exception>
#include <filesystem>
#include <memory>
#include <string>

namespace blogen::store {

/// Facts about an open store, for `blogen doctor`.
struct StoreInfo {
  std::string engine;         ///< "sqlite" or "postgresql"
  std::filesystem::path path; ///< the file, or the server's URL without a password
  int schema_version = 0;
  int latest_schema_version = 0;
  std::string sqlite_version;
  bool fts5_available = false;
  std::string journal_mode;
  std::string server_version;      ///< PostgreSQL only
  std::string connection_security; ///< PostgreSQL only: TLS, a Unix socket or unencrypted TCP
};

/// What a connection is for: `use` (create, migrate, refuse a newer schema), `worker` (the same, for one of a
/// worker pool's many threads: a small page cache) or `maintenance` (check or back up the file exactly as it is:
/// never created, migrated or written by opening it).
enum class OpenFor { use, worker, maintenance };

/// One connection to the store. Not thread-safe: give each thread its own.
class Database {
public:
  /// Opens (creating the file 0600 and its folder 0700 when missing) and migrates to the latest schema.
  /// Throws Error{bad_input} for a file that is not a blogen SQLite store and Error{failed} for a newer schema;
  /// in both cases the file is left untouched.
  /// With OpenFor::maintenance the file must exist (Error{not_found} otherwise) and is opened as it is.
  static Database open(const std::filesystem::path& path, OpenFor purpose = OpenFor::use);

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  /// The file this connection is bound to.
  [[nodiscard]] const std::filesystem::path& path() const;
  /// Schema version, SQLite version, FTS5 availability.
  [[nodiscard]] StoreInfo info() const;

  struct Impl;
  /// The implementation, reachable only from inside the store layer (see src/store/connection.hpp).
  [[nodiscard]] Impl& impl() const { return *m_impl; }

private:
  explicit Database(std::unique_ptr<Impl> impl);
  /// For `store check` and `store backup`: the file as it is, never created, migrated or refused for its version,
  /// so a backup taken before an upgrade keeps the old schema and a check never writes to a damaged store.
  static Database open_as_it_is(const std::filesystem::path& path);
  /// A PostgreSQL store (`postgresql://...`): connected, refused when foreign or newer, migrated.
  static Database open_server(const std::string& url, OpenFor purpose);
  std::unique_ptr<Impl> m_impl;
};

/// Whether a write transaction takes the store's writer turn (SQLite always does: one writer at a time). On
/// PostgreSQL `rows_only` relies on row locks alone, for the one statement that needs no more (the job claim, with
/// FOR UPDATE SKIP LOCKED), so claims on many hosts do not queue behind each other.
enum class WriterTurn { take, rows_only };

/// A write transaction (`BEGIN IMMEDIATE`); nested ones become savepoints. Rolls back unless committed.
class WriteTransaction {
public:
  explicit WriteTransaction(Database& db, WriterTurn turn = WriterTurn::take);
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction();
  /// Makes the changes durable (or releases the savepoint when nested).
  void commit();

private:
  Database& m_db;
  int m_depth;
  bool m_done = false;
};

/// Several reads from one snapshot of an SQLite store, for speed. A statement outside a transaction is a read
/// transaction of its own, and each one first checks the file for other connections' commits and, when there were
/// any, empties the connection's page cache: a job's handler made seven such reads while the pool's writer committed
/// between them, re-reading the same pages each time. Inert on PostgreSQL (nothing to keep; every statement reads
/// the latest committed rows, as without it) and inside another transaction. While open it keeps the WAL from
/// starting over, so end it before anything slow (a provider call). A WriteTransaction begun on the connection
/// while it is open ends it first: its reads were only grouped for speed.
class ReadTransaction {
public:
  explicit ReadTransaction(Database& db);
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  ~ReadTransaction();
  /// Ends the snapshot now (also done by the destructor).
  void end() noexcept;

private:
  Database& m_db;
};

/// Whether `location` (a --db or BLOGEN_DB value) names a PostgreSQL server (`postgresql://` or `postgres://`)
/// rather than a store file.
bool is_server_location(const std::filesystem::path& location);

/// `location` as it may be printed, logged or written into a crontab line: a file as an absolute path, a server's
/// URL without its password (libpq finds it again in PGPASSWORD or ~/.pgpass).
std::string printable_location(const std::filesystem::path& location);

/// The schema version this binary migrates to.
int latest_schema_version();

/// Whether `error` says the store stayed locked by another connection past the busy timeout: worth waiting for and
/// trying again, unlike every other store error. Lets the layers above retry without knowing SQLite.
bool is_busy(const std::exception& error);

} // namespace blogen::store
