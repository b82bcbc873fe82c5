#include "pg_statement.hpp"

#include "placeholders.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace blogen::store::pg {
namespace {

// Type OIDs of the built-in types (fixed since PostgreSQL 7; catalog/pg_type_d.h is a server header).
constexpr Oid k_bool = 16;
constexpr Oid k_bytea = 17;
constexpr Oid k_int8 = 20;
constexpr Oid k_float8 = 701;
constexpr Oid k_int2 = 21;
constexpr Oid k_int4 = 23;
constexpr Oid k_float4 = 700;
constexpr Oid k_numeric = 1700;

/// A number's text as an integer: "12", or a numeric's "12.0" and "12.5" (truncated toward zero, as SQLite reads a
/// REAL as an integer), or a float8's "1e+20" (clamped to the range). sum() of a bigint column yields a numeric.
std::int64_t integer_of(const char* text) {
  const char* end = text + std::strlen(text);
  std::int64_t number = 0;
  const auto [stop, error] = std::from_chars(text, end, number);
  if (error == std::errc() &&
      (stop == end || (*stop == '.' && std::all_of(stop + 1, end, [](char c) { return c >= '0' && c <= '9'; })))) {
    return number;
  }
  const double real = std::strtod(text, nullptr);
  if (std::isnan(real)) return 0;
  if (real >= static_cast<double>(std::numeric_limits<std::int64_t>::max())) {
    return std::numeric_limits<std::int64_t>::max();
  }
  if (real <= static_cast<double>(std::numeric_limits<std::int64_t>::min())) {
    return std::numeric_limits<std::int64_t>::min();
  }
  return static_cast<std::int64_t>(real);
}

std::string decoded_bytea(const char* text) {
  std::size_t size = 0;
  unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
  if (bytes == nullptr) throw std::bad_alloc();
  std::string decoded(reinterpret_cast<const char*>(bytes), size);
  PQfreemem(bytes);
  return decoded;
}

} // namespace

PgStatement::PgStatement(PGconn* conn, std::string_view sql) : m_conn(conn) {
  TranslatedSql translated = translate(sql);
  m_sql = std::move(translated.text);
  // A parameter the SQL names but nobody binds is NULL, as on SQLite.
  m_parameters.resize(static_cast<std::size_t>(translated.parameters));
}

PgStatement::Parameter& PgStatement::parameter(int index) {
  if (index < 1) throw std::out_of_range("SQL parameter index " + std::to_string(index) + " (they start at 1)");
  if (static_cast<std::size_t>(index) > m_parameters.size()) m_parameters.resize(static_cast<std::size_t>(index));
  return m_parameters[static_cast<std::size_t>(index) - 1];
}

void PgStatement::bind_null(int index) { parameter(index) = Parameter{}; }

void PgStatement::bind_int64(int index, std::int64_t value) {
  parameter(index) = Parameter{k_int8, std::to_string(value), 0};
}

void PgStatement::bind_double(int index, double value) {
  // The shortest text that reads back as the same double; to_chars writes "inf" and "nan", which float8 accepts.
  std::array<char, 32> buffer{};
  const auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  if (error != std::errc()) throw std::logic_error("a double did not fit its buffer");
  parameter(index) = Parameter{k_float8, std::string(buffer.data(), end), 0};
}

void PgStatement::bind_text(int index, std::string_view value) {
  parameter(index) = Parameter{0, std::string(value), 0};
}

void PgStatement::bind_blob(int index, const void* data, std::size_t size) {
  parameter(index) = Parameter{k_bytea, std::string(static_cast<const char*>(data), size), 1};
}

void PgStatement::run() {
  const std::size_t count = m_parameters.size();
  std::vector<Oid> types(count);
  std::vector<const char*> values(count);
  std::vector<int> lengths(count);
  std::vector<int> formats(count);
  for (std::size_t i = 0; i < count; ++i) {
    const Parameter& bound = m_parameters[i];
    types[i] = bound.type;
    values[i] = bound.value ? bound.value->data() : nullptr;
    lengths[i] = bound.value ? static_cast<int>(bound.value->size()) : 0;
    formats[i] = bound.format;
  }
  m_result = checked(m_conn, PQexecParams(m_conn, m_sql.c_str(), static_cast<int>(count), types.data(), values.data(),
                                          lengths.data(), formats.data(), 0));
  m_row = -1;
}

bool PgStatement::step() {
  if (!m_result) run();
  if (m_row < PQntuples(m_result.get())) ++m_row;
  return m_row < PQntuples(m_result.get());
}

int PgStatement::exec() {
  if (!m_result) run();
  const char* changed = PQcmdTuples(m_result.get());
  return changed[0] == '\0' ? 0 : std::atoi(changed);
}

void PgStatement::reset() {
  m_result.reset();
  m_row = -1;
}

int PgStatement::column_count() const { return m_result ? PQnfields(m_result.get()) : 0; }

void PgStatement::check_cell(int column) const {
  if (!m_result || m_row < 0 || m_row >= PQntuples(m_result.get())) {
    throw std::logic_error("a column was read with no current row");
  }
  if (column < 0 || column >= PQnfields(m_result.get())) {
    throw std::out_of_range("column " + std::to_string(column) + " of a result of " +
                            std::to_string(PQnfields(m_result.get())));
  }
}

const char* PgStatement::value(int column) const {
  check_cell(column);
  return PQgetvalue(m_result.get(), m_row, column);
}

std::string PgStatement::column_name(int column) const {
  if (!m_result || column < 0 || column >= PQnfields(m_result.get())) {
    throw std::logic_error("a column name was asked for before the statement ran, or past its columns");
  }
  return PQfname(m_result.get(), column);
}

ValueKind PgStatement::column_kind(int column) const {
  if (is_null(column)) return ValueKind::null;
  switch (type(column)) {
  case k_int8:
  case k_int4:
  case k_int2:
  case k_bool:
    return ValueKind::integer;
  case k_float8:
  case k_float4:
  case k_numeric:
    return ValueKind::real;
  case k_bytea:
    return ValueKind::blob;
  default:
    return ValueKind::text;
  }
}

bool PgStatement::is_null(int column) const {
  check_cell(column);
  return PQgetisnull(m_result.get(), m_row, column) != 0;
}

std::int64_t PgStatement::get_int64(int column) const {
  const char* text = value(column);
  if (type(column) == k_bool) return text[0] == 't' ? 1 : 0;
  return integer_of(text); // NULL reads as "", which is 0 as on SQLite
}

double PgStatement::get_double(int column) const {
  const char* text = value(column);
  if (type(column) == k_bool) return text[0] == 't' ? 1.0 : 0.0;
  return std::strtod(text, nullptr);
}

std::string PgStatement::get_text(int column) const {
  const char* text = value(column);
  if (is_null(column)) return {};
  // A boolean reads as SQLite would write it, and bytes as themselves: the same text on either engine.
  if (type(column) == k_bool) return text[0] == 't' ? "1" : "0";
  if (type(column) == k_bytea) return decoded_bytea(text);
  return text;
}

std::string PgStatement::get_blob(int column) const {
  const char* text = value(column);
  if (type(column) == k_bytea && !is_null(column)) return decoded_bytea(text);
  return text;
}

} // namespace blogen::store::pg
