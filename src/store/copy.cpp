#include "connection.hpp"
#include "dialect.hpp"
#include "sql.hpp"

#include <blogen/core/error.hpp>
#include <blogen/store/copy.hpp>

#include <algorithm>
#include <limits>

namespace blogen::store {
namespace {

// Rows read from the source at a time.
constexpr std::int64_t k_page_rows = 1000;

std::int64_t count_rows(Database& db, const std::string& table) {
  Statement query(db, "SELECT count(*) FROM " + table);
  return single_value<std::int64_t>(query);
}

// The columns `table` has in `db`, in order (a statement that yields no row still names its columns).
std::vector<std::string> columns_of(Database& db, const std::string& table) {
  Statement query(db, "SELECT * FROM " + table + " LIMIT 0");
  query.executeStep();
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(query.getColumnCount()));
  for (int i = 0; i < query.getColumnCount(); ++i)
    names.push_back(query.getColumnName(i));
  return names;
}

std::string joined(const std::vector<std::string>& names, const std::string& each) {
  std::string text;
  for (const auto& name : names)
    text += (text.empty() ? "" : ", ") + (each.empty() ? name : each);
  return text;
}

// Copies one row's value of `column` in `from` to the parameter `index` of `insert`, keeping its kind (a password
// hash stays text, a token hash stays a BLOB, a NULL stays NULL).
void copy_value(const Statement& from, int column, Statement& insert, int index) {
  const Column value = from.getColumn(column);
  switch (from.getColumnKind(column)) {
  case ValueKind::null:
    insert.bind(index);
    break;
  case ValueKind::integer:
    insert.bind(index, value.getInt64());
    break;
  case ValueKind::real:
    insert.bind(index, value.getDouble());
    break;
  case ValueKind::text:
    insert.bind(index, value.getString());
    break;
  case ValueKind::blob: {
    const std::string bytes = value.getBlob();
    insert.bind(index, bytes.data(), bytes.size());
    break;
  }
  }
}

std::int64_t copy_table(Database& from, Database& to, const std::string& table) {
  // The columns both engines have: PostgreSQL's posts also have `search`, the tsvector the server computes.
  const std::vector<std::string> target_columns = columns_of(to, table);
  std::vector<std::string> columns;
  for (const auto& column : columns_of(from, table)) {
    if (std::find(target_columns.begin(), target_columns.end(), column) != target_columns.end() &&
        !dialect::is_generated_column(to, table, column)) {
      columns.push_back(column);
    }
  }
  Statement insert(to, "INSERT INTO " + table + "(" + joined(columns, "") + ") VALUES (" + joined(columns, "?") + ")");
  const auto id = std::find(columns.begin(), columns.end(), "id");
  // Copies the rows `read` yields; returns how many, and leaves the last one's id in `last_id` (tables with ids).
  const auto copy_rows = [&](Statement& read, std::int64_t& last_id) {
    std::int64_t copied = 0;
    while (read.executeStep()) {
      for (int i = 0; i < static_cast<int>(columns.size()); ++i)
        copy_value(read, i, insert, i + 1);
      if (id != columns.end()) last_id = read.getColumn(static_cast<int>(id - columns.begin())).getInt64();
      insert.exec();
      insert.reset();
      ++copied;
    }
    return copied;
  };
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  if (id == columns.end()) { // settings and the login back-off: a few rows each
    Statement read(from, "SELECT " + joined(columns, "") + " FROM " + table);
    return copy_rows(read, after);
  }
  // Pages in id order: the PostgreSQL engine holds a whole result in memory, and a posts table can be gigabytes.
  Statement read(from, "SELECT " + joined(columns, "") + " FROM " + table + " WHERE id > ? ORDER BY id LIMIT ?");
  std::int64_t rows = 0;
  for (std::int64_t page = k_page_rows; page == k_page_rows; rows += page) {
    read.reset();
    bind_all(read, after, k_page_rows);
    page = copy_rows(read, after);
  }
  dialect::after_rows_with_ids(to, table);
  return rows;
}

} // namespace

const std::vector<std::string>& copied_tables() {
  static const std::vector<std::string> tables{
      "users",           "login_throttle", "sessions",       "campaigns",         "batches",        "posts",
      "post_revisions",  "jobs",           "generation_log", "schedules",         "schedule_runs",  "providers",
      "provider_prices", "templates",      "settings",       "cost_reservations", "provider_slots", "provider_calls"};
  return tables;
}

std::vector<CopiedTable> copy_store(Database& from, Database& to) {
  for (const auto& table : copied_tables()) {
    if (count_rows(to, table) > 0) {
      throw Error(ErrorCode::usage, "store copy: the target " + to.path().string() + " is not empty (its table " +
                                        table + " has rows); copy into a new file or an empty database");
    }
  }
  const auto snapshot = dialect::begin_snapshot(from);
  WriteTransaction transaction(to);
  std::vector<CopiedTable> copied;
  for (const auto& table : copied_tables()) {
    const std::int64_t rows = copy_table(from, to, table);
    const std::int64_t source_rows = count_rows(from, table);
    const std::int64_t target_rows = count_rows(to, table);
    if (rows != source_rows || target_rows != source_rows) {
      throw Error(ErrorCode::failed, "store copy: " + table + " has " + std::to_string(source_rows) +
                                         " rows in the source but " + std::to_string(target_rows) +
                                         " in the target; nothing was copied");
    }
    copied.push_back({table, rows});
  }
  transaction.commit();
  return copied;
}

} // namespace blogen::store
