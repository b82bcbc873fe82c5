#include <blogen/core/error.hpp>
#include <blogen/core/text.hpp>
#include <blogen/core/text_position.hpp>

#include <fmt/format.h>

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

void require_utf8(std::string_view text, std::string_view source, std::string_view field) {
  const std::size_t at = text::invalid_text_offset(text);
  if (at == std::string_view::npos) return;
  const TextPosition position = text_position(text, at);
  throw Error(ErrorCode::bad_input, fmt::format("{}:{}:{}: {}: {}; nothing was written", source, position.line,
                                                position.column, field, text::text_problem(text)));
}

} // namespace blogen
