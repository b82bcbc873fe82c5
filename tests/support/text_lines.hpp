#pragma once
// Splits captured output into its lines, the way a reader sees them: no trailing empty line after the last '\n'.

#include <sstream>
#include <string>
#include <vector>

namespace blogen::testing {

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// The lines that hold something: what a reader counts as entries of a listing.
inline std::vector<std::string> non_empty_lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (auto& line : lines_of(text)) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  return lines;
}

} // namespace blogen::testing
