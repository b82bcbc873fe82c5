#include "statement.hpp"

#include "connection.hpp"
#include "postgresql/connection.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

namespace blogen::store {
namespace {

/// The SQLite engine's statement: SQLiteCpp's, which reads columns in place from the current row.
class SqliteStatement final : public StatementBackend {
public:
  SqliteStatement(SQLite::Database& db, const std::string& sql) : m_statement(db, sql) {}

  void bind_null(int index) override { m_statement.bind(index); }
  void bind_int64(int index, std::int64_t value) override { m_statement.bind(index, value); }
  void bind_double(int index, double value) override { m_statement.bind(index, value); }
  void bind_text(int index, std::string_view value) override { m_statement.bind(index, std::string(value)); }
  void bind_blob(int index, const void* data, std::size_t size) override {
    m_statement.bind(index, data, static_cast<int>(size));
  }

  bool step() override { return m_statement.executeStep(); }
  int exec() override { return m_statement.exec(); }
  void reset() override { m_statement.reset(); }

  [[nodiscard]] int column_count() const override { return m_statement.getColumnCount(); }
  [[nodiscard]] std::string column_name(int column) const override { return m_statement.getColumnName(column); }
  [[nodiscard]] ValueKind column_kind(int column) const override {
    switch (m_statement.getColumn(column).getType()) {
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
  [[nodiscard]] bool is_null(int column) const override { return m_statement.isColumnNull(column); }
  [[nodiscard]] std::int64_t get_int64(int column) const override { return m_statement.getColumn(column).getInt64(); }
  [[nodiscard]] double get_double(int column) const override { return m_statement.getColumn(column).getDouble(); }
  [[nodiscard]] std::string get_text(int column) const override { return m_statement.getColumn(column).getString(); }
  [[nodiscard]] std::string get_blob(int column) const override {
    const SQLite::Column value = m_statement.getColumn(column);
    const auto* bytes = static_cast<const char*>(value.getBlob());
    return bytes == nullptr ? std::string() : std::string(bytes, static_cast<std::size_t>(value.getBytes()));
  }

private:
  // getColumn is not const in SQLiteCpp although it only reads the current row.
  mutable SQLite::Statement m_statement;
};

} // namespace

namespace {

std::unique_ptr<StatementBackend> prepare(Database& db, const std::string& text) {
  if (engine_of(db) == Engine::postgresql) return postgres(db).prepare(text);
  return std::make_unique<SqliteStatement>(sql(db), text);
}

} // namespace

Statement::Statement(Database& db, const std::string& sql) : m_backend(prepare(db, sql)) {}

} // namespace blogen::store
