#include "dialect.hpp"
#include "post_rows.hpp"

#include <blogen/core/error.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <limits>

namespace blogen::store {
namespace detail {

Post read_post(Row& row) {
  return row.read(k_post_columns, [](Row& r) {
    Post post;
    post.id = r.get<std::int64_t>();
    post.user_id = r.get<std::int64_t>();
    post.kind = r.get<std::string>();
    post.campaign_id = r.get<std::optional<std::int64_t>>();
    post.batch_id = r.get<std::optional<std::int64_t>>();
    post.title = r.get<std::string>();
    post.topic = r.get<std::string>();
    post.prompt = r.get<std::string>();
    post.category = r.get<std::string>();
    post.tone = r.get<std::string>();
    post.keywords = from_json_list(r.get<std::string>());
    post.target_words = r.get<int>();
    post.template_name = r.get<std::string>();
    post.audience = r.get<std::string>();
    post.brand = r.get<std::string>();
    post.platform = r.get<std::string>();
    post.brief = r.get<std::string>();
    post.content = r.get<std::string>();
    post.hashtags = from_json_list(r.get<std::string>());
    post.image_path = r.get<std::optional<std::string>>();
    post.status = parse_post_status(r.get<std::string>()).value_or(PostStatus::failed);
    post.error = r.get<std::string>();
    post.provider = r.get<std::string>();
    post.model = r.get<std::string>();
    post.prompt_tokens = r.get<std::int64_t>();
    post.completion_tokens = r.get<std::int64_t>();
    post.seed = static_cast<std::uint64_t>(r.get<std::int64_t>());
    post.revision = r.get<int>();
    post.created_at = r.get<std::int64_t>();
    post.updated_at = r.get<std::int64_t>();
    post.deleted_at = r.get<std::optional<std::int64_t>>();
    return post;
  });
}

std::string insert_posts_sql(std::size_t rows) {
  constexpr std::string_view head = R"sql(
    INSERT INTO posts(user_id, kind, campaign_id, batch_id, title, topic, prompt, category, tone, keywords,
                      target_words, template, audience, brand, platform, brief, status, provider, model, seed,
                      created_at, updated_at)
    VALUES )sql";
  constexpr std::string_view row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  std::string sql(head);
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ", ";
    sql += row;
  }
  return sql;
}

int bind_new_post(Statement& insert, const NewPost& post, TimestampMs now, int first) {
  return bind_from(insert, first, post.user_id, post.kind, post.campaign_id, post.batch_id, post.title, post.topic,
                   post.prompt, post.category, post.tone, to_json_list(post.keywords), post.target_words,
                   post.template_name, post.audience, post.brand, post.platform, post.brief, to_string(post.status),
                   post.provider, post.model, static_cast<std::int64_t>(post.seed), now, now);
}

std::string to_json_list(const std::vector<std::string>& values) {
  return nlohmann::json(values).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> from_json_list(const std::string& text) {
  const auto parsed = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> values;
  if (!parsed.is_array()) return values;
  for (const auto& item : parsed) {
    if (item.is_string()) values.push_back(item.get<std::string>());
  }
  return values;
}

} // namespace detail

namespace {

using detail::k_post_columns;
using detail::read_post;

constexpr std::array k_status_names{"draft", "pending", "in_progress", "completed", "failed", "cancelled"};
constexpr std::array k_source_names{"generated", "edited", "reverted", "imported"};

// An index is chosen per query shape: (user_id, created_at) and (user_id, updated_at) serve one user's pages;
// the search clause goes through the FTS index first.
Where where_of(const Database& db, const PostFilter& filter) {
  Where where;
  where.add_if("p.user_id = ?", filter.user_id);
  where.add_if("p.kind = ?", filter.kind);
  if (filter.status) where.add("p.status = ?", to_string(*filter.status));
  where.add_if("p.category = ? COLLATE NOCASE", filter.category);
  where.add_if("p.campaign_id = ?", filter.campaign_id);
  where.add_if("p.batch_id = ?", filter.batch_id);
  if (filter.search) {
    // An empty FTS query never matches; it is not sent to FTS5, which would reject it.
    const std::string query = dialect::search_text(db, *filter.search);
    if (query.empty()) {
      where.add("1 = 0");
    } else {
      where.add(dialect::post_matches(db), query);
    }
  }
  switch (filter.deleted) {
  case DeletedFilter::exclude:
    where.add("p.deleted_at IS NULL");
    break;
  case DeletedFilter::only:
    where.add("p.deleted_at IS NOT NULL");
    break;
  case DeletedFilter::include:
    break;
  }
  return where;
}

std::string order_of(PostSort sort) {
  switch (sort) {
  case PostSort::created:
    return " ORDER BY p.created_at, p.id";
  case PostSort::created_desc:
    return " ORDER BY p.created_at DESC, p.id DESC";
  case PostSort::updated:
    return " ORDER BY p.updated_at DESC, p.id DESC";
  case PostSort::title:
    return " ORDER BY p.title COLLATE NOCASE, p.id";
  }
  return "";
}

} // namespace

std::string_view to_string(PostStatus status) { return k_status_names.at(static_cast<std::size_t>(status)); }

std::vector<std::string> post_status_names() { return {k_status_names.begin(), k_status_names.end()}; }

std::optional<PostStatus> parse_post_status(std::string_view text) {
  for (std::size_t i = 0; i < k_status_names.size(); ++i) {
    if (text == k_status_names[i]) return static_cast<PostStatus>(i);
  }
  return std::nullopt;
}

std::string_view to_string(RevisionSource source) { return k_source_names.at(static_cast<std::size_t>(source)); }

std::int64_t PostRepository::insert(const NewPost& post, TimestampMs now) {
  Statement insert(m_db, detail::insert_posts_sql());
  detail::bind_new_post(insert, post, now);
  insert.exec();
  return dialect::last_insert_id(m_db);
}

std::optional<Post> PostRepository::find(std::int64_t post_id, std::int64_t user_id) {
  Statement query(m_db, "SELECT " + k_post_columns.text() + " FROM posts p WHERE p.id = ? AND p.user_id = ?");
  bind_all(query, post_id, user_id);
  return first_row(query, read_post);
}

std::optional<Post> PostRepository::find_any(std::int64_t post_id) {
  Statement query(m_db, "SELECT " + k_post_columns.text() + " FROM posts p WHERE p.id = ?");
  bind_all(query, post_id);
  return first_row(query, read_post);
}

bool PostRepository::update(std::int64_t post_id, const PostChanges& changes, TimestampMs now) {
  // NULL means "keep": one statement for any combination of fields.
  Statement update(m_db, R"sql(
    UPDATE posts SET title = coalesce(?1, title), category = coalesce(?2, category), tone = coalesce(?3, tone),
                     prompt = coalesce(?4, prompt), provider = coalesce(?5, provider), model = coalesce(?6, model),
                     updated_at = ?7
    WHERE id = ?8)sql");
  bind_all(update, changes.title, changes.category, changes.tone, changes.prompt, changes.provider, changes.model, now,
           post_id);
  return update.exec() > 0;
}

void PostRepository::set_status(std::int64_t post_id, PostStatus status, std::string_view error, TimestampMs now) {
  Statement update(m_db, "UPDATE posts SET status = ?, error = ?, updated_at = ? WHERE id = ?");
  bind_all(update, to_string(status), null_if_empty(error), now, post_id);
  update.exec();
}

bool PostRepository::soft_delete(std::int64_t post_id, TimestampMs now) {
  Statement update(m_db, "UPDATE posts SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2 AND deleted_at IS NULL");
  bind_all(update, now, post_id);
  return update.exec() > 0;
}

bool PostRepository::restore(std::int64_t post_id, TimestampMs now) {
  Statement update(m_db, "UPDATE posts SET deleted_at = NULL, updated_at = ? WHERE id = ? AND deleted_at IS NOT NULL");
  bind_all(update, now, post_id);
  return update.exec() > 0;
}

bool PostRepository::purge(std::int64_t post_id) {
  // Revisions and jobs go with the row (ON DELETE CASCADE); the log keeps its entries with post_id cleared.
  Statement remove(m_db, "DELETE FROM posts WHERE id = ?");
  bind_all(remove, post_id);
  return remove.exec() > 0;
}

std::vector<Post> PostRepository::list(const PostFilter& filter) {
  const Where where = where_of(m_db, filter);
  Statement query(m_db, "SELECT " + k_post_columns.text() + " FROM posts p" + where.clause() + order_of(filter.sort) +
                            " LIMIT ? OFFSET ?");
  // A negative limit means none; PostgreSQL refuses SQLite's LIMIT -1, and both take the largest integer.
  const std::int64_t limit = filter.limit < 0 ? std::numeric_limits<std::int64_t>::max() : filter.limit;
  bind_from(query, where.bind(query), limit, filter.offset);
  return all_rows(query, read_post);
}

std::int64_t PostRepository::count(const PostFilter& filter) {
  // The live posts of a user, a kind or everyone are kept counted (post_counts, schema step 11): one row to read
  // instead of every entry of an index. Any other filter counts the matching posts.
  const bool kept_counted = filter.deleted == DeletedFilter::exclude && !filter.status && !filter.category &&
                            !filter.campaign_id && !filter.batch_id && !filter.search;
  if (kept_counted) {
    Where where;
    where.add_if("user_id = ?", filter.user_id);
    where.add_if("kind = ?", filter.kind);
    // sum() of bigint is numeric on PostgreSQL: cast back to the integer both engines read.
    Statement query(m_db, "SELECT CAST(coalesce(sum(live), 0) AS bigint) FROM post_counts" + where.clause());
    where.bind(query);
    return single_value<std::int64_t>(query);
  }
  const Where where = where_of(m_db, filter);
  Statement query(m_db, "SELECT count(*) FROM posts p" + where.clause());
  where.bind(query);
  return single_value<std::int64_t>(query);
}

} // namespace blogen::store
