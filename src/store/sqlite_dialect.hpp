#pragma once
// The SQL only SQLite understands, named and gathered so that a second store engine (PostgreSQL, see
// the README's Architecture section) has one place to provide again. The other engine-specific pieces:
// database.cpp (PRAGMAs, BEGIN IMMEDIATE, savepoints), migrations.cpp (the schema, the FTS5 table and its
// triggers) and fts_query() in post_search.cpp (the FTS5 query syntax).
//
// Smaller SQLite-isms still written inline in the repositories, to revisit with the second engine: numbered
// parameters `?N` (PostgreSQL: `$N`), two-argument min()/max() (least()/greatest()), sums of comparisons
// `sum(status = 'x')` (count(*) FILTER (WHERE ...)), `LIMIT -1` for "no limit", and the job claim's
// `UPDATE ... WHERE id = (SELECT ... LIMIT 1)`, which relies on SQLite's single writer (PostgreSQL needs
// `FOR UPDATE SKIP LOCKED`).

#include "connection.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace blogen::store::dialect {

// ---- Full-text search (FTS5 over posts_fts; PostgreSQL: a tsvector column, ts_headline and ts_rank) ------------

/// The condition "post `p` matches the FTS query bound to its `?`".
inline constexpr const char* k_post_matches = "p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)";
/// The FROM of a ranked search: the index joined to its posts (`p`).
inline constexpr const char* k_search_from = "posts_fts JOIN posts p ON p.id = posts_fts.rowid";
/// The condition "the indexed row matches the FTS query bound to its `?`" (for k_search_from).
inline constexpr const char* k_search_matches = "posts_fts MATCH ?";
/// The snippet and the rank of a hit, as two columns; order by `rank` (best first).
/// Title matches weigh most, then topic, category and body. STX/ETX mark the matches in the snippet: they cannot
/// occur in printed text (the terminal sanitiser strips control characters), so they never clash with content.
inline constexpr const char* k_search_hit_columns =
    "snippet(posts_fts, -1, char(2), char(3), '…', 16), bm25(posts_fts, 10.0, 5.0, 3.0, 1.0) AS rank";

// ---- Comparison ---------------------------------------------------------------------------------------------------

/// Appended to a comparison or ORDER BY term: compare ASCII letters without case (PostgreSQL: lower() or citext).
inline constexpr const char* k_nocase = " COLLATE NOCASE";

// ---- Rows written -------------------------------------------------------------------------------------------------

/// Appended to INSERT/UPDATE: the statement yields `columns` of each row it wrote (SQLite 3.35+, PostgreSQL).
inline std::string returning(std::string_view columns) { return " RETURNING " + std::string(columns); }

/// The id of the row the last INSERT on this connection created (PostgreSQL: INSERT ... RETURNING id).
inline std::int64_t last_insert_id(Database& db) { return sql(db).getLastInsertRowid(); }

/// Whether a failed statement broke a UNIQUE constraint (PostgreSQL: SQLSTATE 23505).
inline bool is_unique_violation(const SQLite::Exception& error) {
  return error.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE;
}

} // namespace blogen::store::dialect
