#pragma once
// Store-internal: the column list of a post and how a row becomes a Post (shared by the post repository files).

#include "sql.hpp"

#include <blogen/store/post_repository.hpp>

#include <string>
#include <vector>

namespace blogen::store::detail {

/// The columns read_post reads, qualified with the `p` alias. Extra columns of a query follow them.
inline constexpr Columns k_post_columns{
    "p.id, p.user_id, p.kind, p.campaign_id, p.batch_id, p.title, p.topic, p.prompt, p.category, p.tone, "
    "p.keywords, p.target_words, p.template, p.audience, p.brand, p.platform, p.brief, p.content, p.hashtags, "
    "p.image_path, p.status, coalesce(p.error, ''), p.provider, p.model, p.prompt_tokens, p.completion_tokens, "
    "p.seed, p.revision, p.created_at, p.updated_at, p.deleted_at"};

/// Reads the post columns at the cursor.
Post read_post(Row& row);
/// A JSON array of strings as stored in TEXT columns.
std::string to_json_list(const std::vector<std::string>& values);
/// The INSERT of `rows` new posts in one statement; bind each with bind_new_post. Shared by single inserts and batch
/// bulk inserts, so the column list exists once.
std::string insert_posts_sql(std::size_t rows = 1);
/// Binds one row of insert_posts_sql's parameters for `post`, created and updated at `now`, from parameter `first`;
/// returns the index of the next row's first parameter.
int bind_new_post(Statement& insert, const NewPost& post, TimestampMs now, int first = 1);
/// Parses a stored JSON array of strings (anything else gives an empty list).
std::vector<std::string> from_json_list(const std::string& text);

} // namespace blogen::store::detail
