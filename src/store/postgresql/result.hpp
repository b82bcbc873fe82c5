#pragma once
// libpq results owned by a unique_ptr, and the one place a failed result becomes a PgError.

#include <libpq-fe.h>

#include <memory>

namespace blogen::store::pg {

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

/// `result` (what a libpq call on `conn` returned) when the statement succeeded; otherwise throws PgError with the
/// server's message and SQLSTATE, or libpq's message and no SQLSTATE when there is no result (connection lost).
Result checked(PGconn* conn, PGresult* result);

} // namespace blogen::store::pg
