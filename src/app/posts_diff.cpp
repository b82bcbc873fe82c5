#include <blogen/app/posts.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace blogen::app {
namespace {

constexpr std::size_t k_context_lines = 3;
// Past this many cells the LCS table would be too big; such texts are shown as wholly replaced.
constexpr std::size_t k_max_table_cells = 16'000'000;

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// One line of the edit script: ' ' kept, '-' removed, '+' added.
struct Edit {
  char op;
  std::size_t from_line; // 0-based index in `from` (for ' ' and '-')
  std::size_t to_line;   // 0-based index in `to` (for ' ' and '+')
};

std::vector<Edit> edit_script(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::vector<Edit> edits;
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  if ((n + 1) * (m + 1) > k_max_table_cells) {
    for (std::size_t i = 0; i < n; ++i)
      edits.push_back({'-', i, 0});
    for (std::size_t j = 0; j < m; ++j)
      edits.push_back({'+', n, j});
    return edits;
  }
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
  const auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      edits.push_back({' ', i++, j++});
    } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
      edits.push_back({'-', i++, j}); // removals before additions, as diff(1) prints them
    } else {
      edits.push_back({'+', i, j++});
    }
  }
  return edits;
}

std::string range_of(std::size_t start, std::size_t count) {
  // Unified diff ranges are 1-based; an empty range names the line before it.
  if (count == 0) return fmt::format("{},0", start);
  if (count == 1) return fmt::format("{}", start + 1);
  return fmt::format("{},{}", start + 1, count);
}

} // namespace

std::string unified_diff(std::string_view from, std::string_view to, std::string_view from_label,
                         std::string_view to_label) {
  const auto a = split_lines(from);
  const auto b = split_lines(to);
  const std::vector<Edit> edits = edit_script(a, b);
  const auto changed = [&](std::size_t k) { return edits[k].op != ' '; };
  std::string out;
  std::size_t k = 0;
  while (k < edits.size()) {
    if (!changed(k)) {
      ++k;
      continue;
    }
    // A hunk: back up to three lines of context, then extend while changes are at most 2 * context lines apart.
    std::size_t begin = k >= k_context_lines ? k - k_context_lines : 0;
    std::size_t end = k;
    std::size_t last_change = k;
    while (end < edits.size()) {
      if (changed(end)) {
        last_change = end;
      } else if (end - last_change > 2 * k_context_lines) {
        break;
      }
      ++end;
    }
    end = std::min(edits.size(), last_change + 1 + k_context_lines);
    std::size_t from_start = edits[begin].from_line;
    std::size_t to_start = edits[begin].to_line;
    std::size_t from_count = 0;
    std::size_t to_count = 0;
    std::string body;
    for (std::size_t e = begin; e < end; ++e) {
      if (edits[e].op != '+') ++from_count;
      if (edits[e].op != '-') ++to_count;
      const std::string_view line = edits[e].op == '+' ? b[edits[e].to_line] : a[edits[e].from_line];
      body += edits[e].op;
      body += line;
      body += '\n';
    }
    if (out.empty()) out = fmt::format("--- {}\n+++ {}\n", from_label, to_label);
    out += fmt::format("@@ -{} +{} @@\n", range_of(from_start, from_count), range_of(to_start, to_count));
    out += body;
    k = end;
  }
  return out;
}

} // namespace blogen::app
