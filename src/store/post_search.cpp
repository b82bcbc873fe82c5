#include "post_rows.hpp"

#include <blogen/core/text.hpp>

#include <cctype>

namespace blogen::store {
namespace {

using text::is_space;

// A token the unicode61 tokenizer turns into no term at all (only ASCII punctuation) would make FTS5 match
// nothing for the whole AND query, so such tokens are left out. Any non-ASCII byte may be a letter: kept.
bool has_term(std::string_view token) {
  for (const char c : token) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || std::isalnum(byte) != 0) return true;
  }
  return false;
}

} // namespace

std::string fts_query(std::string_view user_text) {
  std::string query;
  std::size_t i = 0;
  while (i < user_text.size()) {
    while (i < user_text.size() && is_space(user_text[i]))
      ++i;
    const std::size_t start = i;
    while (i < user_text.size() && !is_space(user_text[i]))
      ++i;
    const std::string_view token = user_text.substr(start, i - start);
    if (token.empty() || !has_term(token)) continue;
    if (!query.empty()) query += ' ';
    query += '"';
    for (const char c : token) {
      if (c == '"') query += '"';
      query += c;
    }
    query += '"';
  }
  return query;
}

std::vector<SearchHit> PostRepository::search(std::optional<std::int64_t> user_id, std::string_view user_text,
                                              int limit) {
  const std::string query_text = fts_query(user_text);
  std::vector<SearchHit> hits;
  if (query_text.empty()) return hits;
  // Title matches weigh most, then topic, category and body. STX/ETX mark the matches in the snippet: they cannot
  // occur in printed text (the terminal sanitiser strips control characters), so they never clash with content.
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + detail::k_post_columns + R"sql(,
           snippet(posts_fts, -1, char(2), char(3), '…', 16), bm25(posts_fts, 10.0, 5.0, 3.0, 1.0) AS rank
    FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid
    WHERE posts_fts MATCH ?1 AND p.deleted_at IS NULL AND (?2 IS NULL OR p.user_id = ?2)
    ORDER BY rank LIMIT ?3)sql");
  query.bind(1, query_text);
  if (user_id)
    query.bind(2, *user_id);
  else
    query.bind(2);
  query.bind(3, limit);
  while (query.executeStep()) {
    SearchHit hit;
    hit.post = detail::read_post(query);
    hit.snippet = query.getColumn(detail::k_post_column_count).getString();
    hit.rank = query.getColumn(detail::k_post_column_count + 1).getDouble();
    hits.push_back(std::move(hit));
  }
  return hits;
}

} // namespace blogen::store
