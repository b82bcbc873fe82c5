#include <blogen/core/text.hpp>

#include <algorithm>
#include <clocale>
#include <cwctype>
#include <locale.h>
#include <wctype.h>

namespace blogen::text {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

std::size_t utf8_sequence(std::string_view text, std::size_t at, char32_t* code) {
  if (at >= text.size()) return 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  char32_t value = 0;
  if (lead < 0x80) {
    if (code != nullptr) *code = lead;
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1FU;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0FU;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07U;
  } else {
    return 0; // a continuation byte, C0/C1 (always overlong) or F5-FF (beyond U+10FFFF)
  }
  if (text.size() - at < length) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(k) & 0xC0U) != 0x80U) return 0;
    value = (value << 6) | (byte(k) & 0x3FU);
  }
  if ((length == 3 && value < 0x800) || (length == 4 && (value < 0x10000 || value > 0x10FFFF)) ||
      (value >= 0xD800 && value <= 0xDFFF)) {
    return 0;
  }
  if (code != nullptr) *code = value;
  return length;
}

std::size_t invalid_utf8_offset(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = utf8_sequence(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

bool valid_utf8(std::string_view text) { return invalid_utf8_offset(text) == std::string_view::npos; }

std::string utf8_problem(std::string_view text) {
  const std::size_t at = invalid_utf8_offset(text);
  if (at == std::string_view::npos) return {};
  return "is not valid UTF-8 (byte " + std::to_string(at + 1) +
         " starts an invalid, overlong or surrogate sequence); write it in UTF-8";
}

std::size_t invalid_text_offset(std::string_view text) { return std::min(invalid_utf8_offset(text), text.find('\0')); }

std::string text_problem(std::string_view text) {
  const std::size_t at = invalid_text_offset(text);
  if (at == std::string_view::npos) return {};
  if (text[at] != '\0') return utf8_problem(text);
  return "contains a NUL byte (byte " + std::to_string(at + 1) + "), which text cannot hold; remove it";
}

void append_utf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0U | (code >> 6));
    out += static_cast<char>(0x80U | (code & 0x3FU));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0U | (code >> 12));
    out += static_cast<char>(0x80U | ((code >> 6) & 0x3FU));
    out += static_cast<char>(0x80U | (code & 0x3FU));
  } else {
    out += static_cast<char>(0xF0U | (code >> 18));
    out += static_cast<char>(0x80U | ((code >> 12) & 0x3FU));
    out += static_cast<char>(0x80U | ((code >> 6) & 0x3FU));
    out += static_cast<char>(0x80U | (code & 0x3FU));
  }
}

namespace {

/// glibc's built-in C.UTF-8 locale (no locale files needed since glibc 2.35), made once and kept for the process.
/// Null when unavailable; the code-point functions then fall back to ASCII and Latin-1 rules.
locale_t utf8_locale() {
  static const locale_t locale = [] {
    locale_t made = newlocale(LC_CTYPE_MASK, "C.UTF-8", nullptr);
    if (made == nullptr) made = newlocale(LC_CTYPE_MASK, "C.utf8", nullptr);
    return made;
  }();
  return locale;
}

bool latin1_letter(char32_t code) {
  return (code >= 'A' && code <= 'Z') || (code >= 'a' && code <= 'z') ||
         (code >= 0xC0 && code <= 0x24F && code != 0xD7 && code != 0xF7);
}

// U+00C0..U+017F, one ASCII letter each; '*' marks the few that take two letters (handled in ascii_spelling).
constexpr std::string_view k_latin_fold = "AAAAAA*CEEEEIIIIDNOOOOO.OUUUUY**aaaaaa*ceeeeiiiidnooooo.ouuuuy*y"
                                          "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi**JjKkkLlLlLlLlLlNnNnNnnNn"
                                          "OoOoOo**RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

} // namespace

bool is_letter(char32_t code) {
  if (code < 0x80) return (code >= 'A' && code <= 'Z') || (code >= 'a' && code <= 'z');
  if (const locale_t locale = utf8_locale()) return iswalpha_l(static_cast<wint_t>(code), locale) != 0;
  return latin1_letter(code);
}

bool is_alnum(char32_t code) {
  if (code < 0x80) return (code >= '0' && code <= '9') || is_letter(code);
  if (const locale_t locale = utf8_locale()) return iswalnum_l(static_cast<wint_t>(code), locale) != 0;
  return latin1_letter(code);
}

char32_t to_upper(char32_t code) {
  if (code < 0x80) return code >= 'a' && code <= 'z' ? code - 'a' + 'A' : code;
  if (const locale_t locale = utf8_locale())
    return static_cast<char32_t>(towupper_l(static_cast<wint_t>(code), locale));
  return code >= 0xE0 && code <= 0xFE && code != 0xF7 ? code - 0x20 : code;
}

char32_t to_lower(char32_t code) {
  if (code < 0x80) return code >= 'A' && code <= 'Z' ? code - 'A' + 'a' : code;
  if (const locale_t locale = utf8_locale())
    return static_cast<char32_t>(towlower_l(static_cast<wint_t>(code), locale));
  return code >= 0xC0 && code <= 0xDE && code != 0xD7 ? code + 0x20 : code;
}

namespace {

std::string recase_first(std::string_view text, char32_t (*recase)(char32_t)) {
  char32_t code = 0;
  const std::size_t length = utf8_sequence(text, 0, &code);
  if (length == 0) return std::string(text);
  std::string out;
  out.reserve(text.size() + 2);
  append_utf8(out, recase(code));
  out.append(text.substr(length));
  return out;
}

} // namespace

std::string upper_first(std::string_view text) { return recase_first(text, to_upper); }

std::string lower_first(std::string_view text) { return recase_first(text, to_lower); }

std::string_view ascii_spelling(char32_t code) {
  static constexpr std::string_view k_alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  if (code < 0x80) {
    const auto at = k_alnum.find(static_cast<char>(code));
    return at == std::string_view::npos ? std::string_view() : k_alnum.substr(at, 1);
  }
  if (code < 0xC0 || code > 0x17F) return {};
  switch (code) {
  case 0xC6:
    return "AE";
  case 0xE6:
    return "ae";
  case 0xDE:
    return "TH";
  case 0xFE:
    return "th";
  case 0xDF:
    return "ss";
  case 0x132:
    return "IJ";
  case 0x133:
    return "ij";
  case 0x152:
    return "OE";
  case 0x153:
    return "oe";
  default:
    break;
  }
  const std::size_t at = code - 0xC0;
  const char folded = k_latin_fold[at];
  if (folded == '.' || folded == '*') return {};
  return k_latin_fold.substr(at, 1);
}

} // namespace blogen::text
