#include "result.hpp"

#include "connection.hpp"

#include <string>

namespace blogen::store::pg {
namespace {

std::string trimmed(const char* text) {
  std::string trimmed_text = text == nullptr ? "" : text;
  while (!trimmed_text.empty() && (trimmed_text.back() == '\n' || trimmed_text.back() == ' '))
    trimmed_text.pop_back();
  return trimmed_text;
}

} // namespace

Result checked(PGconn* conn, PGresult* raw) {
  Result result(raw);
  if (!result) throw PgError(trimmed(PQerrorMessage(conn)), "");
  switch (PQresultStatus(result.get())) {
  case PGRES_COMMAND_OK:
  case PGRES_TUPLES_OK:
  case PGRES_EMPTY_QUERY:
    return result;
  default:
    break;
  }
  // The primary message only: a DETAIL may quote the row's values (a duplicate key), which are not the error's to
  // show.
  const char* primary = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY);
  const char* sqlstate = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
  std::string message = primary != nullptr ? trimmed(primary) : trimmed(PQresultErrorMessage(result.get()));
  if (message.empty()) message = trimmed(PQerrorMessage(conn));
  throw PgError(message, sqlstate == nullptr ? "" : sqlstate);
}

} // namespace blogen::store::pg
