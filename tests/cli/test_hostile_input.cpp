// Hostile input (issue 19 item 4), table-driven through the real binary: malformed, huge and binary batch files,
// invalid UTF-8 and NUL bytes, oversized text, odd --db targets (a folder, a non-SQLite file, another program's
// database, a newer schema, a read-only file, a full disk, a tampered schema), FTS query syntax and broken
// templates. Each case must give its documented exit code and a clear message (never a library's own words), and
// leave the store's content unchanged: a fingerprint of every row (read through SQLite, read-only) is compared
// before and after each case.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

using blogen::testing::read_bytes;
using blogen::testing::RunResult;
using blogen::testing::Sandbox;
using blogen::testing::spawn;

namespace {

// Every row of every table, as text, in rowid order. Skips the FTS index's shadow tables (derived from posts)
// and sessions.last_used_at (every command that reads the session stamps it; that is not the user's data).
std::string store_fingerprint(const std::filesystem::path& store) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open";
  }
  std::vector<std::string> tables;
  sqlite3_stmt* list = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                     "AND name NOT LIKE 'posts_fts%' ORDER BY name",
                     -1, &list, nullptr);
  while (sqlite3_step(list) == SQLITE_ROW)
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(list, 0)));
  sqlite3_finalize(list);
  std::string out;
  for (const auto& table : tables) {
    out += "[" + table + "]\n";
    sqlite3_stmt* rows = nullptr;
    if (sqlite3_prepare_v2(db, ("SELECT * FROM \"" + table + "\" ORDER BY rowid").c_str(), -1, &rows, nullptr) !=
        SQLITE_OK)
      continue;
    while (sqlite3_step(rows) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(rows); ++c) {
        if (std::string(sqlite3_column_name(rows, c)) == "last_used_at") continue;
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(rows, c));
        out.append(bytes == nullptr ? "" : bytes, static_cast<std::size_t>(sqlite3_column_bytes(rows, c)));
        out += '\x1f';
      }
      out += '\n';
    }
    sqlite3_finalize(rows);
  }
  sqlite3_close(db);
  return out;
}

// Text that a library wrote, which must never reach a user.
bool has_library_text(const std::string& text) {
  for (const char* leak : {"json.exception", "parse_error.", "type_error.", "SQLite::", "sqlite3_", "std::", "what():"})
    if (text.find(leak) != std::string::npos) return true;
  return false;
}

// Deterministic bytes of every value (a binary file that is the same on every run).
std::string binary_bytes(std::size_t size) {
  std::string out(size, '\0');
  std::uint32_t state = 2463534242U;
  for (auto& c : out) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    c = static_cast<char>(state & 0xFFU);
  }
  return out;
}

struct Case {
  std::string name;
  std::vector<std::string> args;
  int exit_code;
  std::string message; // a part of what it printed
  std::string stdin_text = {};
};

} // namespace

TEST_CASE("hostile input: every case has its exit code and a clear message, and the store is unchanged") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"campaign", "create", "--name", "Launch", "--brand", "Zephyr", "-q"}).exit_code == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Tea", "-q"}).exit_code == 0);
  const auto file = [&](const std::string& name, const std::string& content) {
    return sandbox.write_file(name, content).string();
  };
  const std::string huge(10 * 1024 * 1024, 'x'); // 10 MB once (a content file); 1 MB in the batch files (cheaper)
  const std::string large(1024 * 1024, 'x');
  const std::string big_arg(100 * 1024, 'x'); // argv holds at most 128 KiB per argument
  std::string many_rows = "topic\n";
  for (int i = 0; i <= 50'000; ++i)
    many_rows += "t" + std::to_string(i) + "\n";
  std::string deep = std::string(100'000, '[') + std::string(100'000, ']');

  // Other --db targets, each checked to stay byte-for-byte as it was.
  const std::string not_sqlite = file("notes.db", "these are my notes, not a database\n");
  const std::string random_db = file("random.db", binary_bytes(8192));
  const auto folder_db = sandbox.dir() / "a-folder.db";
  std::filesystem::create_directories(folder_db);
  const std::string foreign_db = (sandbox.dir() / "foreign.db").string();
  {
    sqlite3* db = nullptr;
    sqlite3_open(foreign_db.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');", nullptr, nullptr,
                 nullptr);
    sqlite3_close(db);
  }
  // Copies of the real store, tampered with in ways integrity_check calls sound.
  REQUIRE(sandbox.run({"store", "backup", (sandbox.dir() / "newer.db").string()}).exit_code == 0);
  REQUIRE(sandbox.run({"store", "backup", (sandbox.dir() / "no-fts.db").string()}).exit_code == 0);
  REQUIRE(sandbox.run({"store", "backup", (sandbox.dir() / "renamed.db").string()}).exit_code == 0);
  REQUIRE(sandbox.run({"store", "backup", (sandbox.dir() / "trigger.db").string()}).exit_code == 0);
  for (const auto& [name, statement] : std::vector<std::pair<std::string, std::string>>{
           {"newer.db", "PRAGMA user_version = 999"},
           {"no-fts.db", "DROP TABLE posts_fts"},
           {"renamed.db", "ALTER TABLE posts RENAME COLUMN title TO headline"},
           {"trigger.db", "CREATE TRIGGER evil BEFORE INSERT ON posts BEGIN SELECT RAISE(ABORT, 'no'); END"}}) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((sandbox.dir() / name).c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  const auto db = [&](const std::string& name) { return (sandbox.dir() / name).string(); };

  const std::vector<Case> cases{
      // Batch files: CSV.
      {"csv unterminated quote",
       {"campaign", "run", "1", "--file", file("q.csv", "topic\n\"open,x\n")},
       6,
       "q.csv:2: unterminated quoted field"},
      {"csv empty", {"campaign", "run", "1", "--file", file("e.csv", "")}, 6, "e.csv: the file is empty"},
      {"csv header only", {"campaign", "run", "1", "--file", file("h.csv", "topic\n")}, 6, "h.csv: no rows"},
      {"csv binary", {"campaign", "run", "1", "--file", file("bin.csv", binary_bytes(4096))}, 6, "bin.csv"},
      {"csv unknown column",
       {"campaign", "run", "1", "--file", file("u.csv", "topic,evil\nx,y\n")},
       6,
       "unknown column 'evil'"},
      {"csv column twice", {"campaign", "run", "1", "--file", file("d.csv", "topic,Topic\nx,y\n")}, 6, "appears twice"},
      {"csv NUL in a topic",
       {"campaign", "run", "1", "--file", file("nul.csv", std::string("topic\na\0b\n", 10))},
       6,
       "nul.csv:2: topic: contains a NUL byte"},
      {"csv invalid UTF-8",
       {"campaign", "run", "1", "--file", file("utf.csv", "topic\nCaf\xc3\x28\n")},
       6,
       "utf.csv:2: topic: is not valid UTF-8"},
      {"csv 50 001 rows", {"campaign", "run", "1", "--file", file("many.csv", many_rows)}, 6, "at most 50000"},
      {"csv 1 MB topic",
       {"campaign", "run", "1", "--file", file("huge.csv", "topic\n" + large + "\n")},
       6,
       "huge.csv:2: topic: is longer than 500 characters"},
      {"csv unknown platform",
       {"campaign", "run", "1", "--file", file("p.csv", "topic,platform\nx,myspace\n")},
       6,
       "unknown platform 'myspace'"},
      {"csv unknown tone", {"campaign", "run", "1", "--file", file("t.csv", "topic,tone\nx,grumpy\n")}, 6, "tone"},
      {"csv topic on two lines",
       {"campaign", "run", "1", "--file", file("ml.csv", "topic\n\"a\nb\"\n")},
       6,
       "single line"},
      // Batch files: JSON.
      {"json truncated",
       {"campaign", "run", "1", "--file", file("t.json", "[{\"topic\": \"x\"")},
       6,
       "t.json:1:15: invalid JSON"},
      {"json object, not array",
       {"campaign", "run", "1", "--file", file("o.json", "{\"topic\": \"x\"}")},
       6,
       "expected a JSON array"},
      {"json array of numbers", {"campaign", "run", "1", "--file", file("n.json", "[1, 2]")}, 6, "row 1 is number"},
      {"json topic not a string",
       {"campaign", "run", "1", "--file", file("ts.json", "[{\"topic\": 5}]")},
       6,
       "topic: must be a string"},
      {"json escaped NUL",
       {"campaign", "run", "1", "--file", file("nul.json", R"([{"topic": "a\u0000b"}])")},
       6,
       "topic: contains a NUL byte"},
      {"json lone surrogate escape",
       {"campaign", "run", "1", "--file", file("s.json", R"([{"topic": "\ud800"}])")},
       6,
       "s.json:1:"},
      {"json 1 MB topic",
       {"campaign", "run", "1", "--file", file("huge.json", "[{\"topic\": \"" + large + "\"}]")},
       6,
       "topic: is longer than 500 characters"},
      {"json nested 100 000 deep", {"campaign", "run", "1", "--file", file("deep.json", deep)}, 6, "deep.json:1:"},
      {"json binary", {"campaign", "run", "1", "--file", file("bin.json", binary_bytes(4096))}, 6, "bin.json"},
      {"json without topic", {"campaign", "run", "1", "--file", file("nt.json", R"([{"brief": "x"}])")}, 6, "topic"},
      {"json on stdin, garbage", {"campaign", "run", "1", "--file", "-"}, 6, "stdin", "[{\"topic\": nope}]"},
      {"batch file is a folder", {"campaign", "run", "1", "--file", sandbox.dir().string()}, 6, "is a folder"},
      {"batch file missing", {"campaign", "run", "1", "--file", db("missing.csv")}, 6, "cannot read"},
      // Text flags and text files.
      {"--topic overlong UTF-8", {"blog", "create", "--topic", "Caf\xe0\x80\x80"}, 2, "--topic"},
      {"--category invalid UTF-8", {"blog", "create", "--topic", "x", "--category", "\xff"}, 2, "--category"},
      // Number flags outside their range: the flag, the value and the range, and nothing stored.
      {"job list --limit 0", {"job", "list", "--limit", "0"}, 2, "--limit: Value 0 not in range 1 to 10000"},
      {"job list --limit too big", {"job", "list", "--limit", "10001"}, 2, "--limit: Value 10001 not in range 1 to"},
      {"worker --concurrency 0", {"worker", "--concurrency", "0"}, 2, "--concurrency: Value 0 not in range 1 to"},
      {"provider add --timeout 0",
       {"provider", "add", "x", "--base-url", "http://127.0.0.1:1/v1", "--model", "m", "--no-key", "--timeout", "0"},
       2,
       "--timeout: Value 0 not in range 1 to 86400"},
      {"provider add --stall-timeout too big",
       {"provider", "add", "x", "--base-url", "http://127.0.0.1:1/v1", "--model", "m", "--no-key", "--stall-timeout",
        "3601"},
       2,
       "--stall-timeout: Value 3601 not in range 1 to 3600"},
      {"--keyword surrogate", {"blog", "create", "--topic", "x", "--keyword", "\xed\xa0\x80"}, 2, "--keyword"},
      {"campaign --name invalid UTF-8", {"campaign", "create", "--name", "\xc3", "--brand", "b"}, 2, "--name"},
      {"--title of 100 KB", {"blog", "create", "--topic", "x", "--title", big_arg}, 2, "--title"},
      {"--topic of 100 KB", {"blog", "create", "--topic", big_arg}, 2, "--topic"},
      {"update --title of 100 KB", {"blog", "update", "1", "--title", big_arg}, 2, "--title"},
      {"content file with a NUL",
       {"blog", "update", "1", "--content-file", file("nul.md", std::string("# T\0x", 5))},
       6,
       "nul.md:1:4: text: contains a NUL byte"},
      {"content file, 10 MB title",
       {"blog", "update", "1", "--content-file", file("big.md", "# " + huge + "\n")},
       2,
       "--content-file"},
      {"content file invalid UTF-8",
       {"blog", "update", "1", "--content-file", file("bad.md", "# T\n\xc0\xaf\n")},
       6,
       "bad.md:2:1: text: is not valid UTF-8"},
      {"empty search", {"blog", "search", ""}, 2, "search"},
      {"unknown --template", {"blog", "create", "--topic", "x", "--template", "nope"}, 2, "--template"},
      {"template: unclosed brace",
       {"template", "add", "t1", "--file", file("t1.txt", "s\n---\nWrite {topic\n")},
       6,
       "unclosed '{'"},
      {"template: unknown variable",
       {"template", "add", "t2", "--file", file("t2.txt", "s\n---\n{nosuch}\n")},
       6,
       "unknown variable {nosuch}"},
      {"template: NUL byte",
       {"template", "add", "t3", "--file", file("t3.txt", std::string("s\n---\n{topic}\0", 14))},
       6,
       "t3.txt:3:8: template: contains a NUL byte"},
      // FTS5 syntax is searched as text: no error, nothing found, nothing written.
      {"search NEAR(", {"blog", "search", "NEAR(a b"}, 0, "No posts match"},
      {"search quote", {"blog", "search", "\"unbalanced"}, 0, "No posts match"},
      {"search AND OR NOT", {"blog", "search", "zzq", "AND", "OR", "NOT", "zzq"}, 0, "No posts match"},
      {"search column filter", {"blog", "search", "title:zzq", "^zzq", "*"}, 0, "No posts match"},
      // --db targets.
      {"--db a folder", {"--db", folder_db.string(), "blog", "list"}, 6, "is a folder"},
      {"--db a text file", {"--db", not_sqlite, "blog", "list"}, 6, "is not a blogen store"},
      {"--db random bytes", {"--db", random_db, "blog", "create", "--topic", "x"}, 6, "is not a blogen store"},
      {"--db another program's SQLite", {"--db", foreign_db, "blog", "list"}, 6, "another program"},
      {"--db newer schema", {"--db", db("newer.db"), "blog", "list"}, 1, "newer than this blogen"},
      {"--db FTS table dropped", {"--db", db("no-fts.db"), "blog", "search", "tea"}, 1, "changed outside blogen"},
      {"--db FTS table dropped: check", {"--db", db("no-fts.db"), "store", "check"}, 1, "table posts_fts is missing"},
      {"--db column renamed", {"--db", db("renamed.db"), "blog", "list"}, 1, "changed outside blogen"},
      {"--db trigger added: check",
       {"--db", db("trigger.db"), "store", "check"},
       1,
       "trigger evil on table posts was not created by blogen"},
  };

  int tried = 0;
  for (const Case& c : cases) {
    INFO("case: " << c.name);
    const std::string before = store_fingerprint(sandbox.store());
    const std::string not_sqlite_before = read_bytes(not_sqlite);
    const std::string foreign_before = read_bytes(foreign_db);
    const RunResult result = sandbox.run(c.args, c.stdin_text);
    INFO("exit " << result.exit_code << "\nstderr: " << result.err.substr(0, 2000));
    CHECK(result.exit_code == c.exit_code);
    CHECK_THAT(result.out + result.err, Catch::Contains(c.message));
    if (c.exit_code != 0) CHECK_THAT(result.err, Catch::StartsWith("blogen: error: "));
    CHECK_FALSE(has_library_text(result.err));
    CHECK(store_fingerprint(sandbox.store()) == before);
    CHECK(read_bytes(not_sqlite) == not_sqlite_before);
    CHECK(read_bytes(foreign_db) == foreign_before);
    ++tried;
  }
  CHECK(read_bytes(random_db) == binary_bytes(8192));
  CHECK(std::filesystem::is_directory(folder_db));
  CHECK(sandbox.run({"campaign", "batches", "1", "--json"}).json().empty());
  CHECK(sandbox.run({"blog", "list", "--json"}).json().size() == 1);
  WARN("hostile input cases tried: " << tried);
}

TEST_CASE("hostile input: a full disk (ulimit -f) and a read-only store are refused, the store rolled back") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Tea", "-q"}).exit_code == 0);
  REQUIRE(sandbox.run({"store", "check"}).exit_code == 0); // checkpointed: the file holds everything
  const std::string before = store_fingerprint(sandbox.store());
  std::string words;
  for (int i = 0; i < 60'000; ++i)
    words += "word" + std::to_string(i) + " ";
  const auto content = sandbox.write_file("long.md", "# Tea\n\n" + words + "\n");

  // The store may not grow: writing 500 KB of text fails like a full disk, and nothing is saved.
  const auto size_blocks = std::filesystem::file_size(sandbox.store()) / 512 + 1;
  std::vector<std::string> argv{"/bin/sh",
                                "-c",
                                "trap '' XFSZ; ulimit -f " + std::to_string(size_blocks) + "; exec \"$@\"",
                                "sh",
                                BLOGEN_BINARY,
                                "blog",
                                "update",
                                "1",
                                "--content-file",
                                content.string()};
  RunResult full = spawn(argv, sandbox.environment()).wait();
  INFO(full.err);
  CHECK(full.exit_code == 1);
  CHECK_THAT(full.err, Catch::Contains("nothing of this command was saved") || Catch::Contains("check the disk"));
  CHECK_FALSE(has_library_text(full.err));
  CHECK(store_fingerprint(sandbox.store()) == before);
  CHECK(sandbox.run({"store", "check"}).exit_code == 0);
  CHECK(sandbox.run({"blog", "show", "1", "--json"}).json()["revision"] == 1);

  // A store this user may not write: chmod for a normal user; root ignores modes, so the file is made immutable.
  const bool root = ::geteuid() == 0;
  const std::string store = sandbox.store().string();
  if (root && std::system(("chattr +i '" + store + "' 2>/dev/null").c_str()) != 0) {
    WARN("running as root without chattr support: the read-only store case is skipped");
    return;
  }
  if (!root) std::filesystem::permissions(sandbox.store(), std::filesystem::perms::owner_read);
  const RunResult readonly = sandbox.run({"blog", "create", "--topic", "Coffee", "--detach"});
  if (root) (void)std::system(("chattr -i '" + store + "'").c_str());
  if (!root) std::filesystem::permissions(sandbox.store(), std::filesystem::perms::owner_all);
  INFO(readonly.err);
  CHECK(readonly.exit_code == 1);
  CHECK_THAT(readonly.err, Catch::Contains("read-only") || Catch::Contains("cannot open the store"));
  CHECK_FALSE(has_library_text(readonly.err));
  CHECK(store_fingerprint(sandbox.store()) == before);
}
