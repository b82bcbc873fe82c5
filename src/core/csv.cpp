#include <blogen/core/csv.hpp>
#include <blogen/core/error.hpp>

#include <fmt/format.h>

namespace blogen::csv {
namespace {

constexpr std::string_view k_bom = "\xEF\xBB\xBF";

// Reads one character at a time and keeps the line number, so every error can name where it happened.
class Parser {
public:
  Parser(std::string_view text, std::string_view source) : m_text(text), m_source(source) {
    if (m_text.substr(0, k_bom.size()) == k_bom) m_text.remove_prefix(k_bom.size());
  }

  std::vector<Record> run() {
    std::vector<Record> records;
    while (m_pos < m_text.size()) {
      Record record = read_record();
      const bool blank_line = record.fields.size() == 1 && record.fields.front().empty() && !m_last_had_quotes;
      if (!blank_line) records.push_back(std::move(record));
    }
    return records;
  }

private:
  // Consumes a line end (LF, CRLF or a lone CR) at m_pos; false when there is none.
  bool take_line_end() {
    if (m_text[m_pos] == '\n') {
      ++m_pos;
    } else if (m_text[m_pos] == '\r') {
      ++m_pos;
      if (m_pos < m_text.size() && m_text[m_pos] == '\n') ++m_pos;
    } else {
      return false;
    }
    ++m_line;
    return true;
  }

  Record read_record() {
    Record record;
    record.line = m_line;
    m_last_had_quotes = false;
    for (;;) {
      record.fields.push_back(read_field());
      if (m_pos >= m_text.size()) return record;
      if (m_text[m_pos] == ',') {
        ++m_pos;
        continue;
      }
      take_line_end();
      return record;
    }
  }

  std::string read_field() {
    if (m_pos < m_text.size() && m_text[m_pos] == '"') return read_quoted();
    std::string field;
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c == ',' || c == '\n' || c == '\r') break;
      if (c == '"') {
        throw Error(ErrorCode::bad_input,
                    fmt::format("{}:{}: a quote inside an unquoted field (quote the whole field and double the "
                                "quotes inside it: \"a \"\"b\"\" c\")",
                                m_source, m_line));
      }
      field += c;
      ++m_pos;
    }
    return field;
  }

  std::string read_quoted() {
    const int start_line = m_line;
    m_last_had_quotes = true;
    ++m_pos; // opening quote
    std::string field;
    for (;;) {
      if (m_pos >= m_text.size()) {
        throw Error(
            ErrorCode::bad_input,
            fmt::format("{}:{}: unterminated quoted field (a '\"' opened here is never closed)", m_source, start_line));
      }
      const char c = m_text[m_pos];
      if (c == '"') {
        if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '"') {
          field += '"';
          m_pos += 2;
          continue;
        }
        ++m_pos; // closing quote
        break;
      }
      if (c == '\n' || c == '\r') {
        // Line breaks inside quotes are part of the field; CRLF is kept as it was written.
        if (c == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n') {
          field += "\r\n";
          m_pos += 2;
        } else {
          field += c;
          ++m_pos;
        }
        ++m_line;
        continue;
      }
      field += c;
      ++m_pos;
    }
    if (m_pos < m_text.size() && m_text[m_pos] != ',' && m_text[m_pos] != '\n' && m_text[m_pos] != '\r') {
      throw Error(ErrorCode::bad_input,
                  fmt::format("{}:{}: text after the closing quote of a field (expected ',' or the end of the line)",
                              m_source, m_line));
    }
    return field;
  }

  std::string_view m_text;
  std::string_view m_source;
  std::size_t m_pos = 0;
  int m_line = 1;
  bool m_last_had_quotes = false;
};

} // namespace

std::vector<Record> parse(std::string_view text, std::string_view source) { return Parser(text, source).run(); }

std::string neutralize_formula(std::string_view cell) {
  if (!cell.empty()) {
    const char first = cell.front();
    if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
      return "'" + std::string(cell);
    }
  }
  return std::string(cell);
}

std::string quote_field(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string quoted = "\"";
  for (const char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string format_record(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += quote_field(neutralize_formula(fields[i]));
  }
  line += "\r\n";
  return line;
}

} // namespace blogen::csv
