// The PostgreSQL engine's pieces: placeholders and URL redaction on their own, then the connection, statements and
// schema steps against the throwaway cluster ctest starts (tests/support/pg-cluster.sh; its base URL is in the file
// BLOGEN_TEST_PG_URL_FILE names). Each test that needs a server works in a database of its own, dropped after it.
#include "../../src/store/connection.hpp"
#include "../../src/store/migrations.hpp"
#include "../../src/store/postgresql/connection.hpp"
#include "../../src/store/postgresql/schema.hpp"

#include <blogen/core/error.hpp>
#include <blogen/store/database.hpp>
#include <blogen/store/job_repository.hpp>
#include <blogen/store/post_repository.hpp>
#include <blogen/store/user_repository.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

using blogen::store::StatementBackend;
using blogen::store::pg::Connection;
using blogen::store::pg::PgError;
using blogen::store::pg::redact_url;
using blogen::store::pg::translate_placeholders;

namespace {

/// The cluster's folder (pg-cluster.sh start DIR): the URL file is DIR/url.
std::filesystem::path cluster_url_file() {
  const char* file = std::getenv("BLOGEN_TEST_PG_URL_FILE");
  if (file == nullptr) FAIL("BLOGEN_TEST_PG_URL_FILE is not set: run this test through ctest (it starts the cluster)");
  return file;
}

/// postgresql://blogen@127.0.0.1:PORT/ (ends with '/': a database name follows).
std::string base_url() {
  std::ifstream in(cluster_url_file());
  std::string url;
  std::getline(in, url);
  if (url.empty()) FAIL("no server URL in " << cluster_url_file().string());
  return url;
}

/// A database of its own for one test, on the cluster; dropped (with any connection left to it) at the end.
class ScratchDatabase {
public:
  ScratchDatabase() : m_name("t_" + random_suffix()) {
    Connection(base_url() + "postgres").exec("CREATE DATABASE " + m_name);
  }
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;
  ScratchDatabase(ScratchDatabase&&) = delete;
  ScratchDatabase& operator=(ScratchDatabase&&) = delete;
  ~ScratchDatabase() {
    try {
      Connection(base_url() + "postgres").exec("DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
    } catch (const std::exception&) { // a destructor does not throw; the cluster goes away after the tests anyway
    }
  }
  [[nodiscard]] std::string url() const { return base_url() + m_name; }

private:
  static std::string random_suffix() {
    std::random_device entropy;
    std::mt19937_64 generator(entropy());
    const std::string digits = "0123456789abcdef";
    std::string suffix;
    for (int i = 0; i < 12; ++i)
      suffix.push_back(digits[generator() % digits.size()]);
    return suffix;
  }

  std::string m_name;
};

/// A scratch database with a connection to it (closed before the database is dropped).
struct Server {
  ScratchDatabase database;
  Connection connection{database.url()};
};

/// The first column of the first row of `sql` as text.
std::string scalar(Connection& connection, const std::string& sql) {
  const std::unique_ptr<StatementBackend> statement = connection.prepare(sql);
  REQUIRE(statement->step());
  return statement->get_text(0);
}

/// Every value of the first column of `sql`, as text.
std::vector<std::string> column_of(Connection& connection, const std::string& sql) {
  const std::unique_ptr<StatementBackend> statement = connection.prepare(sql);
  std::vector<std::string> values;
  while (statement->step())
    values.push_back(statement->get_text(0));
  return values;
}

void apply_postgresql_schema(Connection& connection) {
  for (const blogen::store::Migration& step : blogen::store::pg::postgresql_migrations()) {
    INFO("step " << step.version << ": " << step.description);
    connection.exec("BEGIN; " + std::string(step.sql) + " COMMIT;");
  }
}

/// Adds the user ann to the store; returns her id.
std::int64_t insert_ann(blogen::store::Database& db) {
  blogen::store::NewUser ann;
  ann.username = ann.username_key = "ann";
  ann.password_hash = "x";
  return blogen::store::UserRepository(db).insert(ann);
}

/// The SQLSTATE of the PgError `run` throws.
template <typename Run> std::string sqlstate_of(Run&& run) {
  try {
    run();
  } catch (const PgError& error) {
    return error.sqlstate();
  }
  return "(no error)";
}

} // namespace

TEST_CASE("translate_placeholders numbers ? and ?N as SQLite does, outside quotes and comments", "[store][pg]") {
  CHECK(translate_placeholders("SELECT ?, ?") == "SELECT $1, $2");
  CHECK(translate_placeholders("SELECT ?2, ?1, ?") == "SELECT $2, $1, $3"); // a bare ? follows the highest so far
  CHECK(translate_placeholders("WHERE id = ?12") == "WHERE id = $12");
  CHECK(translate_placeholders("WHERE a = '?' AND b = ?") == "WHERE a = '?' AND b = $1");
  CHECK(translate_placeholders("WHERE a = 'it''s ?' AND b = ?") == "WHERE a = 'it''s ?' AND b = $1");
  CHECK(translate_placeholders(R"(SELECT "odd?name" FROM t WHERE "x""?" = ?)") ==
        R"(SELECT "odd?name" FROM t WHERE "x""?" = $1)");
  CHECK(translate_placeholders("SELECT ? -- why?\n, ?") == "SELECT $1 -- why?\n, $2");
  CHECK(translate_placeholders("SELECT /* ?1 */ ?") == "SELECT /* ?1 */ $1");
  CHECK(translate_placeholders("SELECT 'unterminated ?") == "SELECT 'unterminated ?");
  CHECK(translate_placeholders("SELECT 1") == "SELECT 1");
}

TEST_CASE("redact_url drops the password of the user part and of the query, and is_url knows both schemes",
          "[store][pg]") {
  CHECK(redact_url("postgresql://ann:secret@db.example:5432/blog?sslmode=require") ==
        "postgresql://ann@db.example:5432/blog?sslmode=require");
  CHECK(redact_url("postgres://ann@db.example/blog") == "postgres://ann@db.example/blog");
  CHECK(redact_url("postgresql://ann:s%40cret@h/db") == "postgresql://ann@h/db");
  CHECK(redact_url("postgresql://ann:p@ss/w:rd@h/db") == "postgresql://ann@h/db"); // unescaped '@', '/' and ':'
  CHECK(redact_url("postgresql://:secret@h/db") == "postgresql://h/db");
  CHECK(redact_url("postgresql://ann:pa?ss@h/db?sslmode=require") == "postgresql://ann@h/db?sslmode=require");
  CHECK(redact_url("postgresql://h/db?password=secret&sslmode=require") == "postgresql://h/db?sslmode=require");
  CHECK(redact_url("postgresql://h/db?sslmode=require&password=secret") == "postgresql://h/db?sslmode=require");
  CHECK(redact_url("postgresql://h/db?%70assword=secret") == "postgresql://h/db");
  CHECK(redact_url("postgresql://h/db?sslpassword=secret&user=ann") == "postgresql://h/db?user=ann");
  CHECK(redact_url("postgresql://h,h2:5433/db") == "postgresql://h,h2:5433/db");

  CHECK(blogen::store::pg::is_url("postgresql://h/db"));
  CHECK(blogen::store::pg::is_url("postgres://h/db"));
  CHECK_FALSE(blogen::store::pg::is_url("/var/lib/blogen/store.db"));
  CHECK_FALSE(blogen::store::pg::is_url("postgresql.db"));
}

TEST_CASE("a connection names the server's version and its security, as blogen, without notices", "[store][pg]") {
  Server server;
  CHECK(server.connection.server_version().starts_with("15."));
  CHECK(server.connection.security() == "unencrypted TCP");
  CHECK(server.connection.display_url() == server.database.url());
  CHECK(scalar(server.connection, "SELECT current_setting('application_name')") == "blogen");
  CHECK(scalar(server.connection, "SELECT current_setting('client_min_messages')") == "warning");

  // The same server through its Unix socket (in the cluster's folder, or in the one its file `home` names).
  const std::filesystem::path folder = cluster_url_file().parent_path();
  std::string socket_dir = folder.string();
  if (std::ifstream named(folder / "home"); named) std::getline(named, socket_dir);
  const std::string url = base_url(); // postgresql://blogen@127.0.0.1:PORT/
  const std::string port = url.substr(url.rfind(':') + 1, url.size() - url.rfind(':') - 2);
  Connection local("postgresql://blogen@/postgres?host=" + socket_dir + "&port=" + port);
  CHECK(local.security() == "Unix socket (local)");
}

TEST_CASE("a failed connection names the redacted URL and libpq's reason, never the password", "[store][pg]") {
  // A server that cannot be reached is a failure (exit 1); a URL libpq cannot parse is a usage error (exit 2).
  const auto failure_of = [](const std::string& url,
                             blogen::ErrorCode expected = blogen::ErrorCode::usage) -> std::string {
    try {
      Connection connection(url);
    } catch (const blogen::Error& error) {
      CHECK(error.code() == expected);
      return error.what();
    }
    return "(connected)";
  };
  const std::string refused =
      failure_of("postgresql://blogen:hunter2secret@127.0.0.1:1/postgres", blogen::ErrorCode::failed);
  CHECK(refused.find("postgresql://blogen@127.0.0.1:1/postgres") != std::string::npos);
  CHECK(refused.find("Connection refused") != std::string::npos);
  CHECK(refused.find("hunter2secret") == std::string::npos);

  // libpq quotes a URL it cannot parse, and a token it cannot decode, as they were written.
  const std::string unparsable = failure_of("postgresql://blogen:hunter2secret@[::1/postgres");
  CHECK(unparsable.find("IPv6") != std::string::npos);
  CHECK(unparsable.find("hunter2secret") == std::string::npos);
  const std::string undecodable = failure_of("postgresql://blogen:hunter2%zzsecret@127.0.0.1:1/postgres");
  CHECK(undecodable.find("percent-encoded") != std::string::npos);
  CHECK(undecodable.find("hunter2") == std::string::npos);
  const std::string in_query = failure_of("postgresql://127.0.0.1:1/postgres?password=hunter2secret&port=x");
  CHECK(in_query.find("hunter2secret") == std::string::npos);
}

TEST_CASE("the PostgreSQL steps are numbered like SQLite's and leave the same tables, columns and indexes",
          "[store][pg]") {
  std::vector<int> sqlite_versions;
  for (const auto& step : blogen::store::migrations())
    sqlite_versions.push_back(step.version);
  std::vector<int> postgresql_versions;
  for (const auto& step : blogen::store::pg::postgresql_migrations())
    postgresql_versions.push_back(step.version);
  CHECK(postgresql_versions == sqlite_versions);

  // Table -> column -> "NOT NULL|default" on SQLite (every step applied to an empty database)...
  SQLite::Database sqlite(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  for (const auto& step : blogen::store::migrations())
    sqlite.exec(step.sql);
  std::map<std::string, std::map<std::string, std::string>> sqlite_columns;
  SQLite::Statement tables(sqlite, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                                   "'posts_fts%' AND name NOT LIKE 'sqlite_%'");
  while (tables.executeStep()) {
    const std::string table = tables.getColumn(0).getString();
    SQLite::Statement columns(sqlite, "SELECT name, \"notnull\" OR pk, coalesce(dflt_value, '') FROM "
                                      "pragma_table_info(?)");
    columns.bind(1, table);
    while (columns.executeStep()) {
      sqlite_columns[table][columns.getColumn(0).getString()] =
          std::string(columns.getColumn(1).getInt() != 0 ? "NOT NULL|" : "|") + columns.getColumn(2).getString();
    }
  }
  std::set<std::string> sqlite_indexes;
  SQLite::Statement indexes(sqlite, "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL");
  while (indexes.executeStep())
    sqlite_indexes.insert(indexes.getColumn(0).getString());

  // ... and on PostgreSQL, with its casts taken off the defaults.
  Server server;
  apply_postgresql_schema(server.connection);
  std::map<std::string, std::map<std::string, std::string>> postgresql_columns;
  const auto columns = server.connection.prepare(
      "SELECT table_name, column_name, CASE WHEN is_nullable = 'NO' THEN 'NOT NULL|' ELSE '|' END || "
      "regexp_replace(coalesce(column_default, ''), '::(text|bigint)$', '') FROM information_schema.columns "
      "WHERE table_schema = 'public' AND NOT (table_name = 'posts' AND column_name = 'search')");
  while (columns->step())
    postgresql_columns[columns->get_text(0)][columns->get_text(1)] = columns->get_text(2);
  std::set<std::string> postgresql_indexes;
  const auto pg_indexes = server.connection.prepare(
      "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%\\_pkey' AND indexname "
      "NOT LIKE '%\\_key' AND indexname <> 'posts_search'"); // not those of PRIMARY KEY and UNIQUE
  while (pg_indexes->step())
    postgresql_indexes.insert(pg_indexes->get_text(0));

  CHECK(sqlite_columns.size() == 19);
  CHECK(postgresql_columns == sqlite_columns);
  CHECK(postgresql_indexes == sqlite_indexes);
  CHECK(column_of(server.connection,
                  "SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' "
                  "AND table_name = 'sessions' AND column_name = 'token_hash'") == std::vector<std::string>{"bytea"});
  CHECK(column_of(server.connection, "SELECT DISTINCT data_type FROM information_schema.columns WHERE table_schema = "
                                     "'public' AND data_type NOT IN ('text', 'bytea', 'tsvector') ORDER BY 1") ==
        std::vector<std::string>{"bigint"});
}

TEST_CASE("values round-trip through a statement: integers, doubles, UTF-8, NULL and bytes with zeros", "[store][pg]") {
  Server server;
  server.connection.exec("CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, i bigint, "
                         "d double precision, s text, n text, b bytea)");
  const std::string bytes("\0a\xff\0\x01", 5);
  const std::string text = "Grüße, 世界 🎉 'quoted' ?";
  const auto insert = server.connection.prepare("INSERT INTO t (i, d, s, n, b) VALUES (?, ?, ?, ?, ?)");
  insert->bind_int64(1, std::numeric_limits<std::int64_t>::min());
  insert->bind_double(2, 0.1);
  insert->bind_text(3, text);
  insert->bind_null(4);
  insert->bind_blob(5, bytes.data(), bytes.size());
  CHECK(insert->exec() == 1);
  CHECK(scalar(server.connection, "SELECT lastval()") == "1");
  insert->reset(); // the bound values stay
  insert->bind_int64(1, std::numeric_limits<std::int64_t>::max());
  CHECK(insert->exec() == 1);
  CHECK(scalar(server.connection, "SELECT lastval()") == "2");

  const auto select = server.connection.prepare("SELECT i, d, s, n, b FROM t WHERE id = ?1 OR id = ?1 + 100");
  select->bind_int64(1, 1);
  REQUIRE(select->step());
  CHECK(select->column_count() == 5);
  CHECK(select->get_int64(0) == std::numeric_limits<std::int64_t>::min());
  CHECK(select->get_double(1) == 0.1);
  CHECK(select->get_text(2) == text);
  CHECK(select->is_null(3));
  CHECK_FALSE(select->is_null(2));
  CHECK(select->get_text(3).empty());
  CHECK(select->get_int64(3) == 0);
  CHECK(select->get_blob(4) == bytes);
  CHECK_FALSE(select->step());

  select->reset();
  select->bind_int64(1, 2);
  REQUIRE(select->step());
  CHECK(select->get_int64(0) == std::numeric_limits<std::int64_t>::max());
  CHECK(select->get_text(2) == text);

  // What aggregates and comparisons yield reads as an integer too: sum() of bigint is numeric, a comparison boolean.
  const auto computed =
      server.connection.prepare("SELECT sum(id), id > 1, 12.5::numeric, 1e20::float8, count(*) FROM t GROUP BY 2 "
                                "ORDER BY 2");
  REQUIRE(computed->step());
  CHECK(computed->get_int64(0) == 1);
  CHECK(computed->get_int64(1) == 0);
  CHECK(computed->get_text(1) == "0");
  CHECK(computed->get_int64(2) == 12);
  CHECK(computed->get_double(2) == 12.5);
  CHECK(computed->get_int64(3) == std::numeric_limits<std::int64_t>::max());
  REQUIRE(computed->step());
  CHECK(computed->get_int64(0) == 2);
  CHECK(computed->get_int64(1) == 1);
  CHECK_FALSE(computed->step());

  const auto parameters = server.connection.prepare("SELECT ?2::bigint - ?1::bigint, ?3::text IS NULL");
  parameters->bind_int64(1, 40);
  parameters->bind_int64(2, 42);
  REQUIRE(parameters->step()); // ?3 was never bound: NULL, as on SQLite
  CHECK(parameters->get_int64(0) == 2);
  CHECK(parameters->get_int64(1) == 1);
}

TEST_CASE("exec returns the rows a statement changed, and a failure carries its SQLSTATE", "[store][pg]") {
  Server server;
  apply_postgresql_schema(server.connection);
  const auto add_user = server.connection.prepare(
      "INSERT INTO users (username, username_key, password_hash, created_at, updated_at) VALUES (?, lower(?1), 'x', "
      "?2, ?2)");
  for (const char* name : {"Ann", "Bob", "Cid"}) {
    add_user->bind_text(1, name);
    add_user->bind_int64(2, 1000);
    CHECK(add_user->exec() == 1);
    add_user->reset();
  }
  CHECK(scalar(server.connection, "SELECT lastval()") == "3");
  CHECK(scalar(server.connection, "SELECT id FROM users WHERE username = 'Cid'") == "3");

  const auto disable = server.connection.prepare("UPDATE users SET disabled = 1 WHERE created_at = ?");
  disable->bind_int64(1, 1000);
  CHECK(disable->exec() == 3);
  const auto remove = server.connection.prepare("DELETE FROM users WHERE username_key = ?");
  remove->bind_text(1, "nobody");
  CHECK(remove->exec() == 0);
  CHECK(server.connection.prepare("CREATE TABLE scratch (x bigint)")->exec() == 0);

  add_user->bind_text(1, "ANN"); // username_key "ann" is taken
  add_user->bind_int64(2, 2000);
  CHECK(sqlstate_of([&] { add_user->exec(); }) == "23505");
  const auto bad_status = server.connection.prepare(
      "INSERT INTO campaigns (user_id, name, brand, status, created_at, updated_at) VALUES (1, 'c', 'b', ?, 0, 0)");
  bad_status->bind_text(1, "sleeping");
  CHECK(sqlstate_of([&] { bad_status->exec(); }) == "23514");
  CHECK(sqlstate_of([&] { server.connection.exec("SELEC 1"); }) == "42601");
  // The connection stays usable after a failed statement.
  CHECK(scalar(server.connection, "SELECT count(*) FROM users") == "3");
}

TEST_CASE("COLLATE NOCASE orders and compares without regard to case, as the repositories write it", "[store][pg]") {
  Server server;
  apply_postgresql_schema(server.connection);
  server.connection.exec("CREATE TABLE titles (title text NOT NULL)");
  server.connection.exec("INSERT INTO titles VALUES ('banana'), ('Apple'), ('cherry'), ('Banana split'), ('apricot')");
  CHECK(column_of(server.connection, "SELECT title FROM titles ORDER BY title COLLATE NOCASE") ==
        std::vector<std::string>{"Apple", "apricot", "banana", "Banana split", "cherry"});
  const auto equal = server.connection.prepare("SELECT count(*) FROM titles WHERE title = ? COLLATE NOCASE");
  equal->bind_text(1, "BANANA");
  REQUIRE(equal->step());
  CHECK(equal->get_int64(0) == 1);
}

TEST_CASE("posts are searched through their tsvector column, ranked and with marked snippets", "[store][pg]") {
  Server server;
  apply_postgresql_schema(server.connection);
  server.connection.exec("INSERT INTO users (username, username_key, password_hash, created_at, updated_at) "
                         "VALUES ('ann', 'ann', 'x', 0, 0)");
  const auto add_post = server.connection.prepare("INSERT INTO posts (user_id, title, content, created_at, updated_at) "
                                                  "VALUES (1, ?, ?, 0, 0)");
  const std::vector<std::pair<std::string, std::string>> posts{
      {"Gardening basics", "Water the tomatoes early. Compost helps every garden grow."},
      {"Tomatoes all summer", "A long guide to growing them."},
      {"Bread", "Nothing about vegetables here."},
  };
  for (const auto& [title, content] : posts) {
    add_post->bind_text(1, title);
    add_post->bind_text(2, content);
    add_post->exec();
    add_post->reset();
  }
  const auto search = server.connection.prepare(
      "SELECT title, ts_headline('simple', content, q, 'StartSel=<<, StopSel=>>, MaxWords=8, MinWords=3'), "
      "ts_rank(search, q) FROM posts, plainto_tsquery('simple', ?) AS q WHERE search @@ q ORDER BY 3 DESC");
  search->bind_text(1, "TOMATOES");
  REQUIRE(search->step());
  CHECK(search->get_text(0) == "Tomatoes all summer"); // a title match outranks a body match
  const double title_rank = search->get_double(2);
  REQUIRE(search->step());
  CHECK(search->get_text(0) == "Gardening basics");
  CHECK(search->get_text(1).find("<<tomatoes>>") != std::string::npos);
  CHECK(search->get_double(2) < title_rank);
  CHECK_FALSE(search->step());

  // Control characters mark a match too (as STX and ETX do on SQLite), given as a parameter.
  const auto marked = server.connection.prepare(
      "SELECT ts_headline('simple', content, plainto_tsquery('simple', 'compost'), ?) FROM posts WHERE id = 1");
  marked->bind_text(1, "StartSel=\x02, StopSel=\x03");
  REQUIRE(marked->step());
  CHECK(marked->get_text(0).find("\x02"
                                 "Compost\x03") != std::string::npos);

  CHECK(scalar(server.connection, "SELECT count(*) FROM posts WHERE search @@ plainto_tsquery('simple', 'bread')") ==
        "1");
  server.connection.exec("UPDATE posts SET title = 'Rye' WHERE title = 'Bread'"); // the column follows the row
  CHECK(scalar(server.connection, "SELECT count(*) FROM posts WHERE search @@ plainto_tsquery('simple', 'bread')") ==
        "0");
}

TEST_CASE("the one-statement claim on PostgreSQL takes each job once and settles jobs it cannot run", "[store][pg]") {
  using blogen::store::Database;
  using blogen::store::JobRepository;
  using blogen::store::JobStatus;
  using namespace std::chrono_literals;
  ScratchDatabase scratch;
  Database db = Database::open(scratch.url());
  const std::int64_t user = insert_ann(db);
  JobRepository jobs(db);
  const auto queue = [&] {
    blogen::store::NewJob job;
    job.user_id = user;
    job.kind = "generate_blog";
    return jobs.enqueue(job, 1'000);
  };
  const std::int64_t first = queue();
  const std::int64_t second = queue();

  // Two claims, two jobs, oldest first; a third finds nothing.
  const auto a = jobs.claim("host-a:1", 2'000, 60s);
  const auto b = jobs.claim("host-b:1", 2'000, 60s);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->id == first);
  CHECK(b->id == second);
  CHECK_FALSE(jobs.claim("host-c:1", 2'000, 60s));

  // A cancel requested while the job ran, then its worker gave it back: the claim must not leave it pending for
  // ever (it cannot run), but cancel it.
  REQUIRE(jobs.request_cancel(first, 3'000));
  REQUIRE(jobs.release(first, "host-a:1", 3'000));
  CHECK_FALSE(jobs.claim("host-c:1", 4'000, 60s));
  CHECK(jobs.find(first)->status == JobStatus::cancelled);

  // A worker that died: once its lease ended, its job is taken again, with the attempt counted.
  const auto again = jobs.claim("host-c:1", 2'000 + 61'000, 60s);
  REQUIRE(again);
  CHECK(again->id == second);
  CHECK(again->attempts == 2);
  CHECK(again->lease_owner == "host-c:1");
  // The first worker's lease is gone: it cannot complete the job it lost.
  CHECK_FALSE(jobs.heartbeat(second, "host-b:1", 2'000 + 62'000, 60s));
}

TEST_CASE("PostgreSQL keeps the live posts counted per user and kind, from the posts a store already has",
          "[store][pg]") {
  Server server;
  // The steps before counts, two users' posts (one of them deleted), then the step that counts them.
  for (const blogen::store::Migration& step : blogen::store::pg::postgresql_migrations()) {
    if (step.version >= 11) continue;
    server.connection.exec("BEGIN; " + std::string(step.sql) + " COMMIT;");
  }
  server.connection.exec("INSERT INTO users (username, username_key, password_hash, created_at, updated_at) VALUES "
                         "('ann', 'ann', 'x', 0, 0), ('bob', 'bob', 'x', 0, 0)");
  server.connection.exec("INSERT INTO posts (user_id, kind, created_at, updated_at, deleted_at) VALUES "
                         "(1, 'blog', 0, 0, NULL), (1, 'blog', 0, 0, NULL), (1, 'blog', 0, 0, 5), "
                         "(1, 'social', 0, 0, NULL), (2, 'blog', 0, 0, NULL)");
  for (const blogen::store::Migration& step : blogen::store::pg::postgresql_migrations()) {
    if (step.version >= 11) server.connection.exec("BEGIN; " + std::string(step.sql) + " COMMIT;");
  }
  const std::string kept = "SELECT string_agg(user_id || ' ' || kind || ' ' || live, ', ' ORDER BY user_id, kind) "
                           "FROM post_counts WHERE live <> 0";
  CHECK(scalar(server.connection, kept) == "1 blog 2, 1 social 1, 2 blog 1");

  // The trigger follows each change: a post added, deleted, restored, purged (live or deleted), moved to another
  // kind, and a user removed with their posts.
  server.connection.exec("INSERT INTO posts (user_id, kind, created_at, updated_at) VALUES (2, 'social', 0, 0)");
  server.connection.exec("UPDATE posts SET deleted_at = 9 WHERE id = 1");
  server.connection.exec("UPDATE posts SET deleted_at = NULL WHERE id = 3");
  server.connection.exec("DELETE FROM posts WHERE id = 2");
  server.connection.exec("UPDATE posts SET deleted_at = 10 WHERE id = 3");
  server.connection.exec("DELETE FROM posts WHERE id = 3");
  server.connection.exec("UPDATE posts SET kind = 'blog' WHERE id = 4");
  CHECK(scalar(server.connection, kept) == "1 blog 1, 2 blog 1, 2 social 1");
  CHECK(scalar(server.connection,
               "SELECT string_agg(user_id || ' ' || kind || ' ' || n, ', ' ORDER BY user_id, kind) FROM (SELECT "
               "user_id, kind, count(*) AS n FROM posts WHERE deleted_at IS NULL GROUP BY user_id, kind) AS actual") ==
        "1 blog 1, 2 blog 1, 2 social 1");
  server.connection.exec("DELETE FROM users WHERE id = 2");
  CHECK(scalar(server.connection, "SELECT count(*) FROM post_counts WHERE user_id = 2") == "0");
}

TEST_CASE("a post count on PostgreSQL reads the kept count through the repository", "[store][pg]") {
  using blogen::store::Database;
  using blogen::store::PostFilter;
  using blogen::store::PostRepository;
  ScratchDatabase scratch;
  Database db = Database::open(scratch.url());
  const std::int64_t user = insert_ann(db);
  PostRepository posts(db);
  blogen::store::NewPost post;
  post.user_id = user;
  const std::int64_t first = posts.insert(post, 1);
  posts.insert(post, 2);
  post.kind = "social";
  posts.insert(post, 3);
  PostFilter blogs;
  blogs.user_id = user;
  blogs.kind = "blog";
  CHECK(posts.count(blogs) == 2);
  CHECK(posts.count(PostFilter{}) == 3);
  REQUIRE(posts.soft_delete(first, 4));
  CHECK(posts.count(blogs) == 1);
  PostFilter deleted = blogs;
  deleted.deleted = blogen::store::DeletedFilter::only;
  CHECK(posts.count(deleted) == 1);
  // The count is the kept one (a change made outside blogen shows through); other filters count the posts.
  blogen::store::postgres(db).exec("UPDATE post_counts SET live = 40 WHERE kind = 'blog'");
  CHECK(posts.count(blogs) == 40);
  CHECK(posts.count(deleted) == 1);
}
