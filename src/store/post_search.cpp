#include "dialect.hpp"
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
  const std::string query_text = dialect::search_text(m_db, user_text);
  if (query_text.empty()) return {};
  Where where;
  where.add("p.deleted_at IS NULL").add_if("p.user_id = ?", user_id);
  Statement query(m_db, dialect::ranked_search(m_db, detail::k_post_columns.text(), where.and_conditions()));
  bind_from(query, where.bind(query, bind_all(query, query_text)), limit);
  return all_rows(query, [](Row& row) {
    SearchHit hit;
    hit.post = detail::read_post(row);
    hit.snippet = row.get<std::string>();
    hit.rank = row.get<double>();
    return hit;
  });
}

} // namespace blogen::store
