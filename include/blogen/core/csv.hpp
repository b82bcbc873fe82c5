#pragma once
// RFC 4180 CSV, both ways: reading batch input files (quoted fields, doubled quotes, embedded newlines, CRLF, a
// UTF-8 BOM) and writing exports that spreadsheets open safely. Pure functions: no files, no store.

#include <string>
#include <string_view>
#include <vector>

namespace blogen::csv {

/// One record of a CSV text and the line it starts on (1-based), so errors can point at it.
struct Record {
  std::vector<std::string> fields;
  int line = 0;
};

/// Parses CSV text into records. A leading UTF-8 BOM is skipped; records end at LF or CRLF; quoted fields may hold
/// commas, `""` (a quote) and line breaks; empty lines are skipped. Throws Error{bad_input} naming `source` and the
/// line for an unterminated quoted field or a quote in the middle of an unquoted field.
std::vector<Record> parse(std::string_view text, std::string_view source);

/// A cell a spreadsheet will not run as a formula: text starting with `=`, `+`, `-`, `@`, tab or carriage return
/// gets a leading `'` (OWASP "CSV injection").
std::string neutralize_formula(std::string_view cell);

/// One field as written to CSV: quoted (quotes doubled) when it holds a comma, quote, CR or LF, else as it is.
std::string quote_field(std::string_view field);

/// One CSV record: fields neutralised against formulas, quoted where needed, joined by commas, ended by CRLF.
std::string format_record(const std::vector<std::string>& fields);

} // namespace blogen::csv
