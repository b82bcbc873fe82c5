#include "connection.hpp"
#include "migrations.hpp"
#include "postgresql/connection.hpp"
#include "sql.hpp"

#include <blogen/core/files.hpp>
#include <blogen/store/maintenance.hpp>

#include <sqlite3.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <map>
#include <stdio.h> // renameat2, RENAME_NOREPLACE (glibc)
#include <unistd.h>

namespace blogen::store {
namespace {

// Owns an sqlite3 handle opened on the backup's temporary file.
struct RawConnection {
  sqlite3* handle = nullptr;
  RawConnection() = default;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection() { sqlite3_close_v2(handle); }
};

// Removes the temporary file unless the backup was renamed into place.
struct TemporaryFile {
  std::string path;
  bool keep = false;
  TemporaryFile() = default;
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (keep || path.empty()) return;
    ::unlink(path.c_str());
    ::unlink((path + "-journal").c_str());
  }
};

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec);
}

using files::system_message;

constexpr int k_backup_busy_retries = 20;

void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); // a folder, never the store
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Every schema object (table, index, trigger, view) by "type name", with the table it belongs to and its SQL.
struct SchemaObject {
  std::string table;
  std::string definition;
};
std::map<std::string, SchemaObject> schema_objects(SQLite::Database& db) {
  std::map<std::string, SchemaObject> objects;
  SQLite::Statement query(
      db, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'");
  while (query.executeStep()) {
    objects[query.getColumn(0).getString() + " " + query.getColumn(1).getString()] = {query.getColumn(2).getString(),
                                                                                      query.getColumn(3).getString()};
  }
  return objects;
}

// A store at the latest version whose tables, indexes or triggers differ from what the migrations create was
// changed outside blogen: integrity_check calls it sound, yet commands would fail on it (or a foreign trigger would
// act on every insert). Compared against the migrations run on an in-memory database, so there is no second copy
// of the schema to keep in step. Tables of someone's own beside blogen's (and their indexes) change nothing and are
// not reported; an object added to one of blogen's tables is.
void check_schema(SQLite::Database& db, std::vector<std::string>& problems) {
  if (db.execAndGet("PRAGMA user_version").getInt() != latest_schema_version()) return;
  SQLite::Database expected(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  for (const Migration& step : migrations())
    expected.exec(step.sql);
  const auto want = schema_objects(expected);
  const auto have = schema_objects(db);
  for (const auto& [name, object] : want) {
    const auto found = have.find(name);
    if (found == have.end()) {
      problems.push_back("schema: " + name + " is missing (removed outside blogen)");
    } else if (found->second.definition != object.definition) {
      problems.push_back("schema: " + name + " differs from what blogen created (changed outside blogen)");
    }
  }
  for (const auto& [name, object] : have) {
    if (!want.contains(name) && want.contains("table " + object.table)) {
      problems.push_back("schema: " + name + " on table " + object.table +
                         " was not created by blogen (added outside it)");
    }
  }
}

// The kept counts of live posts (post_counts) against the posts themselves. The triggers keep them exact, so a
// difference means the file was changed outside blogen; `blog list` would show the wrong total.
void compare_post_counts(SQLite::Database& db, std::vector<std::string>& problems) {
  if (db.execAndGet("PRAGMA user_version").getInt() != latest_schema_version()) return;
  SQLite::Statement query(db, R"sql(
    WITH actual(user_id, kind, live) AS
           (SELECT user_id, kind, count(*) FROM posts WHERE deleted_at IS NULL AND user_id IN (SELECT id FROM users)
            GROUP BY user_id, kind),
         kept(user_id, kind, live) AS (SELECT user_id, kind, live FROM post_counts WHERE live <> 0),
         differing(user_id, kind) AS
           (SELECT user_id, kind FROM (SELECT * FROM kept EXCEPT SELECT * FROM actual)
            UNION SELECT user_id, kind FROM (SELECT * FROM actual EXCEPT SELECT * FROM kept))
    SELECT d.user_id, d.kind, coalesce(k.live, 0), coalesce(a.live, 0) FROM differing d
      LEFT JOIN kept k USING (user_id, kind) LEFT JOIN actual a USING (user_id, kind)
    ORDER BY d.user_id, d.kind LIMIT ?)sql");
  query.bind(1, k_max_reported_problems);
  while (query.executeStep()) {
    problems.push_back(fmt::format("post counts: user {}'s {} posts are counted as {} but {} are there (changed "
                                   "outside blogen; 'blog list' shows the wrong total)",
                                   query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                                   query.getColumn(2).getInt64(), query.getColumn(3).getInt64()));
  }
}

} // namespace

CheckResult check_post_counts(Database& db) {
  CheckResult result;
  compare_post_counts(sql(db), result.problems);
  result.only_post_counts = !result.problems.empty();
  return result;
}

std::int64_t recount_posts(Database& db) {
  WriteTransaction transaction(db);
  Statement(db, "DELETE FROM post_counts").exec();
  // Posts whose user is gone (deleted with foreign keys off, outside blogen) are not counted for anyone.
  Statement(db, "INSERT INTO post_counts(user_id, kind, live) SELECT user_id, kind, count(*) FROM posts "
                "WHERE deleted_at IS NULL AND user_id IN (SELECT id FROM users) GROUP BY user_id, kind")
      .exec();
  Statement counted(db, "SELECT count(*) FROM post_counts");
  const auto counts = single_value<std::int64_t>(counted);
  transaction.commit();
  return counts;
}

CheckResult check(Database& db, CheckDepth depth) {
  CheckResult result;
  const std::string pragma = fmt::format("PRAGMA {}({})", depth == CheckDepth::full ? "integrity_check" : "quick_check",
                                         k_max_reported_problems);
  try {
    SQLite::Statement query(sql(db), pragma);
    while (query.executeStep()) {
      std::string line = query.getColumn(0).getString();
      if (line != "ok") result.problems.push_back(std::move(line));
    }
    if (result.problems.empty()) check_schema(sql(db), result.problems);
    if (result.problems.empty()) {
      compare_post_counts(sql(db), result.problems);
      result.only_post_counts = !result.problems.empty();
    }
  } catch (const SQLite::Exception& e) {
    // A file damaged in its first pages cannot even be checked: that is the finding.
    result.problems.emplace_back(e.getErrorStr());
  }
  return result;
}

BackupResult backup(Database& db, const std::filesystem::path& target, Overwrite overwrite) {
  if (target.empty()) throw Error(ErrorCode::usage, "store backup: FILE is empty");
  std::error_code ec;
  if (std::filesystem::is_directory(target, ec)) {
    throw Error(ErrorCode::usage, target.string() + " is a folder; name the backup file (e.g. " +
                                      (target / "blogen-backup.db").string() + ")");
  }
  if (same_file(target, db.path())) {
    throw Error(ErrorCode::usage, target.string() + " is the store itself; name another file for the backup");
  }
  if (std::filesystem::exists(target, ec) && overwrite == Overwrite::no) {
    throw Error(ErrorCode::usage, target.string() + " exists; choose another name, or pass --force to replace it");
  }
  const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
  if (!std::filesystem::is_directory(folder, ec)) {
    throw Error(ErrorCode::failed, "cannot write the backup: the folder " + folder.string() + " does not exist");
  }

  // mkstemp creates the file 0600; SQLite then keeps the mode of the file it opens.
  TemporaryFile temporary;
  temporary.path = (folder / (target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(temporary.path.data());
  if (fd < 0) {
    temporary.path.clear();
    throw Error(ErrorCode::failed, "cannot write the backup " + target.string() + ": " + system_message());
  }
  ::close(fd); // a file of our own, never the store: closing it cannot drop the store's locks

  RawConnection copy;
  if (sqlite3_open_v2(temporary.path.c_str(), &copy.handle, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    throw Error(ErrorCode::failed, "cannot write the backup " + target.string() + ": " + sqlite3_errmsg(copy.handle));
  }
  sqlite3* source = sql(db).getHandle();
  sqlite3_backup* job = sqlite3_backup_init(copy.handle, "main", source, "main");
  if (job == nullptr) {
    throw Error(ErrorCode::failed,
                "cannot start the backup to " + target.string() + ": " + std::string(sqlite3_errmsg(copy.handle)));
  }
  // One step of -1 copies every page under a single read transaction: a consistent snapshot, and in WAL mode
  // writers in other processes are not blocked while it runs. Busy only happens while another process changes the
  // journal mode or checkpoints exclusively: a few short retries, then the store's "busy" message.
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < k_backup_busy_retries; ++attempt) {
    rc = sqlite3_backup_step(job, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(100);
  }
  BackupResult result;
  result.pages = sqlite3_backup_pagecount(job);
  const int finish = sqlite3_backup_finish(job);
  if (rc != SQLITE_DONE || finish != SQLITE_OK) {
    const int code = rc != SQLITE_DONE ? rc : finish;
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
      throw Error(ErrorCode::failed, damaged_store_message(db.path(), sqlite3_errstr(code)));
    }
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      throw Error(ErrorCode::failed,
                  "the store " + db.path().string() + " stayed busy for too long; no backup was written. Run it again");
    }
    throw Error(ErrorCode::failed, "the backup to " + target.string() + " failed: " + sqlite3_errstr(code) +
                                       "; nothing was written there");
  }
  if (sqlite3_close_v2(copy.handle) != SQLITE_OK) {
    throw Error(ErrorCode::failed, "cannot finish the backup " + target.string());
  }
  copy.handle = nullptr;
  // Without --force the rename must not replace a file that appeared since the check above.
  const unsigned rename_flags = overwrite == Overwrite::yes ? 0U : RENAME_NOREPLACE;
  if (::renameat2(AT_FDCWD, temporary.path.c_str(), AT_FDCWD, target.c_str(), rename_flags) != 0) {
    if (errno == EEXIST) {
      throw Error(ErrorCode::usage, target.string() + " exists; choose another name, or pass --force to replace it");
    }
    throw Error(ErrorCode::failed, "cannot write the backup " + target.string() + ": " + system_message());
  }
  temporary.keep = true;
  sync_folder(folder); // the rename itself survives a crash only once the folder is on disk
  result.file = target;
  const auto bytes = std::filesystem::file_size(target, ec);
  result.bytes = ec ? 0 : static_cast<std::int64_t>(bytes);
  return result;
}

std::string damaged_store_message(const std::filesystem::path& store_file, const std::string& detail) {
  return fmt::format("the store {} is damaged ({}). Stop every blogen process that uses it, run 'blogen store "
                     "check' to see the damage, and restore the latest backup made with 'blogen store backup' "
                     "(see 'man blogen', STORE MAINTENANCE)",
                     store_file.string(), detail);
}

namespace {

// A failure the PostgreSQL server reported, by its SQLSTATE class: what happened and what to do, as for SQLite.
std::optional<Error> explain_server_failure(const pg::PgError& failure, const std::string& store) {
  const std::string& state = failure.sqlstate();
  if (state == "55P03" || state == "40001" || state == "40P01") {
    return Error(ErrorCode::failed, "the store " + store +
                                        " stayed busy for too long (another blogen process held its write lock); "
                                        "nothing of this command was saved. Run it again");
  }
  if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state.empty()) {
    return Error(ErrorCode::failed, "the connection to the store " + store + " was lost (" + failure.what() +
                                        "); nothing of this command was saved. Check the server and run it again");
  }
  if (state == "53100") {
    return Error(ErrorCode::failed,
                 "the server of the store " + store + " has no disk space left; nothing of this command was saved");
  }
  if (state == "25006" || state.rfind("42501", 0) == 0) {
    return Error(ErrorCode::failed, "the store " + store + " may not be written by this database user (" +
                                        failure.what() + "); nothing was changed");
  }
  if (state == "42P01" || state == "42703") {
    return Error(ErrorCode::failed, "the store " + store +
                                        " lacks a table or column of blogen's schema: it was changed outside "
                                        "blogen; nothing of this command was saved");
  }
  return Error(ErrorCode::failed, "the store " + store + " failed an operation (PostgreSQL " + state + ": " +
                                      failure.what() + "); nothing of this command was saved");
}

} // namespace

std::optional<Error> explain_failure(const std::exception& failure, const std::filesystem::path& store_file) {
  if (const auto* server = dynamic_cast<const pg::PgError*>(&failure)) {
    return explain_server_failure(*server, printable_location(store_file));
  }
  const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&failure);
  if (sqlite == nullptr) return std::nullopt;
  const std::string file = store_file.string();
  switch (sqlite->getErrorCode() & 0xff) { // the primary code, also when an extended one is set
  case SQLITE_CORRUPT:
  case SQLITE_NOTADB:
    return Error(ErrorCode::failed, damaged_store_message(store_file, sqlite->getErrorStr()));
  case SQLITE_FULL:
    return Error(ErrorCode::failed, "the disk that holds the store " + file +
                                        " is full; nothing of this command was saved. Free some space and run it "
                                        "again");
  case SQLITE_READONLY:
    return Error(ErrorCode::failed, "the store " + file +
                                        " is read-only for this user; nothing was changed. Check its permissions "
                                        "(ls -l) or point --db at a store you can write");
  case SQLITE_CANTOPEN:
  case SQLITE_PERM:
    return Error(ErrorCode::failed, "cannot open the store " + file + " (" + sqlite->getErrorStr() +
                                        "); check that its folder exists and that you may write there");
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return Error(ErrorCode::failed, "the store " + file +
                                        " stayed busy for too long (another blogen process held its write lock); "
                                        "nothing of this command was saved. Run it again");
  case SQLITE_IOERR:
    return Error(ErrorCode::failed, "reading or writing the store " + file + " failed (" + sqlite->getErrorStr() +
                                        "): check the disk; 'blogen store check' tells whether the store is sound");
  case SQLITE_ERROR:
    // A table or column the schema has is gone: the file was changed outside blogen (integrity_check cannot tell).
    if (const std::string what = sqlite->what(); what.find("no such table") != std::string::npos ||
                                                 what.find("no such column") != std::string::npos ||
                                                 what.find("has no column named") != std::string::npos) {
      return Error(ErrorCode::failed, "the store " + file +
                                          " lacks a table or column of blogen's schema: it was changed outside "
                                          "blogen; nothing of this command was saved. 'blogen store check' names "
                                          "the difference; restore the latest backup ('blogen store backup')");
    }
    [[fallthrough]];
  default:
    // Never SQLite's own message (it names tables and columns): what happened, and what to do.
    return Error(ErrorCode::failed, "the store " + file + " failed an operation (SQLite: " + sqlite->getErrorStr() +
                                        "); nothing of this command was saved. Run 'blogen store check', and "
                                        "report this as a bug if the store is ok");
  }
}

} // namespace blogen::store
