// `store check` also compares the schema with the one the migrations create (issue 19 item 4: a store whose schema
// was tampered with passed integrity_check, and commands then failed with "report this as a bug").
#include <blogen/store/database.hpp>
#include <blogen/store/maintenance.hpp>

#include "../../src/store/connection.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using blogen::store::CheckDepth;
using blogen::store::Database;
using blogen::testing::TempDir;

namespace {

std::vector<std::string> problems_after(const std::string& change) {
  TempDir dir;
  Database db = Database::open(dir / "blogen.db");
  blogen::store::sql(db).exec(change);
  return blogen::store::check(db, CheckDepth::quick).problems;
}

} // namespace

TEST_CASE("store check names each schema object removed, changed or added to blogen's tables", "[store]") {
  TempDir dir;
  Database fresh = Database::open(dir / "blogen.db");
  CHECK(blogen::store::check(fresh, CheckDepth::full).ok());

  CHECK(problems_after("DROP TRIGGER posts_fts_insert") ==
        std::vector<std::string>{"schema: trigger posts_fts_insert is missing (removed outside blogen)"});
  CHECK(problems_after("DROP INDEX jobs_claim; CREATE INDEX jobs_claim ON jobs(run_after)") ==
        std::vector<std::string>{"schema: index jobs_claim differs from what blogen created (changed outside blogen)"});
  CHECK(problems_after("CREATE TRIGGER audit AFTER UPDATE ON jobs BEGIN SELECT 1; END") ==
        std::vector<std::string>{"schema: trigger audit on table jobs was not created by blogen (added outside it)"});
  // A table of one's own beside blogen's (with its index) changes nothing blogen does.
  CHECK(problems_after("CREATE TABLE notes(x TEXT); CREATE INDEX notes_x ON notes(x)").empty());
}

TEST_CASE("store check names the posts counted wrong when post_counts was changed outside blogen", "[store]") {
  TempDir dir;
  Database db = Database::open(dir / "blogen.db");
  auto& sqlite = blogen::store::sql(db);
  sqlite.exec("INSERT INTO users(id, username, username_key, password_hash, created_at, updated_at) VALUES "
              "(1, 'ann', 'ann', 'x', 0, 0), (2, 'bob', 'bob', 'x', 0, 0)");
  sqlite.exec("INSERT INTO posts(user_id, kind, created_at, updated_at) VALUES (1, 'blog', 0, 0), (1, 'blog', 0, 0), "
              "(2, 'social', 0, 0)");
  CHECK(blogen::store::check(db, CheckDepth::quick).problems.empty());
  sqlite.exec("UPDATE post_counts SET live = 5 WHERE user_id = 1");
  sqlite.exec("DELETE FROM post_counts WHERE user_id = 2");
  CHECK(blogen::store::check(db, CheckDepth::quick).problems ==
        std::vector<std::string>{
            "post counts: user 1's blog posts are counted as 5 but 2 are there (changed outside blogen; 'blog list' "
            "shows the wrong total)",
            "post counts: user 2's social posts are counted as 0 but 1 are there (changed outside blogen; 'blog list' "
            "shows the wrong total)"});
  CHECK(blogen::store::check(db, CheckDepth::quick).only_post_counts);

  // Counting again mends them; a post whose user is gone (removed with foreign keys off) is counted for no one.
  sqlite.exec("PRAGMA foreign_keys = OFF");
  sqlite.exec("INSERT INTO posts(user_id, kind, created_at, updated_at) VALUES (9, 'blog', 0, 0)");
  sqlite.exec("PRAGMA foreign_keys = ON");
  CHECK(blogen::store::recount_posts(db) == 2);
  const auto after = blogen::store::check(db, CheckDepth::full);
  CHECK(after.problems.empty());
  CHECK_FALSE(after.only_post_counts);
  CHECK(sqlite.execAndGet("SELECT group_concat(user_id || ' ' || kind || ' ' || live, ', ') FROM post_counts")
            .getString() == "1 blog 2, 2 social 1");

  // Damage of another kind is not called a matter of counts.
  sqlite.exec("DROP TRIGGER post_counts_update");
  const auto schema = blogen::store::check(db, CheckDepth::quick);
  CHECK_FALSE(schema.problems.empty());
  CHECK_FALSE(schema.only_post_counts);
}
