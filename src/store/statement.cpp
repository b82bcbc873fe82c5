#include "statement.hpp"

#include "connection.hpp"
#include "postgresql/connection.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

namespace blogen::store {
namespace {

/// Throws SQLiteCpp's exception for a failed call, as SQLiteCpp's own statement did (the store's error mapping reads
/// its codes).
void check(sqlite3* db, int code) {
  if (code != SQLITE_OK) throw SQLite::Exception(db, code);
}

/// The SQLite engine's statement: a prepared statement borrowed from the connection's cache (StatementCache), given
/// back reset when the Statement ends. Columns are read in place from the current row.
class SqliteStatement final : public StatementBackend {
public:
  SqliteStatement(StatementCache& cache, sqlite3* db, const std::string& sql)
      : m_cache(cache), m_sql(sql), m_statement(cache.take(db, sql)) {}
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  SqliteStatement(SqliteStatement&&) = delete;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement() override { m_cache.give_back(m_sql, m_statement); }

  void bind_null(int index) override { check(connection(), sqlite3_bind_null(m_statement, index)); }
  void bind_int64(int index, std::int64_t value) override {
    check(connection(), sqlite3_bind_int64(m_statement, index, value));
  }
  void bind_double(int index, double value) override {
    check(connection(), sqlite3_bind_double(m_statement, index, value));
  }
  void bind_text(int index, std::string_view value) override {
    check(connection(),
          sqlite3_bind_text64(m_statement, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void bind_blob(int index, const void* data, std::size_t size) override {
    check(connection(), sqlite3_bind_blob64(m_statement, index, data, size, SQLITE_TRANSIENT));
  }

  bool step() override {
    if (m_done) throw SQLite::Exception("the statement ran to its end; reset() it to run it again");
    const int code = sqlite3_step(m_statement);
    m_has_row = code == SQLITE_ROW;
    m_done = code == SQLITE_DONE;
    if (!m_has_row && !m_done) throw SQLite::Exception(connection(), code);
    return m_has_row;
  }
  int exec() override {
    if (step()) throw SQLite::Exception("exec() ran a statement that returns rows: read them with executeStep()");
    return sqlite3_changes(connection());
  }
  void reset() override {
    m_has_row = false;
    m_done = false;
    check(connection(), sqlite3_reset(m_statement));
  }

  [[nodiscard]] int column_count() const override { return sqlite3_column_count(m_statement); }
  [[nodiscard]] std::string column_name(int column) const override {
    check_index(column);
    return sqlite3_column_name(m_statement, column);
  }
  [[nodiscard]] ValueKind column_kind(int column) const override {
    switch (type_of(column)) {
    case SQLITE_INTEGER:
      return ValueKind::integer;
    case SQLITE_FLOAT:
      return ValueKind::real;
    case SQLITE_TEXT:
      return ValueKind::text;
    case SQLITE_BLOB:
      return ValueKind::blob;
    default:
      return ValueKind::null;
    }
  }
  [[nodiscard]] bool is_null(int column) const override { return type_of(column) == SQLITE_NULL; }
  [[nodiscard]] std::int64_t get_int64(int column) const override {
    check_row(column);
    return sqlite3_column_int64(m_statement, column);
  }
  [[nodiscard]] double get_double(int column) const override {
    check_row(column);
    return sqlite3_column_double(m_statement, column);
  }
  [[nodiscard]] std::string get_text(int column) const override { return bytes_of(column); }
  [[nodiscard]] std::string get_blob(int column) const override { return bytes_of(column); }

private:
  void check_index(int column) const {
    if (column < 0 || column >= sqlite3_column_count(m_statement)) {
      throw SQLite::Exception("column index " + std::to_string(column) + " is out of range");
    }
  }
  void check_row(int column) const {
    if (!m_has_row) throw SQLite::Exception("no row to read a column from: executeStep() did not return true");
    check_index(column);
  }
  [[nodiscard]] int type_of(int column) const {
    check_row(column);
    return sqlite3_column_type(m_statement, column);
  }
  // A text or blob column's bytes (a number converts to its text, as SQLite does).
  [[nodiscard]] std::string bytes_of(int column) const {
    check_row(column);
    const auto* bytes = static_cast<const char*>(sqlite3_column_blob(m_statement, column));
    return bytes == nullptr ? std::string()
                            : std::string(bytes, static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column)));
  }

  // The connection, for error messages and change counts.
  [[nodiscard]] sqlite3* connection() const { return sqlite3_db_handle(m_statement); }

  StatementCache& m_cache;
  std::string m_sql;
  sqlite3_stmt* m_statement;
  bool m_has_row = false;
  bool m_done = false;
};

} // namespace

namespace {

std::unique_ptr<StatementBackend> prepare(Database& db, const std::string& text) {
  if (engine_of(db) == Engine::postgresql) return postgres(db).prepare(text);
  auto& impl = db.impl();
  return std::make_unique<SqliteStatement>(impl.statements, sql(db).getHandle(), text);
}

} // namespace

Statement::Statement(Database& db, const std::string& sql) : m_backend(prepare(db, sql)) {}

} // namespace blogen::store
