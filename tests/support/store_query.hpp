#pragma once
// Reading a store file directly, read-only, for tests that check what no command shows (revision counts, each
// schedule's runs, integrity). Header-only: only the tests that include it link SQLite (BLOGEN_STORE_READING_CLI_TESTS
// in tests/CMakeLists.txt).

#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace blogen::testing {

/// The rows of `sql` run on `store` opened read-only, each column as text ("" for NULL); throws when it cannot run.
inline std::vector<std::vector<std::string>> query_store(const std::filesystem::path& store, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + store.string());
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error("cannot run " + sql + ": " + message);
  }
  std::vector<std::vector<std::string>> rows;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < sqlite3_column_count(statement); ++c) {
      const auto* text = sqlite3_column_text(statement, c);
      row.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return rows;
}

/// The single number `sql` (a count) returns.
inline long long count_in_store(const std::filesystem::path& store, const std::string& sql) {
  return std::stoll(query_store(store, sql).at(0).at(0));
}

} // namespace blogen::testing
