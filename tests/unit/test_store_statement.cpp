// The SQLite engine's statements, which borrow prepared statements from their connection's cache
// (src/store/statement_cache.hpp): a statement used again must behave as a newly prepared one.
#include <blogen/store/database.hpp>

#include "../../src/store/connection.hpp"
#include "../../src/store/statement.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace blogen::store;

namespace {

struct TempStore {
  blogen::testing::TempDir dir{"blogen-statement"};
  Database db = Database::open(dir / "blogen.db");
  TempStore() {
    sql(db).exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT UNIQUE, note TEXT)");
    sql(db).exec("INSERT INTO t(id, name) VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  }
};

std::string plan_of(Database& db, const std::string& query) {
  Statement explain(db, "EXPLAIN QUERY PLAN " + query);
  std::string plan;
  while (explain.executeStep())
    plan += explain.getColumn(3).getString() + "\n";
  return plan;
}

} // namespace

TEST_CASE("a statement used again starts afresh: no bound values, no row, no error left from its last use") {
  TempStore store;
  const std::string insert = "INSERT INTO t(id, name, note) VALUES (?, ?, ?)";
  {
    Statement first(store.db, insert);
    first.bind(1, std::int64_t{4});
    first.bind(2, "four");
    first.bind(3, "a note");
    CHECK(first.exec() == 1);
  }
  {
    // The note is not bound this time: it must be NULL, not the last use's "a note".
    Statement again(store.db, insert);
    again.bind(1, std::int64_t{5});
    again.bind(2, "five");
    CHECK(again.exec() == 1);
  }
  Statement note(store.db, "SELECT note FROM t WHERE id = ?");
  note.bind(1, std::int64_t{5});
  REQUIRE(note.executeStep());
  CHECK(note.getColumn(0).isNull());

  {
    // A failed run (a UNIQUE violation) throws SQLiteCpp's exception with SQLite's code ...
    Statement duplicate(store.db, insert);
    duplicate.bind(1, std::int64_t{6});
    duplicate.bind(2, "one");
    try {
      duplicate.exec();
      FAIL("a duplicate name was inserted");
    } catch (const SQLite::Exception& e) {
      CHECK((e.getErrorCode() & 0xFF) == SQLITE_CONSTRAINT);
    }
  }
  {
    // ... and leaves nothing behind for the next use of the same SQL.
    Statement next(store.db, insert);
    next.bind(1, std::int64_t{6});
    next.bind(2, "six");
    CHECK(next.exec() == 1);
  }

  {
    // A query left after its first row gives back a statement that starts from the first row again.
    Statement names(store.db, "SELECT name FROM t ORDER BY id");
    REQUIRE(names.executeStep());
    CHECK(names.getColumn(0).getString() == "one");
  }
  Statement names(store.db, "SELECT name FROM t ORDER BY id");
  REQUIRE(names.executeStep());
  CHECK(names.getColumn(0).getString() == "one");
}

TEST_CASE("the same SQL may run inside its own loop, and more distinct SQL than the cache keeps still runs") {
  TempStore store;
  const std::string by_id = "SELECT id, name FROM t WHERE id >= ? ORDER BY id";
  Statement outer(store.db, by_id);
  outer.bind(1, std::int64_t{1});
  std::vector<std::string> pairs;
  while (outer.executeStep()) {
    Statement inner(store.db, by_id);
    inner.bind(1, outer.getColumn(0).getInt64());
    while (inner.executeStep())
      pairs.push_back(outer.getColumn(1).getString() + "-" + inner.getColumn(1).getString());
  }
  CHECK(pairs == std::vector<std::string>{"one-one", "one-two", "one-three", "two-two", "two-three", "three-three"});

  for (int i = 0; i < 300; ++i) {
    Statement literal(store.db, "SELECT " + std::to_string(i) + " + count(*) FROM t");
    REQUIRE(literal.executeStep());
    CHECK(literal.getColumn(0).getInt() == i + 3);
  }
  Statement still(store.db, by_id);
  still.bind(1, std::int64_t{3});
  REQUIRE(still.executeStep());
  CHECK(still.getColumn(1).getString() == "three");
}

TEST_CASE("misuse of a statement throws rather than reading garbage") {
  TempStore store;
  Statement query(store.db, "SELECT name FROM t WHERE id = 1");
  CHECK_THROWS_AS(query.getColumn(0).getString(), SQLite::Exception); // no step yet
  REQUIRE(query.executeStep());
  CHECK_THROWS_AS(query.getColumn(1).getString(), SQLite::Exception); // no such column
  CHECK_FALSE(query.executeStep());
  CHECK_THROWS_AS(query.executeStep(), SQLite::Exception); // ran to its end without a reset
  query.reset();
  CHECK(query.executeStep());

  Statement rows(store.db, "SELECT name FROM t");
  CHECK_THROWS_AS(rows.exec(), SQLite::Exception); // exec() is for statements without rows
  CHECK_THROWS_AS(Statement(store.db, "SELEC name FROM t"), SQLite::Exception);
}

TEST_CASE("a post's and a campaign's cost are totalled through an index, not by reading the whole call log") {
  blogen::testing::TempDir dir{"blogen-cost-plan"};
  Database db = Database::open(dir / "blogen.db");
  CHECK_THAT(plan_of(db, "SELECT coalesce(sum(g.cost_nanos), 0) FROM generation_log g WHERE g.post_id = 7"),
             Catch::Contains("generation_log_post"));
  CHECK_THAT(plan_of(db, "SELECT coalesce(sum(g.cost_nanos), 0) FROM generation_log g WHERE g.campaign_id = 7"),
             Catch::Contains("generation_log_campaign"));
}
