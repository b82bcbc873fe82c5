#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/store/database.hpp>

#include "../../src/store/connection.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

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
  for (const char* table : {"users", "sessions", "posts", "post_revisions", "posts_fts", "campaigns", "batches", "jobs",
                            "generation_log", "schedules", "schedule_runs", "providers", "templates", "settings"}) {
    INFO(table);
    CHECK(sql.execAndGet(std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + table + "'").getInt() == 1);
  }
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
