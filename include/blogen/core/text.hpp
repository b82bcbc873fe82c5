#pragma once
// The one home for small text facts every layer needs: ASCII whitespace and case, UTF-8 (length, strict
// validation, decoding) and code points (letters and case of every script, ASCII spellings of Latin letters).
// Pure functions; code-point classes come from glibc's C.UTF-8 locale object, never from the global locale.

#include <cstddef>
#include <string>
#include <string_view>

namespace blogen::text {

/// ASCII whitespace: space, tab, LF, CR, form feed, vertical tab (what std::isspace means in the C locale).
bool is_space(char c);
/// `text` without leading and trailing ASCII whitespace (a view into `text`).
std::string_view trim(std::string_view text);
/// ASCII letters lower-cased; every other byte (including UTF-8 sequences) unchanged.
std::string lower(std::string_view text);

/// Number of code points in UTF-8 text (continuation bytes are not counted; invalid bytes count as one each).
std::size_t utf8_length(std::string_view text);
/// The length (1-4) of the valid UTF-8 sequence starting at `text[at]`, or 0 when it is invalid: a stray
/// continuation byte, an overlong form, a surrogate (U+D800-U+DFFF), a value above U+10FFFF or a truncated sequence.
/// When valid and `code` is given, the decoded code point is stored there.
std::size_t utf8_sequence(std::string_view text, std::size_t at, char32_t* code = nullptr);
/// Whether all of `text` is valid UTF-8 in the strict sense of utf8_sequence().
bool valid_utf8(std::string_view text);
/// The byte offset of the first sequence of `text` that is not valid UTF-8 (as utf8_sequence() judges), or npos.
std::size_t invalid_utf8_offset(std::string_view text);
/// Empty when `text` is valid UTF-8; otherwise the end of a message naming what is wrong and what to do, to follow
/// the name of the flag, file or field ("--topic: is not valid UTF-8 (byte 4 starts ...); write it in UTF-8").
std::string utf8_problem(std::string_view text);
/// The byte offset of the first byte that makes `text` unfit to be stored as text: an invalid UTF-8 sequence (as
/// invalid_utf8_offset) or a NUL byte (valid UTF-8, but it cuts C strings, terminals and exports short), or npos.
std::size_t invalid_text_offset(std::string_view text);
/// Empty when `text` is storable text (invalid_text_offset() finds nothing); otherwise the end of a message as
/// utf8_problem() writes it, or "contains a NUL byte (byte N); ..." for a NUL.
std::string text_problem(std::string_view text);
/// Appends the UTF-8 encoding of `code` (which must be a Unicode scalar value) to `out`.
void append_utf8(std::string& out, char32_t code);

/// Whether a code point is a letter of any script ("é", "ß", "ж", "日"), by glibc's C.UTF-8 tables.
bool is_letter(char32_t code);
/// Whether a code point is a letter or a digit of any script.
bool is_alnum(char32_t code);
/// The upper-case form of a code point ("é" -> "É"), or the code point itself when it has none.
char32_t to_upper(char32_t code);
/// The lower-case form of a code point ("Ü" -> "ü"), or the code point itself when it has none.
char32_t to_lower(char32_t code);
/// `text` with its first code point upper-cased (invalid UTF-8 left as it is).
std::string upper_first(std::string_view text);
/// `text` with its first code point lower-cased (invalid UTF-8 left as it is).
std::string lower_first(std::string_view text);
/// The ASCII spelling of a Latin letter (U+0000-U+017F): itself for ASCII letters and digits, the base letter for
/// letters with diacritics ("é" -> "e", "Ł" -> "L"), two letters for ligatures and a few others ("ß" -> "ss",
/// "Æ" -> "AE", "þ" -> "th"); empty for anything else (other scripts, punctuation, symbols).
std::string_view ascii_spelling(char32_t code);

} // namespace blogen::text
