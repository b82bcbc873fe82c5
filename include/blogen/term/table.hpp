#pragma once
// Aligned text tables that fit the terminal width.

#include <string>
#include <vector>

namespace blogen::term {

/// How a column behaves when the table is too wide: fixed columns keep their width, flexible ones shrink.
enum class ColumnFit { fixed, flexible };
/// Where a column's text sits in its cell.
enum class Align { left, right };

/// One column of a table.
struct Column {
  std::string header;
  ColumnFit fit = ColumnFit::fixed;
  Align align = Align::left;
};

/// A table of single-line cells; cells are sanitised for the terminal when rendered.
class Table {
public:
  explicit Table(std::vector<Column> columns) : m_columns(std::move(columns)) {}
  /// Appends a row; it must have one cell per column.
  void add_row(std::vector<std::string> cells);
  /// Renders header and rows, shrinking flexible columns (with "…") so no line exceeds `max_width` columns.
  [[nodiscard]] std::string render(std::size_t max_width, bool bold_header = false) const;
  [[nodiscard]] bool empty() const { return m_rows.empty(); }

private:
  std::vector<Column> m_columns;
  std::vector<std::vector<std::string>> m_rows;
};

} // namespace blogen::term
