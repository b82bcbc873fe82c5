#include "placeholders.hpp"

#include "connection.hpp"

#include <algorithm>
#include <cctype>

namespace blogen::store::pg {
namespace {

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

/// The index just past the quoted text that starts at `start` with `quote` ('...' or "..."); a doubled quote inside
/// is the quote character itself. An unterminated quote runs to the end (the server reports it).
std::size_t skip_quoted(std::string_view sql, std::size_t start, char quote) {
  std::size_t at = start + 1;
  while (at < sql.size()) {
    if (sql[at] == quote) {
      if (at + 1 < sql.size() && sql[at + 1] == quote) {
        at += 2;
        continue;
      }
      return at + 1;
    }
    ++at;
  }
  return sql.size();
}

/// The index just past the comment that starts at `start` (`-- ...` to the end of the line, or `/* ... */`), or
/// `start` when none starts there.
std::size_t skip_comment(std::string_view sql, std::size_t start) {
  const std::string_view rest = sql.substr(start);
  if (rest.starts_with("--")) {
    const std::size_t end = sql.find('\n', start);
    return end == std::string_view::npos ? sql.size() : end + 1;
  }
  if (rest.starts_with("/*")) {
    const std::size_t end = sql.find("*/", start + 2);
    return end == std::string_view::npos ? sql.size() : end + 2;
  }
  return start;
}

} // namespace

TranslatedSql translate(std::string_view sql) {
  TranslatedSql translated;
  translated.text.reserve(sql.size() + 8);
  std::size_t at = 0;
  while (at < sql.size()) {
    const char c = sql[at];
    if (c == '\'' || c == '"') {
      const std::size_t end = skip_quoted(sql, at, c);
      translated.text.append(sql.substr(at, end - at));
      at = end;
      continue;
    }
    if (const std::size_t end = skip_comment(sql, at); end != at) {
      translated.text.append(sql.substr(at, end - at));
      at = end;
      continue;
    }
    if (c != '?') {
      translated.text.push_back(c);
      ++at;
      continue;
    }
    std::size_t digits_end = at + 1;
    while (digits_end < sql.size() && is_digit(sql[digits_end]))
      ++digits_end;
    int number = 0;
    if (digits_end == at + 1) {
      number = ++translated.parameters;
    } else {
      number = std::stoi(std::string(sql.substr(at + 1, digits_end - at - 1)));
      translated.parameters = std::max(translated.parameters, number);
    }
    translated.text.append("$").append(std::to_string(number));
    at = digits_end;
  }
  return translated;
}

std::string translate_placeholders(std::string_view sql) { return translate(sql).text; }

} // namespace blogen::store::pg
