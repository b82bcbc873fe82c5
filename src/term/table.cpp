#include <blogen/core/error.hpp>
#include <blogen/term/sanitize.hpp>
#include <blogen/term/table.hpp>

#include <algorithm>
#include <numeric>

namespace blogen::term {
namespace {
constexpr std::size_t k_gap = 2;      // spaces between columns
constexpr std::size_t k_min_flex = 8; // a flexible column never shrinks below this
} // namespace

void Table::add_row(std::vector<std::string> cells) {
  if (cells.size() != m_columns.size()) throw Error(ErrorCode::failed, "table row has the wrong number of cells");
  for (auto& cell : cells)
    cell = sanitize_single_line(cell);
  m_rows.push_back(std::move(cells));
}

std::string Table::render(std::size_t max_width, bool bold_header) const {
  const std::size_t count = m_columns.size();
  std::vector<std::size_t> widths(count);
  for (std::size_t c = 0; c < count; ++c) {
    widths[c] = display_width(m_columns[c].header);
    for (const auto& row : m_rows)
      widths[c] = std::max(widths[c], display_width(row[c]));
  }
  // Shrink the widest flexible column step by step until the table fits (or nothing can shrink).
  const auto total = [&] {
    return std::accumulate(widths.begin(), widths.end(), std::size_t{0}) + k_gap * (count - 1);
  };
  while (count > 0 && total() > max_width) {
    std::size_t widest = count;
    for (std::size_t c = 0; c < count; ++c) {
      if (m_columns[c].fit == ColumnFit::flexible && widths[c] > k_min_flex &&
          (widest == count || widths[c] > widths[widest])) {
        widest = c;
      }
    }
    if (widest == count) break;
    widths[widest] -= std::min(widths[widest] - k_min_flex, total() - max_width);
  }

  std::string out;
  const auto append_row = [&](const std::vector<std::string>& cells, bool header) {
    std::string line;
    for (std::size_t c = 0; c < count; ++c) {
      const std::string text = truncate_to_width(cells[c], widths[c]);
      const std::size_t pad = widths[c] - display_width(text);
      const bool last = c + 1 == count;
      if (m_columns[c].align == Align::right) line.append(pad, ' ');
      if (header && bold_header) {
        line += "\x1b[1m" + text + "\x1b[0m";
      } else {
        line += text;
      }
      if (m_columns[c].align == Align::left && !last) line.append(pad, ' ');
      if (!last) line.append(k_gap, ' ');
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += line + '\n';
  };
  std::vector<std::string> headers;
  headers.reserve(count);
  for (const auto& column : m_columns)
    headers.push_back(column.header);
  append_row(headers, true);
  for (const auto& row : m_rows)
    append_row(row, false);
  return out;
}

} // namespace blogen::term
