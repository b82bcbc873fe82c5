// The store's SQL helpers: binding (optional values become NULL), the row cursor with its column-count check,
// and the WHERE builder, run against a real store (an SQLite file) through the engine-neutral Statement.
#include "../../src/store/sql.hpp"

#include <blogen/store/database.hpp>
#include <support/temp_dir.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using blogen::store::bind_all;
using blogen::store::bind_from;
using blogen::store::Blob;
using blogen::store::Columns;
using blogen::store::null_if_empty;
using blogen::store::Row;
using blogen::store::Statement;
using blogen::store::Where;

namespace {

// An in-memory table with one column of each kind the repositories use.
struct Table {
  blogen::testing::TempDir dir;
  blogen::store::Database db = blogen::store::Database::open(dir / "store.db");
  Table() {
    Statement(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, count INTEGER, flag INTEGER, ratio REAL, "
                  "note TEXT, data BLOB)")
        .exec();
  }
  void insert(std::int64_t id, const std::string& name, std::optional<std::int64_t> count, bool flag,
              std::optional<std::string> note) {
    Statement statement(db, "INSERT INTO t(id, name, count, flag, ratio, note) VALUES (?, ?, ?, ?, ?, ?)");
    bind_all(statement, id, name, count, flag, 0.5, note);
    statement.exec();
  }
  std::vector<std::int64_t> ids(const Where& where) {
    Statement query(db, "SELECT id FROM t" + where.clause() + " ORDER BY id");
    where.bind(query);
    std::vector<std::int64_t> found;
    while (query.executeStep())
      found.push_back(Row(query).get<std::int64_t>());
    return found;
  }
};

} // namespace

TEST_CASE("Columns counts the columns of a list, ignoring commas inside calls and quotes") {
  STATIC_REQUIRE(Columns("id").size() == 1);
  STATIC_REQUIRE(Columns("id, name, count").size() == 3);
  STATIC_REQUIRE(Columns("id, coalesce(note, ''), snippet(t, -1, ',', ')', 16) AS s").size() == 3);
  STATIC_REQUIRE(Columns("a, 'it''s, quoted', b").size() == 3);
  CHECK(Columns("id, name").text() == "id, name");
}

TEST_CASE("bind_all binds in order and an empty optional binds NULL") {
  Table table;
  table.insert(1, "one", 7, true, std::string("hello"));
  table.insert(2, "two", std::nullopt, false, std::nullopt);

  Statement query(table.db, "SELECT count IS NULL, note IS NULL, flag FROM t ORDER BY id");
  REQUIRE(query.executeStep());
  CHECK(query.getColumn(0).getInt() == 0);
  CHECK(query.getColumn(1).getInt() == 0);
  CHECK(query.getColumn(2).getInt() == 1);
  REQUIRE(query.executeStep());
  CHECK(query.getColumn(0).getInt() == 1);
  CHECK(query.getColumn(1).getInt() == 1);
  CHECK(query.getColumn(2).getInt() == 0);
}

TEST_CASE("bind_all returns the next free index and bind_from starts where asked") {
  Table table;
  Statement query(table.db, "SELECT ? || '-' || ? || '-' || ?");
  const int next = bind_all(query, "a", std::string_view("b"));
  CHECK(next == 3);
  CHECK(bind_from(query, next, std::string("c")) == 4);
  REQUIRE(query.executeStep());
  CHECK(query.getColumn(0).getString() == "a-b-c");
}

TEST_CASE("null_if_empty stores an empty text as NULL") {
  CHECK_FALSE(null_if_empty("").has_value());
  CHECK(null_if_empty("boom") == std::optional<std::string>("boom"));
}

TEST_CASE("Row reads the columns in order, NULL as nullopt") {
  Table table;
  table.insert(1, "one", 7, true, std::nullopt);
  Statement query(table.db, "SELECT id, name, count, flag, ratio, note, count FROM t");
  REQUIRE(query.executeStep());
  Row row(query);
  CHECK(row.get<std::int64_t>() == 1);
  CHECK(row.get<std::string>() == "one");
  CHECK(row.get<std::optional<std::int64_t>>() == std::optional<std::int64_t>(7));
  CHECK(row.get<bool>());
  CHECK(row.get<double>() == Approx(0.5));
  CHECK_FALSE(row.get<std::optional<std::string>>().has_value());
  CHECK(row.get<int>() == 7);
  CHECK(row.position() == 7);
  CHECK_THROWS(row.get<int>()); // past the last column
}

TEST_CASE("Row::read checks that a reader took exactly the columns of its list") {
  Table table;
  table.insert(1, "one", 7, false, std::nullopt);
  constexpr Columns k_columns{"id, name, count"};
  Statement query(table.db, "SELECT " + k_columns.text() + ", note FROM t");
  REQUIRE(query.executeStep());

  SECTION("a reader that takes them all, then the extra column follows") {
    Row row(query);
    const auto name = row.read(k_columns, [](Row& r) {
      r.get<std::int64_t>();
      auto text = r.get<std::string>();
      r.get<std::int64_t>();
      return text;
    });
    CHECK(name == "one");
    CHECK_FALSE(row.get<std::optional<std::string>>().has_value());
  }
  SECTION("a reader that misses a column (it was added to the list only) fails loudly") {
    Row row(query);
    CHECK_THROWS_AS(row.read(k_columns,
                             [](Row& r) {
                               r.get<std::int64_t>();
                               return r.get<std::string>();
                             }),
                    std::logic_error);
  }
  SECTION("a reader that takes one column too many fails loudly") {
    Row row(query);
    CHECK_THROWS_AS(row.read(k_columns,
                             [](Row& r) {
                               for (int i = 0; i < 3; ++i)
                                 r.get<std::optional<std::string>>();
                               return r.get<std::optional<std::string>>();
                             }),
                    std::logic_error);
  }
}

TEST_CASE("BLOBs bind and read back byte for byte") {
  Table table;
  const std::array<unsigned char, 4> bytes{0x00, 0xff, 0x10, 0x7f};
  Statement insert(table.db, "INSERT INTO t(id, data) VALUES (?, ?)");
  bind_all(insert, std::int64_t{1}, Blob{bytes.data(), static_cast<int>(bytes.size())});
  insert.exec();
  Statement query(table.db, "SELECT data FROM t WHERE id = 1");
  REQUIRE(query.executeStep());
  const std::string data = Row(query).next_column().getBlob();
  REQUIRE(data.size() == 4);
  CHECK(std::equal(bytes.begin(), bytes.end(), reinterpret_cast<const unsigned char*>(data.data())));
}

TEST_CASE("Where without conditions selects everything") {
  Table table;
  table.insert(1, "one", 1, true, std::nullopt);
  table.insert(2, "two", 2, false, std::nullopt);
  const Where where;
  CHECK(where.clause().empty());
  CHECK(where.and_conditions().empty());
  CHECK(table.ids(where) == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("Where joins its conditions with AND and binds their values in order") {
  Table table;
  table.insert(1, "one", 1, true, std::nullopt);
  table.insert(2, "two", 2, false, std::nullopt);
  table.insert(3, "two", 3, true, std::nullopt);
  table.insert(4, "four", 4, true, std::nullopt);

  Where where;
  where.add("name = ?", std::string("two")).add("flag = 1").add("count >= ?", 2);
  CHECK(where.clause() == " WHERE name = ? AND flag = 1 AND count >= ?");
  CHECK(where.and_conditions() == " AND name = ? AND flag = 1 AND count >= ?");
  CHECK(table.ids(where) == std::vector<std::int64_t>{3});
}

TEST_CASE("Where::add_if filters only by values that are set") {
  Table table;
  table.insert(1, "one", 1, true, std::nullopt);
  table.insert(2, "two", 2, false, std::nullopt);

  Where unset;
  unset.add_if("name = ?", std::optional<std::string>()).add_if("id = ?", std::optional<std::int64_t>());
  CHECK(table.ids(unset) == std::vector<std::int64_t>{1, 2});

  Where set;
  set.add_if("name = ?", std::optional<std::string>("two")).add_if("id = ?", std::optional<std::int64_t>());
  CHECK(table.ids(set) == std::vector<std::int64_t>{2});
}

TEST_CASE("Where::add_in lists one parameter per value and an empty list does not filter") {
  Table table;
  for (std::int64_t id = 1; id <= 4; ++id)
    table.insert(id, id % 2 == 0 ? "even" : "odd", id, true, std::nullopt);

  Where ids;
  ids.add_in("id", std::vector<std::int64_t>{2, 3, 9});
  CHECK(ids.clause() == " WHERE id IN (?, ?, ?)");
  CHECK(table.ids(ids) == std::vector<std::int64_t>{2, 3});

  Where names;
  names.add_in("name", std::vector<std::string>{"even"}).add("id > ?", 2);
  CHECK(table.ids(names) == std::vector<std::int64_t>{4});

  Where none;
  none.add_in("id", std::vector<std::int64_t>{});
  CHECK(none.clause().empty());
  CHECK(table.ids(none).size() == 4);
}

TEST_CASE("Where binds after the statement's own parameters and returns the next index") {
  Table table;
  table.insert(1, "one", 1, true, std::nullopt);
  table.insert(2, "two", 2, true, std::nullopt);
  table.insert(3, "three", 3, true, std::nullopt);

  Where where;
  where.add("name <> ?", "two");
  Statement query(table.db, "SELECT id FROM t WHERE count >= ?" + where.and_conditions() + " LIMIT ?");
  const int after_where = where.bind(query, bind_all(query, 1));
  CHECK(after_where == 3);
  bind_from(query, after_where, 1);
  REQUIRE(query.executeStep());
  CHECK(Row(query).get<std::int64_t>() == 1);
  CHECK_FALSE(query.executeStep());
}

TEST_CASE("first_row, all_rows and single_value read what a statement yields") {
  Table table;
  table.insert(1, "one", 1, true, std::nullopt);
  table.insert(2, "two", 2, true, std::nullopt);
  const auto name_of = [](Row& row) { return row.get<std::string>(); };

  Statement all(table.db, "SELECT name FROM t ORDER BY id DESC");
  CHECK(blogen::store::all_rows(all, name_of) == std::vector<std::string>{"two", "one"});

  Statement first(table.db, "SELECT name FROM t WHERE id = ?");
  bind_all(first, 2);
  CHECK(blogen::store::first_row(first, name_of) == std::optional<std::string>("two"));
  Statement none(table.db, "SELECT name FROM t WHERE id = 9");
  CHECK_FALSE(blogen::store::first_row(none, name_of).has_value());

  Statement count(table.db, "SELECT count(*) FROM t");
  CHECK(blogen::store::single_value<std::int64_t>(count) == 2);
  Statement smallest(table.db, "SELECT min(count) FROM t WHERE id > 5");
  CHECK_FALSE(blogen::store::single_value<std::optional<std::int64_t>>(smallest).has_value());
  Statement empty(table.db, "SELECT id FROM t WHERE id = 9");
  CHECK_THROWS_AS(blogen::store::single_value<std::int64_t>(empty), std::logic_error);
}
