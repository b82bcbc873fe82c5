#pragma once
// The SQL that differs between the two store engines, named and gathered here so that the repositories write the
// rest once: full-text search (SQLite's FTS5 table; PostgreSQL's tsvector column `posts.search` with a GIN index),
// the id of a new row, constraint errors, a day of a timestamp, two-argument minimum and maximum, and the job
// claim's row lock. The other engine-specific pieces: database.cpp (opening, PRAGMAs or session settings,
// transactions, the schema version), migrations.cpp and postgresql/schema.cpp (the schemas), and the engines'
// statements (statement.cpp, postgresql/).
//
// Written once for both: SQLite's placeholders `?` and `?N` (the PostgreSQL engine renumbers them to `$N`),
// `count(*) FILTER (WHERE ...)`, `RETURNING`, `ON CONFLICT`, and `COLLATE NOCASE` (on PostgreSQL a
// case-insensitive ICU collation named nocase, created by its schema).

#include "connection.hpp"

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

namespace blogen::store::dialect {

// ---- Full-text search ---------------------------------------------------------------------------------------------

/// The condition "post `p` matches the search text bound to its `?`" (the text as search_text() makes it).
std::string post_matches(const Database& db);

/// A ranked search: SELECT `columns`, then the snippet and the rank of each hit (two more columns), of the posts `p`
/// matching the search text bound to the statement's first `?`, filtered by `more_conditions` (" AND ...", with
/// their own `?`s after the first), best first, with a `?` for the LIMIT last.
/// STX/ETX mark the matches in the snippet: they cannot occur in printed text (the terminal sanitiser strips control
/// characters), so they never clash with content. Title matches weigh most, then topic, category and body.
std::string ranked_search(const Database& db, const std::string& columns, const std::string& more_conditions);

/// What to bind for a search of `user_text`: every word must occur (FTS5 query of quoted terms on SQLite; the words
/// as they are on PostgreSQL, for plainto_tsquery). Empty when no word can match anything.
std::string search_text(const Database& db, std::string_view user_text);

// ---- Expressions --------------------------------------------------------------------------------------------------

/// The smaller and the larger of two SQL expressions.
std::string least(const Database& db, std::string_view a, std::string_view b);
std::string greatest(const Database& db, std::string_view a, std::string_view b);

/// The UTC day 'YYYY-MM-DD' of a millisecond timestamp expression.
std::string utc_day(const Database& db, std::string_view millis);

/// Whether a job claim is one statement under row locks (PostgreSQL: UPDATE ... WHERE id = (SELECT ... FOR UPDATE
/// SKIP LOCKED)) rather than probes inside the writer's turn (SQLite's single writer).
bool claims_by_row_locks(const Database& db);

/// Appended to the SELECT that picks a job to claim: on PostgreSQL the chosen row is locked and rows other workers
/// hold are skipped (FOR UPDATE SKIP LOCKED); SQLite's single writer needs nothing.
std::string lock_skipping_locked(const Database& db);

// ---- Rows written -------------------------------------------------------------------------------------------------

/// Appended to INSERT/UPDATE: the statement yields `columns` of each row it wrote (both engines).
inline std::string returning(std::string_view columns) { return " RETURNING " + std::string(columns); }

/// The id of the row the last INSERT on this connection created.
std::int64_t last_insert_id(Database& db);

/// Whether a failed statement broke a UNIQUE constraint.
bool is_unique_violation(const std::exception& error);

// ---- Copying a store ----------------------------------------------------------------------------------------------

/// Whether the server computes `column` of `table` itself (PostgreSQL's posts.search), so it is never inserted.
bool is_generated_column(Database& db, const std::string& table, const std::string& column);

/// After rows were inserted into `table` with their ids: a new row's id continues after the largest (PostgreSQL's
/// identity sequence is moved on; SQLite takes max(id) + 1 by itself).
void after_rows_with_ids(Database& db, const std::string& table);

/// A read-only snapshot of `db` while it lives: every query sees the store as it was when the first one ran, however
/// other processes write meanwhile (SQLite's WAL read transaction; PostgreSQL's REPEATABLE READ).
class Snapshot {
public:
  explicit Snapshot(Database& db);
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  Snapshot(Snapshot&&) = delete;
  Snapshot& operator=(Snapshot&&) = delete;
  ~Snapshot();

private:
  Database& m_db;
};

/// A Snapshot of `db`.
inline Snapshot begin_snapshot(Database& db) { return Snapshot(db); }

} // namespace blogen::store::dialect
