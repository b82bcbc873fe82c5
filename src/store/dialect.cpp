#include "dialect.hpp"

#include "postgresql/connection.hpp"

#include <blogen/store/post_repository.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

namespace blogen::store::dialect {
namespace {

bool on_postgresql(const Database& db) { return engine_of(db) == Engine::postgresql; }

// The text search configuration `blogen_search` (postgresql/schema.cpp) folds case and removes accents like FTS5's
// unicode61 tokenizer; the tsvector `posts.search` weighs title A, topic B, category C and body D
// (postgresql/schema.cpp); ts_rank's weights for D, C, B, A follow FTS5's bm25 weights below (1, 3, 5, 10), scaled into
// its 0..1 range.
constexpr const char* k_pg_rank = "ts_rank('{0.1, 0.3, 0.5, 1.0}', p.search, q)";
constexpr const char* k_pg_snippet =
    "ts_headline('blogen_search', p.content, q, 'StartSel=' || chr(2) || ', StopSel=' || chr(3) || "
    "', MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter=…')";

} // namespace

std::string post_matches(const Database& db) {
  if (on_postgresql(db)) return "p.search @@ plainto_tsquery('blogen_search', ?)";
  return "p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)";
}

std::string ranked_search(const Database& db, const std::string& columns, const std::string& more_conditions) {
  if (on_postgresql(db)) {
    // Ranks are negated so that both engines sort best first by ascending rank (bm25 is lower for better hits).
    return "SELECT " + columns + ", " + k_pg_snippet + ", -" + k_pg_rank +
           " AS rank FROM posts p, plainto_tsquery('blogen_search', ?) q WHERE p.search @@ q" + more_conditions +
           " ORDER BY rank, p.id LIMIT ?";
  }
  return "SELECT " + columns +
         ", snippet(posts_fts, -1, char(2), char(3), '…', 16), bm25(posts_fts, 10.0, 5.0, 3.0, 1.0) AS rank"
         " FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid WHERE posts_fts MATCH ?" +
         more_conditions + " ORDER BY rank LIMIT ?";
}

std::string search_text(const Database& db, std::string_view user_text) {
  std::string quoted = fts_query(user_text);
  if (quoted.empty() || !on_postgresql(db)) return quoted;
  // plainto_tsquery takes the words as typed and ANDs them, ignoring punctuation; no syntax to neutralise.
  return std::string(user_text);
}

std::string least(const Database& db, std::string_view a, std::string_view b) {
  return std::string(on_postgresql(db) ? "least(" : "min(") + std::string(a) + ", " + std::string(b) + ")";
}

std::string greatest(const Database& db, std::string_view a, std::string_view b) {
  return std::string(on_postgresql(db) ? "greatest(" : "max(") + std::string(a) + ", " + std::string(b) + ")";
}

std::string utc_day(const Database& db, std::string_view millis) {
  if (on_postgresql(db)) {
    return "to_char(to_timestamp((" + std::string(millis) + ") / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
  }
  return "strftime('%Y-%m-%d', (" + std::string(millis) + ") / 1000, 'unixepoch')";
}

bool claims_by_row_locks(const Database& db) { return on_postgresql(db); }

std::string lock_skipping_locked(const Database& db) { return on_postgresql(db) ? " FOR UPDATE SKIP LOCKED" : ""; }

std::int64_t last_insert_id(Database& db) {
  if (!on_postgresql(db)) return sql(db).getLastInsertRowid();
  // lastval(): the value the last nextval() of this session gave, here the identity column of the INSERT just run
  // (no trigger of the schema inserts into another table with an identity).
  Statement query(db, "SELECT lastval()");
  if (!query.executeStep()) throw std::logic_error("SELECT lastval() yielded no row");
  return query.getColumn(0).getInt64();
}

bool is_unique_violation(const std::exception& error) {
  if (const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&error)) {
    return sqlite->getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE;
  }
  if (const auto* postgres = dynamic_cast<const pg::PgError*>(&error)) return postgres->sqlstate() == "23505";
  return false;
}

bool is_generated_column(Database& db, const std::string& table, const std::string& column) {
  if (!on_postgresql(db)) return false;
  Statement query(db, "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
                      "AND table_name = ? AND column_name = ? AND is_generated = 'ALWAYS'");
  query.bind(1, table);
  query.bind(2, column);
  query.executeStep();
  return query.getColumn(0).getInt64() > 0;
}

void after_rows_with_ids(Database& db, const std::string& table) {
  if (!on_postgresql(db)) return;
  // pg_get_serial_sequence is NULL for a table without an identity column, and setval(NULL, ...) does nothing.
  Statement move_on(db,
                    "SELECT setval(pg_get_serial_sequence(?, 'id'), coalesce(max(id), 0) + 1, false) FROM " + table);
  move_on.bind(1, table);
  move_on.executeStep();
}

Snapshot::Snapshot(Database& db) : m_db(db) {
  if (on_postgresql(db)) {
    postgres(db).exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // A copy may spend minutes writing to its target between two pages read here: not a stalled session.
    postgres(db).exec("SET LOCAL idle_in_transaction_session_timeout = 0");
  } else {
    sql(db).exec("BEGIN DEFERRED");
  }
}

Snapshot::~Snapshot() {
  try {
    if (on_postgresql(m_db)) {
      postgres(m_db).exec("COMMIT");
    } else {
      sql(m_db).exec("COMMIT");
    }
  } catch (...) { // NOLINT(bugprone-empty-catch): ending a read-only transaction loses nothing
  }
}

} // namespace blogen::store::dialect
