#pragma once
// Turning a byte offset into the line and column a person looks for in an editor (JSON parse errors report
// offsets; users need "line 5, column 12").

#include <cstddef>
#include <string_view>

namespace blogen {

/// A 1-based line and column (columns count characters, not bytes).
struct TextPosition {
  int line = 1;
  int column = 1;
};

/// The position of the byte at `offset` (0-based) in `text`; an offset past the end gives the position just after
/// the last character. LF, CRLF and lone CR all end a line.
TextPosition text_position(std::string_view text, std::size_t offset);

} // namespace blogen
