#pragma once
// One prepared SQL statement of either store engine (SQLite or PostgreSQL), behind one interface, so that the
// repositories write their SQL once and never name the engine. The SQL uses SQLite's placeholders `?` and `?N`;
// the PostgreSQL engine renumbers them to `$N` when it prepares the statement.
//
// The method names follow SQLiteCpp's (bind, executeStep, exec, getColumn), which the repositories used before the
// second engine came.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace blogen::store {

class Database;

/// The type of a value in a result column (of the current row on SQLite, of the column on PostgreSQL).
enum class ValueKind { null, integer, real, text, blob };

/// What an engine implements for one statement. Parameters are numbered from 1, columns from 0.
class StatementBackend {
public:
  StatementBackend() = default;
  StatementBackend(const StatementBackend&) = delete;
  StatementBackend& operator=(const StatementBackend&) = delete;
  StatementBackend(StatementBackend&&) = delete;
  StatementBackend& operator=(StatementBackend&&) = delete;
  virtual ~StatementBackend() = default;

  virtual void bind_null(int index) = 0;
  virtual void bind_int64(int index, std::int64_t value) = 0;
  virtual void bind_double(int index, double value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_blob(int index, const void* data, std::size_t size) = 0;

  /// Runs the statement (on the first call) and moves to the next row; false when there is none.
  virtual bool step() = 0;
  /// Runs a statement that yields no rows (or whose rows are not wanted); returns the number of rows it changed.
  virtual int exec() = 0;
  /// Makes the statement ready to run again; the bound values stay.
  virtual void reset() = 0;

  [[nodiscard]] virtual int column_count() const = 0;
  /// The name of a result column (known before the first step).
  [[nodiscard]] virtual std::string column_name(int column) const = 0;
  /// The kind of value a column of the current row holds (NULL included), for copying rows of any table.
  [[nodiscard]] virtual ValueKind column_kind(int column) const = 0;
  /// Accessors of the current row (after step() returned true).
  [[nodiscard]] virtual bool is_null(int column) const = 0;
  /// An integer column; a boolean result reads as 0 or 1.
  [[nodiscard]] virtual std::int64_t get_int64(int column) const = 0;
  [[nodiscard]] virtual double get_double(int column) const = 0;
  [[nodiscard]] virtual std::string get_text(int column) const = 0;
  /// The bytes of a BLOB (bytea) column.
  [[nodiscard]] virtual std::string get_blob(int column) const = 0;
};

/// One column of the current row of a Statement.
class Column {
public:
  Column(const StatementBackend& backend, int index) : m_backend(backend), m_index(index) {}
  [[nodiscard]] bool isNull() const { return m_backend.is_null(m_index); }
  [[nodiscard]] int getInt() const { return static_cast<int>(m_backend.get_int64(m_index)); }
  [[nodiscard]] std::int64_t getInt64() const { return m_backend.get_int64(m_index); }
  [[nodiscard]] double getDouble() const { return m_backend.get_double(m_index); }
  [[nodiscard]] std::string getString() const { return m_backend.get_text(m_index); }
  [[nodiscard]] std::string getBlob() const { return m_backend.get_blob(m_index); }

private:
  const StatementBackend& m_backend;
  int m_index;
};

/// A statement prepared on the connection of `db`, whichever engine it is.
class Statement {
public:
  Statement(Database& db, const std::string& sql);

  void bind(int index) { m_backend->bind_null(index); }
  void bind(int index, int value) { m_backend->bind_int64(index, value); }
  void bind(int index, std::int64_t value) { m_backend->bind_int64(index, value); }
  void bind(int index, double value) { m_backend->bind_double(index, value); }
  void bind(int index, std::string_view value) { m_backend->bind_text(index, value); }
  void bind(int index, const std::string& value) { m_backend->bind_text(index, value); }
  void bind(int index, const char* value) { m_backend->bind_text(index, value); }
  void bind(int index, const void* data, std::size_t size) { m_backend->bind_blob(index, data, size); }

  bool executeStep() { return m_backend->step(); }
  int exec() { return m_backend->exec(); }
  void reset() { m_backend->reset(); }

  [[nodiscard]] int getColumnCount() const { return m_backend->column_count(); }
  [[nodiscard]] Column getColumn(int index) const { return {*m_backend, index}; }
  [[nodiscard]] std::string getColumnName(int index) const { return m_backend->column_name(index); }
  [[nodiscard]] ValueKind getColumnKind(int index) const { return m_backend->column_kind(index); }

private:
  std::unique_ptr<StatementBackend> m_backend;
};

} // namespace blogen::store
