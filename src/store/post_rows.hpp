#pragma once
// Store-internal: the column list of a post and how a row becomes a Post (shared by the post repository files).

#include "connection.hpp"

#include <blogen/store/post_repository.hpp>

#include <string>
#include <vector>

namespace blogen::store::detail {

/// The columns read_post expects, qualified with the `p` alias.
extern const char* const k_post_columns;
/// How many columns k_post_columns has (extra columns of a query follow them).
constexpr int k_post_column_count = 31;

/// Reads the post columns of the current row.
Post read_post(SQLite::Statement& query);
/// A JSON array of strings as stored in TEXT columns.
std::string to_json_list(const std::vector<std::string>& values);
/// The INSERT of a new post; bind it with bind_new_post. Shared by single inserts and batch bulk inserts, so the
/// column list exists once.
extern const char* const k_insert_post_sql;
/// Binds every parameter of k_insert_post_sql for `post`, created and updated at `now`.
void bind_new_post(SQLite::Statement& insert, const NewPost& post, TimestampMs now);
/// Parses a stored JSON array of strings (anything else gives an empty list).
std::vector<std::string> from_json_list(const std::string& text);

} // namespace blogen::store::detail
