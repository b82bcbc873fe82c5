#include "connection.hpp"

#include "libpq_library.hpp"
#include "pg_statement.hpp"
#include "result.hpp"
#include "url.hpp"

#include <blogen/core/error.hpp>

#include <array>
#include <cstdlib>

namespace blogen::store::pg {
namespace {

/// libpq's message on one line, without its trailing newline.
std::string one_line(const char* message) {
  std::string line;
  for (const char* c = message == nullptr ? "" : message; *c != '\0'; ++c) {
    if (*c == '\n') {
      if (c[1] == '\t') ++c; // a hint on the next line, indented
      if (c[1] != '\0') line.append(" ");
    } else {
      line.push_back(*c);
    }
  }
  return line;
}

// The server's notices (an IF NOT EXISTS that found the object, ...) are not the user's business; its warnings are
// not shown either: a command's output is blogen's own.
void drop_notice(void* /*context*/, const char* /*message*/) {}

} // namespace

Connection::Connection(const std::string& url) : m_display_url(redact_url(url)) {
  // The first connection loads libpq; without it no PostgreSQL store can be opened, like an unreachable server.
  if (const std::string& problem = libpq_library_problem(); !problem.empty())
    throw Error(ErrorCode::failed, "cannot open the PostgreSQL store " + m_display_url + ": " + problem);
  // A URL libpq cannot parse (a port that is no number, an unknown parameter) is the user's typo, not a failed
  // connection: a usage error naming --db, before any connection is tried.
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &parse_error);
  if (parsed == nullptr) {
    const std::string reason = parse_error == nullptr ? "out of memory" : without_password(one_line(parse_error), url);
    PQfreemem(parse_error);
    throw Error(ErrorCode::usage,
                "--db/BLOGEN_DB: " + m_display_url + " is not a PostgreSQL URL libpq accepts: " + reason);
  }
  // libpq checks a port only when it connects, and then says "invalid integer value": a typo all the same.
  std::string bad_port;
  for (const PQconninfoOption* option = parsed; option->keyword != nullptr; ++option) {
    const std::string_view value = option->val == nullptr ? "" : option->val;
    if (std::string_view(option->keyword) == "port" &&
        value.find_first_not_of("0123456789,") != std::string_view::npos) {
      bad_port = value;
    }
  }
  PQconninfoFree(parsed);
  if (!bad_port.empty()) {
    throw Error(ErrorCode::usage, "--db/BLOGEN_DB: " + m_display_url + " has the port '" +
                                      without_password(bad_port, url) + "', which is not a number");
  }
  // Keywords are applied in order and the URL (dbname, expanded) comes last, so it may override the ones before:
  // the name the server's activity view shows, and how long an unreachable server is waited for (unless
  // PGCONNECT_TIMEOUT says).
  // getenv races only with setenv, which blogen never calls (libpq reads the environment here too).
  const char* timeout = std::getenv("PGCONNECT_TIMEOUT") == nullptr ? "10" : ""; // NOLINT(concurrency-mt-unsafe)
  // TCP keepalives find a dead peer within about a minute instead of the system's two hours: a worker whose host
  // vanished mid-transaction must not keep the writer lock that every host waits for.
  const std::array<const char*, 8> keywords{
      "fallback_application_name", "connect_timeout",  "keepalives", "keepalives_idle",
      "keepalives_interval",       "keepalives_count", "dbname",     nullptr};
  const std::array<const char*, 8> values{"blogen", timeout, "1", "30", "10", "3", url.c_str(), nullptr};
  m_conn = PQconnectdbParams(keywords.data(), values.data(), 1);
  if (m_conn == nullptr) throw Error(ErrorCode::failed, "cannot connect to " + m_display_url + ": out of memory");
  if (PQstatus(m_conn) != CONNECTION_OK) {
    // libpq may quote the URL it could not parse: the message is cleaned of any password before it is shown.
    const std::string reason = without_password(one_line(PQerrorMessage(m_conn)), url);
    PQfinish(m_conn);
    throw Error(ErrorCode::failed, "cannot connect to the PostgreSQL store " + m_display_url + ": " + reason);
  }
  PQsetNoticeProcessor(m_conn, drop_notice, nullptr);
  try {
    // A session that stalls inside a transaction (a stopped process, a lost network) is ended by the server after
    // a minute, releasing the writer lock; blogen's own transactions last milliseconds. One round trip for both.
    exec("SET client_min_messages = warning; SET idle_in_transaction_session_timeout = 60000");
  } catch (...) {
    PQfinish(m_conn);
    throw;
  }
}

Connection::~Connection() { PQfinish(m_conn); }

std::string Connection::exec(const std::string& sql) {
  const Result result = checked(m_conn, PQexec(m_conn, sql.c_str()));
  return PQcmdStatus(result.get());
}

std::unique_ptr<StatementBackend> Connection::prepare(const std::string& sql) {
  return std::make_unique<PgStatement>(m_conn, sql);
}

std::string Connection::server_version() const {
  // "15.18 (Debian 15.18-0+deb12u1)": the number is the version, the rest is the packager's.
  if (const char* reported = PQparameterStatus(m_conn, "server_version"); reported != nullptr) {
    std::string version = reported;
    return version.substr(0, version.find(' '));
  }
  const int number = PQserverVersion(m_conn); // 150018
  return std::to_string(number / 10000) + "." + std::to_string(number % 10000);
}

std::string Connection::security() const {
  if (PQsslInUse(m_conn) != 0) {
    const char* protocol = PQsslAttribute(m_conn, "protocol");
    const char* cipher = PQsslAttribute(m_conn, "cipher");
    return std::string("TLS (") + (protocol != nullptr ? protocol : "?") + ", " + (cipher != nullptr ? cipher : "?") +
           ")";
  }
  if (PQgssEncInUse(m_conn) != 0) return "GSSAPI encryption";
  const char* host = PQhost(m_conn);
  if (host == nullptr || host[0] == '\0' || host[0] == '/') return "Unix socket (local)";
  return "unencrypted TCP";
}

} // namespace blogen::store::pg
