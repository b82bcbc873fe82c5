#pragma once
// The PostgreSQL engine's connection (libpq). Only files in src/store include this.
//
// Why libpq and not libpqxx: the store needs a handful of calls (connect, run a statement with parameters, read
// text results, SQLSTATE of a failure), which libpq's C API gives directly; libpqxx would add a second C++
// exception hierarchy and its own transaction objects on top of the store's own WriteTransaction.

#include "../statement.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

struct pg_conn; // PGconn

namespace blogen::store::pg {

/// A statement or connection failure, with the server's SQLSTATE ("" when libpq failed before the server answered).
class PgError : public std::runtime_error {
public:
  PgError(const std::string& message, std::string sqlstate)
      : std::runtime_error(message), m_sqlstate(std::move(sqlstate)) {}
  [[nodiscard]] const std::string& sqlstate() const { return m_sqlstate; }

private:
  std::string m_sqlstate;
};

/// Whether `location` (a --db value) names a PostgreSQL server: `postgresql://` or `postgres://`.
bool is_url(std::string_view location);

/// `url` with any password removed (`postgresql://ann:secret@h/db` -> `postgresql://ann@h/db`, and a `password=`
/// query parameter dropped): the one form of a URL that may be printed, logged or stored.
std::string redact_url(std::string_view url);

/// SQL written with SQLite's placeholders, `?` (the next number) and `?N`, rewritten with PostgreSQL's `$N`.
/// Text inside single quotes, double quotes and comments is left alone.
std::string translate_placeholders(std::string_view sql);

/// One connection to a PostgreSQL server. Not thread-safe: one per thread, like the SQLite engine's.
class Connection {
public:
  /// Connects to `url`; libpq takes the password from the URL, PGPASSWORD or ~/.pgpass. Throws blogen::Error
  /// (failed) whose message names the redacted URL and libpq's reason, never the password.
  explicit Connection(const std::string& url);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Connection(Connection&&) = delete;
  Connection& operator=(Connection&&) = delete;
  ~Connection();

  /// Runs `sql` (one or more statements, no parameters); throws PgError.
  /// Returns the command tag of the last statement ("COMMIT", or "ROLLBACK" for a COMMIT of a failed transaction).
  std::string exec(const std::string& sql);
  /// A statement with `?`/`?N` placeholders (see translate_placeholders). Binding and reading follow
  /// StatementBackend: integers are sent as int8, doubles as float8, text untyped (the server infers it), BLOBs as
  /// bytea; a failed run throws PgError.
  std::unique_ptr<StatementBackend> prepare(const std::string& sql);

  /// The server's version, e.g. "15.18".
  [[nodiscard]] std::string server_version() const;
  /// How the connection is protected: "TLS (TLSv1.3, TLS_AES_256_GCM_SHA384)", "Unix socket (local)" or
  /// "unencrypted TCP".
  [[nodiscard]] std::string security() const;
  /// The URL this connection was opened with, redacted.
  [[nodiscard]] const std::string& display_url() const { return m_display_url; }

  [[nodiscard]] pg_conn* handle() const { return m_conn; }

private:
  pg_conn* m_conn = nullptr;
  std::string m_display_url;
};

} // namespace blogen::store::pg
