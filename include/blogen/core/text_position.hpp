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

/// Refuses a whole input file (post text, template, edited post, batch rows) that is not valid UTF-8 or holds a NUL
/// byte, before any of
/// it is used: throws Error{bad_input} "SOURCE:LINE:COLUMN: FIELD: is not valid UTF-8 (...)" at its first invalid
/// sequence. Does nothing for valid UTF-8.
void require_utf8(std::string_view text, std::string_view source, std::string_view field);

} // namespace blogen
