#pragma once
// Store-internal SQL helpers shared by every repository: binding parameters (an empty optional binds NULL),
// reading a row column by column with a cursor, and assembling a WHERE clause from optional filters.
//
// Where engine-specific SQL lives: the repositories write plain SQL through these helpers. What only SQLite
// understands is named and gathered in sqlite_dialect.hpp (RETURNING, FTS5 search, COLLATE NOCASE, row ids,
// constraint errors; its header lists the smaller SQLite-isms still written inline), database.cpp (PRAGMAs,
// BEGIN IMMEDIATE, savepoints) and migrations.cpp (the schema with its FTS5 table and triggers). A second engine
// (PostgreSQL, the README's Architecture section) provides those pieces again.

#include "statement.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace blogen::store {

// ---- Binding ------------------------------------------------------------------------------------------------------

/// A BLOB parameter (the bytes are copied when bound).
struct Blob {
  const void* data = nullptr;
  int size = 0;
};

/// A parameter value kept for later binding (see Where).
using SqlValue = std::variant<std::int64_t, std::string>;

inline void bind_value(Statement& statement, int index, std::nullopt_t) { statement.bind(index); }
inline void bind_value(Statement& statement, int index, int value) { statement.bind(index, value); }
inline void bind_value(Statement& statement, int index, std::int64_t value) { statement.bind(index, value); }
inline void bind_value(Statement& statement, int index, double value) { statement.bind(index, value); }
/// Booleans are stored as 0 and 1.
inline void bind_value(Statement& statement, int index, bool value) { statement.bind(index, value ? 1 : 0); }
inline void bind_value(Statement& statement, int index, const std::string& value) { statement.bind(index, value); }
inline void bind_value(Statement& statement, int index, std::string_view value) {
  statement.bind(index, std::string(value));
}
inline void bind_value(Statement& statement, int index, const char* value) { statement.bind(index, value); }
inline void bind_value(Statement& statement, int index, const Blob& value) {
  statement.bind(index, value.data, static_cast<std::size_t>(value.size));
}
inline void bind_value(Statement& statement, int index, const SqlValue& value) {
  std::visit([&](const auto& held) { bind_value(statement, index, held); }, value);
}
/// The one way to store an optional value: nullopt binds NULL.
template <typename T> void bind_value(Statement& statement, int index, const std::optional<T>& value) {
  if (value)
    bind_value(statement, index, *value);
  else
    statement.bind(index);
}

/// For columns where NULL means "none" and the domain type uses an empty string for it (errors).
inline std::optional<std::string> null_if_empty(std::string_view text) {
  if (text.empty()) return std::nullopt;
  return std::string(text);
}

/// Binds `values` to the parameters first, first + 1, ... in order; returns the next free index.
template <typename... Values> int bind_from(Statement& statement, int first, const Values&... values) {
  (bind_value(statement, first++, values), ...);
  return first;
}

/// Binds `values` to the parameters 1, 2, ... in order (also ?1, ?2, ... numbered ones); returns the next index.
template <typename... Values> int bind_all(Statement& statement, const Values&... values) {
  return bind_from(statement, 1, values...);
}

// ---- Reading ------------------------------------------------------------------------------------------------------

/// A SELECT column list with its number of columns, counted from the text at compile time (commas outside
/// parentheses and quotes), so a reader can check that it read exactly as many columns as the list selects.
class Columns {
public:
  consteval explicit Columns(const char* text) : m_text(text), m_count(count(text)) {}
  /// The list, to splice into a statement.
  [[nodiscard]] std::string text() const { return m_text; }
  [[nodiscard]] constexpr int size() const { return m_count; }

private:
  static constexpr int count(std::string_view text) {
    int columns = 1;
    int depth = 0;
    bool quoted = false;
    for (const char c : text) {
      if (c == '\'') quoted = !quoted;
      if (quoted) continue;
      if (c == '(') ++depth;
      if (c == ')') --depth;
      if (c == ',' && depth == 0) ++columns;
    }
    return columns;
  }

  const char* m_text;
  int m_count;
};

/// A cursor over the current row of a statement: each get() reads the next column, so readers name no column
/// index and extra columns of a query simply follow the ones a shared reader takes.
class Row {
public:
  explicit Row(Statement& statement) : m_statement(statement) {}

  /// The next column as std::int64_t, int, bool, double or std::string, or std::optional of one of them
  /// (the one way to read a nullable column: NULL gives nullopt).
  template <typename T> T get() {
    const Column column = next_column();
    if constexpr (is_optional<T>::value) {
      if (column.isNull()) return std::nullopt;
      return convert<typename T::value_type>(column);
    } else {
      return convert<T>(column);
    }
  }

  /// The next column as the statement gives it, for what get() does not convert (BLOBs).
  Column next_column() { return m_statement.getColumn(m_next++); }

  /// Runs `reader` over the columns of `columns` and checks it took exactly that many, so a column added to the
  /// list but not to the reader (or the other way round) fails on first use instead of shifting what follows.
  template <typename Reader> auto read(const Columns& columns, Reader&& reader) {
    const int first = m_next;
    auto value = std::forward<Reader>(reader)(*this);
    if (m_next - first != columns.size()) {
      throw std::logic_error("a row reader took " + std::to_string(m_next - first) + " columns of a list of " +
                             std::to_string(columns.size()) + ": " + columns.text());
    }
    return value;
  }

  /// How many columns have been read.
  [[nodiscard]] int position() const { return m_next; }

private:
  template <typename T> struct is_optional : std::false_type {};
  template <typename T> struct is_optional<std::optional<T>> : std::true_type {};

  template <typename T> static T convert(const Column& column) {
    if constexpr (std::is_same_v<T, bool>) {
      return column.getInt() != 0;
    } else if constexpr (std::is_same_v<T, int>) {
      return column.getInt();
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
      return column.getInt64();
    } else if constexpr (std::is_same_v<T, double>) {
      return column.getDouble();
    } else {
      static_assert(std::is_same_v<T, std::string>, "Row::get reads integers, bool, double and std::string");
      return column.getString();
    }
  }

  Statement& m_statement;
  int m_next = 0;
};

/// The first row of `statement`, read by `reader` (a function of Row&), or nullopt when it yields none.
template <typename Reader> auto first_row(Statement& statement, Reader&& reader) {
  using Value = std::invoke_result_t<Reader&, Row&>;
  if (!statement.executeStep()) return std::optional<Value>();
  Row row(statement);
  return std::optional<Value>(reader(row));
}

/// Every row of `statement`, each read by `reader` (a function of Row&).
template <typename Reader> auto all_rows(Statement& statement, Reader&& reader) {
  std::vector<std::invoke_result_t<Reader&, Row&>> rows;
  while (statement.executeStep()) {
    Row row(statement);
    rows.push_back(reader(row));
  }
  return rows;
}

/// The value of a query that always yields one row of one column (count(*), EXISTS, an aggregate).
template <typename T> T single_value(Statement& statement) {
  if (!statement.executeStep()) throw std::logic_error("a single-value query yielded no row");
  return Row(statement).get<T>();
}

// ---- Filtering ----------------------------------------------------------------------------------------------------

/// A WHERE clause assembled from optional filters, with its parameter values kept in bind order. The one builder
/// for every query whose conditions depend on what the caller asked for.
class Where {
public:
  /// A condition without parameters.
  Where& add(std::string condition) {
    m_conditions.push_back(std::move(condition));
    return *this;
  }
  /// A condition with one `?`, bound to `value`.
  template <typename T> Where& add(std::string condition, const T& value) {
    m_values.push_back(to_value(value));
    return add(std::move(condition));
  }
  /// A condition with one `?`, added only when `value` is set (an unset filter does not filter).
  template <typename T> Where& add_if(std::string condition, const std::optional<T>& value) {
    if (value) add(std::move(condition), *value);
    return *this;
  }
  /// `column IN (?, ?, ...)`; nothing when `values` is empty (an empty list does not filter).
  template <typename T> Where& add_in(std::string_view column, const std::vector<T>& values) {
    if (values.empty()) return *this;
    std::string list;
    for (const T& value : values) {
      list += list.empty() ? "?" : ", ?";
      m_values.push_back(to_value(value));
    }
    return add(std::string(column) + " IN (" + list + ")");
  }

  /// " WHERE a AND b", or "" without conditions.
  [[nodiscard]] std::string clause() const { return m_conditions.empty() ? "" : " WHERE" + joined(); }
  /// " AND a AND b", to follow conditions the statement has of its own ("" without conditions).
  [[nodiscard]] std::string and_conditions() const { return m_conditions.empty() ? "" : " AND" + joined(); }
  /// Binds the values from parameter `first` on; returns the next free index.
  int bind(Statement& statement, int first = 1) const {
    for (const SqlValue& value : m_values)
      bind_value(statement, first++, value);
    return first;
  }

private:
  static SqlValue to_value(std::int64_t value) { return value; }
  static SqlValue to_value(int value) { return std::int64_t{value}; }
  static SqlValue to_value(std::string value) { return value; }
  static SqlValue to_value(std::string_view value) { return std::string(value); }
  static SqlValue to_value(const char* value) { return std::string(value); }

  [[nodiscard]] std::string joined() const {
    std::string text;
    for (const std::string& condition : m_conditions)
      text += (text.empty() ? " " : " AND ") + condition;
    return text;
  }

  std::vector<std::string> m_conditions;
  std::vector<SqlValue> m_values;
};

} // namespace blogen::store
