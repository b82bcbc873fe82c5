#pragma once
// SQLite's placeholders rewritten as PostgreSQL's, with the count a statement needs (see translate_placeholders).

#include <string>
#include <string_view>

namespace blogen::store::pg {

/// A statement's text with `$N` placeholders, and the highest N in it (0: none).
struct TranslatedSql {
  std::string text;
  int parameters = 0;
};

/// `sql` with `?` and `?N` rewritten as `$N`, numbered as SQLite numbers them: `?N` is N, and a bare `?` is one
/// more than the highest number given so far. Quoted strings, quoted identifiers and comments are copied as they are.
TranslatedSql translate(std::string_view sql);

} // namespace blogen::store::pg
