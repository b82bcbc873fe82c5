#include <blogen/term/sanitize.hpp>

#include <blogen/core/text.hpp>

#include <cstdint>

namespace blogen::term {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD"; // U+FFFD

// Skips CSI parameters and intermediates and the final byte (0x40-0x7E), starting after the introducer.
std::size_t skip_csi_body(std::string_view s, std::size_t i) {
  while (i < s.size() && static_cast<unsigned char>(s[i]) >= 0x20 && static_cast<unsigned char>(s[i]) < 0x40)
    ++i;
  return i < s.size() ? i + 1 : i;
}

// Skips a control string (OSC, DCS, APC, PM, SOS) up to and including its terminator: BEL, ESC \ or C1 ST.
std::size_t skip_string_body(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    if (s[i] == '\a') return i + 1;
    if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '\\') return i + 2;
    if (s[i] == '\xC2' && i + 1 < s.size() && s[i + 1] == '\x9C') return i + 2;
    ++i;
  }
  return i;
}

// Skips an escape sequence; `i` points just after ESC. Returns the index after the sequence.
std::size_t skip_escape(std::string_view s, std::size_t i) {
  if (i >= s.size()) return i;
  const char kind = s[i];
  if (kind == '[') return skip_csi_body(s, i + 1);
  if (kind == ']' || kind == 'P' || kind == '_' || kind == '^' || kind == 'X') return skip_string_body(s, i + 1);
  // Two-byte sequences (ESC c, ESC 7, ...); charset selection (ESC ( B) takes one more byte.
  if ((kind == '(' || kind == ')' || kind == '*' || kind == '+' || kind == '#') && i + 1 < s.size()) return i + 2;
  return i + 1;
}

bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) || (c >= 0xAC00 && c <= 0xD7A3) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1FAFF) || (c >= 0x20000 && c <= 0x3FFFD);
}

bool is_zero_width(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) || (c >= 0xFE00 && c <= 0xFE0F) || c == 0x20E3 ||
         (c >= 0x1AB0 && c <= 0x1AFF);
}

/// One character of UTF-8 text: its bytes, and the terminal columns it takes (an invalid byte counts as one U+FFFD).
struct Glyph {
  std::size_t bytes = 1;
  std::size_t columns = 1;
};

Glyph glyph_at(std::string_view utf8, std::size_t at) {
  char32_t code = 0;
  const std::size_t length = text::utf8_sequence(utf8, at, &code);
  if (length == 0) return {};
  return {length, is_zero_width(code) ? 0U : (is_wide(code) ? 2U : 1U)};
}

} // namespace

std::string sanitize_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0x1B) {
      i = skip_escape(text, i + 1);
    } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      ++i; // other C0 controls (CR, BEL, BS, ...) and DEL are dropped
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else {
      char32_t code = 0;
      const std::size_t length = text::utf8_sequence(text, i, &code);
      if (length == 0) {
        out.append(k_replacement);
        ++i;
      } else if (code >= 0x80 && code <= 0x9F) {
        // An encoded C1 control: 0x9B is CSI and 0x9D is OSC on some terminals, so skip what follows too.
        i += length;
        if (code == 0x9B) {
          i = skip_csi_body(text, i);
        } else if (code == 0x9D || code == 0x90 || code == 0x9E || code == 0x9F || code == 0x98) {
          i = skip_string_body(text, i);
        }
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
    }
  }
  return out;
}

std::string sanitize_single_line(std::string_view text) {
  std::string out = sanitize_for_terminal(text);
  for (char& c : out) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return out;
}

std::size_t display_width(std::string_view utf8) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const Glyph glyph = glyph_at(utf8, i);
    width += glyph.columns;
    i += glyph.bytes;
  }
  return width;
}

std::string truncate_to_width(std::string_view utf8, std::size_t width) {
  if (display_width(utf8) <= width) return std::string(utf8);
  if (width == 0) return {};
  std::string out;
  std::size_t used = 0;
  std::size_t i = 0;
  while (i < utf8.size()) {
    const Glyph glyph = glyph_at(utf8, i);
    if (used + glyph.columns > width - 1) break;
    out.append(utf8.substr(i, glyph.bytes));
    used += glyph.columns;
    i += glyph.bytes;
  }
  out.append("\xE2\x80\xA6"); // …
  return out;
}

} // namespace blogen::term
