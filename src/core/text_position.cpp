#include <blogen/core/text_position.hpp>

namespace blogen {

TextPosition text_position(std::string_view text, std::size_t offset) {
  TextPosition position;
  const std::size_t end = offset < text.size() ? offset : text.size();
  for (std::size_t i = 0; i < end; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++position.line;
      position.column = 1;
    } else if (c == '\r') {
      continue; // the LF of this CRLF ends the line
    } else if ((c & 0xC0) != 0x80) {
      ++position.column; // UTF-8 continuation bytes belong to the character before them
    }
  }
  return position;
}

} // namespace blogen
