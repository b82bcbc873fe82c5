#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/store/database.hpp>
#include <blogen/store/maintenance.hpp>

#include "../../src/store/connection.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include <filesystem>
#include <fstream>
#include <sstream>

using blogen::Error;
using blogen::ErrorCode;
using blogen::store::Database;
using blogen::testing::TempDir;

namespace {

std::string bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ErrorCode code_of_open(const std::filesystem::path& file) {
  try {
    Database::open(file);
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("open succeeded");
  return ErrorCode::failed;
}

} // namespace

TEST_CASE("a new store is created private, in WAL mode, at the latest schema") {
  TempDir dir;
  const auto file = dir.path() / "nested" / "folder" / "blogen.db";
  Database db = Database::open(file);
  CHECK(std::filesystem::exists(file));
  CHECK(blogen::files::permission_bits(file) == 0600);
  CHECK(blogen::files::permission_bits(file.parent_path()) == 0700);
  const auto info = db.info();
  CHECK(info.schema_version == blogen::store::latest_schema_version());
  CHECK(info.journal_mode == "wal");
  CHECK(info.fts5_available);
  auto& sql = blogen::store::sql(db);
  CHECK(sql.execAndGet("PRAGMA foreign_keys").getInt() == 1);
  // The WAL is cut back after a checkpoint; commits leave checkpoints to a thread (the next test).
  CHECK(sql.execAndGet("PRAGMA journal_size_limit").getInt64() == 64LL << 20);
  for (const char* table : {"users", "sessions", "posts", "post_revisions", "posts_fts", "campaigns", "batches", "jobs",
                            "generation_log", "schedules", "schedule_runs", "providers", "templates", "settings"}) {
    INFO(table);
    CHECK(sql.execAndGet(std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + table + "'").getInt() == 1);
  }
}

TEST_CASE("a long WAL is checkpointed by a thread of its own, not inside the commit that made it long") {
  TempDir dir;
  const auto file = dir.path() / "blogen.db";
  Database db = Database::open(file);
  auto& sql = blogen::store::sql(db);
  // SQLite's own automatic checkpoint, which runs inside the commit, is off on blogen's connections (the pragma
  // reads 1000 while it is on).
  CHECK(sql.execAndGet("PRAGMA wal_autocheckpoint").getInt() == 0);
  sql.exec("CREATE TABLE big(b BLOB)");
  // One commit of about 2 300 pages (4 KB each), past the 2 000 that ask for a checkpoint, short of the 40 000 the
  // committing connection would checkpoint itself.
  sql.exec("INSERT INTO big VALUES (zeroblob(9400000))");
  constexpr std::uintmax_t k_copied = 9'000'000;
  // Returning from the commit did not wait for the pages to be copied into the store file (they usually are not
  // yet; when the thread was quicker, the file is big already and the check below holds at once).
  bool copied = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!copied && std::chrono::steady_clock::now() < deadline) {
    copied = std::filesystem::file_size(file) > k_copied;
    if (!copied) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(copied);
  CHECK(sql.execAndGet("SELECT length(b) FROM big").getInt64() == 9400000);
}

TEST_CASE("opening a store twice migrates once and keeps data") {
  TempDir dir;
  const auto file = dir.path() / "blogen.db";
  {
    Database db = Database::open(file);
    blogen::store::sql(db).exec("INSERT INTO settings(key, value) VALUES ('k', 'v')");
  }
  Database again = Database::open(file);
  CHECK(blogen::store::sql(again).execAndGet("SELECT value FROM settings WHERE key = 'k'").getString() == "v");
  CHECK(again.info().schema_version == blogen::store::latest_schema_version());
}

TEST_CASE("a store from a newer blogen is refused and left byte-for-byte unchanged") {
  TempDir dir;
  const auto file = dir.path() / "blogen.db";
  {
    Database db = Database::open(file);
    blogen::store::sql(db).exec("PRAGMA user_version = 999");
    blogen::store::sql(db).exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  const std::string before = bytes_of(file);
  try {
    Database::open(file);
    FAIL("a newer store was opened");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::failed);
    CHECK_THAT(e.what(), Catch::Contains("newer") && Catch::Contains("999"));
  }
  CHECK(bytes_of(file) == before);
}

TEST_CASE("a file that is not SQLite is refused with bad_input and not modified") {
  TempDir dir;
  const auto file = dir.path() / "notes.txt";
  std::ofstream(file) << "these are my notes, not a database\n";
  const std::string before = bytes_of(file);
  CHECK(code_of_open(file) == ErrorCode::bad_input);
  CHECK(bytes_of(file) == before);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "notes.txt-wal"));
}

TEST_CASE("another program's SQLite database is refused and not modified") {
  TempDir dir;
  const auto file = dir.path() / "other.db";
  {
    SQLite::Database other(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    other.exec("CREATE TABLE bookmarks(url TEXT)");
  }
  const std::string before = bytes_of(file);
  CHECK(code_of_open(file) == ErrorCode::bad_input);
  CHECK(bytes_of(file) == before);
}

TEST_CASE("a folder given as the store is refused") {
  TempDir dir;
  CHECK(code_of_open(dir.path()) == ErrorCode::bad_input);
}

TEST_CASE("write transactions roll back unless committed, and nest as savepoints") {
  TempDir dir;
  Database db = Database::open(dir.path() / "blogen.db");
  auto& sql = blogen::store::sql(db);
  {
    blogen::store::WriteTransaction tx(db);
    sql.exec("INSERT INTO settings(key, value) VALUES ('a', '1')");
  }
  CHECK(sql.execAndGet("SELECT count(*) FROM settings").getInt() == 0);
  {
    blogen::store::WriteTransaction outer(db);
    sql.exec("INSERT INTO settings(key, value) VALUES ('b', '1')");
    {
      blogen::store::WriteTransaction inner(db);
      sql.exec("INSERT INTO settings(key, value) VALUES ('c', '1')");
    } // inner rolled back
    {
      blogen::store::WriteTransaction inner(db);
      sql.exec("INSERT INTO settings(key, value) VALUES ('d', '1')");
      inner.commit();
    }
    outer.commit();
  }
  CHECK(sql.execAndGet("SELECT group_concat(key, ',') FROM (SELECT key FROM settings ORDER BY key)").getString() ==
        "b,d");
}

TEST_CASE("a worker thread's connection keeps a small page cache, a command's connection SQLite's default") {
  TempDir dir;
  Database command = Database::open(dir.path() / "blogen.db");
  Database worker = Database::open(dir.path() / "blogen.db", blogen::store::OpenFor::worker);
  CHECK(blogen::store::sql(worker).execAndGet("PRAGMA cache_size").getInt() == -256); // KiB
  CHECK(blogen::store::sql(command).execAndGet("PRAGMA cache_size").getInt() == -2000);
}

TEST_CASE("a read transaction reads one snapshot until it ends, and a write on its connection ends it first") {
  TempDir dir;
  Database reader = Database::open(dir.path() / "blogen.db");
  Database writer = Database::open(dir.path() / "blogen.db");
  auto count = [&] { return blogen::store::sql(reader).execAndGet("SELECT count(*) FROM settings").getInt(); };
  auto insert = [](Database& db, const std::string& key) {
    blogen::store::WriteTransaction tx(db);
    blogen::store::sql(db).exec("INSERT INTO settings(key, value) VALUES ('" + key + "', '1')");
    tx.commit();
  };
  {
    blogen::store::ReadTransaction reads(reader);
    CHECK(count() == 0);
    insert(writer, "a");
    CHECK(count() == 0); // the snapshot taken at the first read
    reads.end();
    CHECK(count() == 1);
    reads.end(); // ending twice does nothing
  }
  {
    blogen::store::ReadTransaction reads(reader);
    CHECK(count() == 1);
    insert(writer, "b");
    // Writing from inside an old snapshot would fail at once (SQLITE_BUSY_SNAPSHOT): the write ends it first.
    insert(reader, "c");
    CHECK(count() == 3);
    {
      blogen::store::ReadTransaction inner(reader); // a new snapshot after the write, taken at its first read
      CHECK(count() == 3);
      insert(writer, "d");
      CHECK(count() == 3);
    }
    CHECK(count() == 4);
  } // the first one, ended by the write, does not end anything else
  {
    blogen::store::WriteTransaction tx(reader);
    blogen::store::ReadTransaction inert(reader); // inside a write transaction it does nothing
    blogen::store::sql(reader).exec("INSERT INTO settings(key, value) VALUES ('e', '1')");
    inert.end();
    tx.commit();
  }
  CHECK(count() == 5);
}

TEST_CASE("full-text index follows inserts, updates and deletes of posts") {
  TempDir dir;
  Database db = Database::open(dir.path() / "blogen.db");
  auto& sql = blogen::store::sql(db);
  sql.exec("INSERT INTO users(id, username, username_key, password_hash, created_at, updated_at) "
           "VALUES (1, 'ann', 'ann', 'x', 0, 0)");
  sql.exec("INSERT INTO posts(id, user_id, title, content, created_at, updated_at) "
           "VALUES (7, 1, 'Sourdough basics', 'flour water salt', 0, 0)");
  const auto matches = [&](const char* query) {
    SQLite::Statement statement(sql, "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH ?");
    statement.bind(1, query);
    statement.executeStep();
    return statement.getColumn(0).getInt();
  };
  CHECK(matches("sourdough") == 1);
  sql.exec("UPDATE posts SET content = 'rye and spelt' WHERE id = 7");
  CHECK(matches("flour") == 0);
  CHECK(matches("spelt") == 1);
  sql.exec("DELETE FROM posts WHERE id = 7");
  CHECK(matches("spelt") == 0);
}

namespace {

// Runs the store_lock_probe helper on `file` in a child process: 0 = it got the write lock, 1 = SQLITE_BUSY.
int probe_write_lock(const std::filesystem::path& file) {
  const std::string command = std::string("'") + STORE_LOCK_PROBE_BINARY + "' '" + file.string() + "'";
  const int status = std::system(command.c_str()); // NOLINT(cert-env33-c): a test helper with fixed arguments
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

} // namespace

TEST_CASE("opening another connection in this process never drops the locks this process holds on the store") {
  // POSIX locks belong to the process: any close() of a descriptor of the store file releases all of them. Opening
  // a connection must therefore never open and close the file outside SQLite (it used to, to read its header).
  TempDir dir;
  const auto file = dir.path() / "blogen.db";
  Database holder = Database::open(file);
  blogen::store::WriteTransaction transaction(holder);
  blogen::store::sql(holder).exec("INSERT INTO settings(key, value) VALUES ('held', 'yes')");

  std::thread([&file] { Database::open(file); }).join();

  CHECK(probe_write_lock(file) == 1); // another process must wait for our write transaction
  CHECK(std::filesystem::exists(file.string() + "-wal"));
  transaction.commit();

  Database after = Database::open(file);
  CHECK(blogen::store::sql(after).execAndGet("SELECT value FROM settings WHERE key = 'held'").getString() == "yes");
  CHECK(blogen::store::check(after, blogen::store::CheckDepth::full).ok());
  CHECK(probe_write_lock(file) == 0); // and gets the lock once we are done
}

TEST_CASE("store checks find damage, and a damaged store is explained, never reported raw") {
  TempDir dir;
  const auto file = dir.path() / "blogen.db";
  {
    Database db = Database::open(file);
    auto& sql = blogen::store::sql(db);
    sql.exec("CREATE TABLE filler(x TEXT)");
    sql.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
             "INSERT INTO filler SELECT printf('%0200d', i) FROM n");
    sql.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    CHECK(blogen::store::check(db, blogen::store::CheckDepth::quick).ok());
    CHECK(blogen::store::check(db, blogen::store::CheckDepth::full).ok());
  }
  // Overwrite pages in the middle of the file (the filler table's b-tree) with garbage.
  {
    std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
    out.seekp(static_cast<std::streamoff>(std::filesystem::file_size(file) / 2));
    const std::string garbage(8192, '\x5a');
    out.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  Database damaged = Database::open(file);
  const auto result = blogen::store::check(damaged, blogen::store::CheckDepth::full);
  CHECK_FALSE(result.ok());
  CHECK(result.problems.size() <= static_cast<std::size_t>(blogen::store::k_max_reported_problems));

  try {
    blogen::store::sql(damaged).execAndGet("SELECT sum(length(x)) FROM filler");
    FAIL("reading a damaged table succeeded");
  } catch (const std::exception& e) {
    const auto explained = blogen::store::explain_failure(e, file);
    REQUIRE(explained.has_value());
    CHECK(explained->code() == ErrorCode::failed);
    const std::string message = explained->what();
    CHECK_THAT(message, Catch::Contains(file.string()) && Catch::Contains("is damaged") &&
                            Catch::Contains("blogen store check") && Catch::Contains("blogen store backup"));
  }
  CHECK_FALSE(blogen::store::explain_failure(std::runtime_error("other"), file).has_value());
}

TEST_CASE("a backup is a consistent private copy taken while another connection writes") {
  TempDir dir;
  const auto file = dir.path() / "blogen.db";
  const auto copy = dir.path() / "backup.db";
  Database db = Database::open(file);
  Database writer = Database::open(file);
  blogen::store::sql(db).exec("INSERT INTO settings(key, value) VALUES ('before', '1')");
  // An open write transaction on another connection is not part of the snapshot and does not block it.
  blogen::store::WriteTransaction pending(writer);
  blogen::store::sql(writer).exec("INSERT INTO settings(key, value) VALUES ('uncommitted', '1')");

  const auto written = blogen::store::backup(db, copy, blogen::store::Overwrite::no);
  pending.commit();
  CHECK(written.file == copy);
  CHECK(written.bytes > 0);
  CHECK(blogen::files::permission_bits(copy) == 0600);
  {
    Database restored = Database::open(copy);
    auto& sql = blogen::store::sql(restored);
    CHECK(sql.execAndGet("SELECT count(*) FROM settings WHERE key = 'before'").getInt() == 1);
    CHECK(sql.execAndGet("SELECT count(*) FROM settings WHERE key = 'uncommitted'").getInt() == 0);
    CHECK(blogen::store::check(restored, blogen::store::CheckDepth::full).ok());
  }
  std::vector<std::string> leftovers;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) leftovers.push_back(entry.path());
  }
  CHECK(leftovers.empty());

  // An existing file is kept unless replacing it was asked for; the store itself is never a target.
  const std::string before = bytes_of(copy);
  CHECK_THROWS_AS(blogen::store::backup(db, copy, blogen::store::Overwrite::no), Error);
  CHECK(bytes_of(copy) == before);
  CHECK_NOTHROW(blogen::store::backup(db, copy, blogen::store::Overwrite::yes));
  CHECK_THROWS_AS(blogen::store::backup(db, file, blogen::store::Overwrite::yes), Error);
  CHECK_THROWS_AS(blogen::store::backup(db, dir.path() / "missing" / "b.db", blogen::store::Overwrite::no), Error);
}
