#pragma once
// The SQLite store: one file, opened with safe pragmas and migrated to the schema this binary knows.
// A Database is one connection; use one per thread (WAL lets readers and one writer work at once).

#include <exception>
#include <filesystem>
#include <memory>
#include <string>

namespace blogen::store {

/// Facts about an open store, for `blogen doctor`.
struct StoreInfo {
  std::filesystem::path path;
  int schema_version = 0;
  int latest_schema_version = 0;
  std::string sqlite_version;
  bool fts5_available = false;
  std::string journal_mode;
};

/// What a connection is for: `use` (create, migrate, refuse a newer schema) or `maintenance` (check or back up
/// the file exactly as it is: never created, migrated or written by opening it).
enum class OpenFor { use, maintenance };

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
  std::unique_ptr<Impl> m_impl;
};

/// A write transaction (`BEGIN IMMEDIATE`); nested ones become savepoints. Rolls back unless committed.
class WriteTransaction {
public:
  explicit WriteTransaction(Database& db);
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

/// The schema version this binary migrates to.
int latest_schema_version();

/// Whether `error` says the store stayed locked by another connection past the busy timeout: worth waiting for and
/// trying again, unlike every other store error. Lets the layers above retry without knowing SQLite.
bool is_busy(const std::exception& error);

} // namespace blogen::store
