#include "post_rows.hpp"

#include <blogen/core/error.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <variant>

namespace blogen::store {
namespace detail {

const char* const k_post_columns =
    "p.id, p.user_id, p.kind, p.campaign_id, p.batch_id, p.title, p.topic, p.prompt, p.category, p.tone, "
    "p.keywords, p.target_words, p.template, p.audience, p.brand, p.platform, p.brief, p.content, p.hashtags, "
    "p.image_path, p.status, coalesce(p.error, ''), p.provider, p.model, p.prompt_tokens, p.completion_tokens, "
    "p.seed, p.revision, p.created_at, p.updated_at, p.deleted_at";

Post read_post(SQLite::Statement& query) {
  Post post;
  int i = 0;
  const auto next = [&]() { return query.getColumn(i++); };
  post.id = next().getInt64();
  post.user_id = next().getInt64();
  post.kind = next().getString();
  if (auto c = next(); !c.isNull()) post.campaign_id = c.getInt64();
  if (auto c = next(); !c.isNull()) post.batch_id = c.getInt64();
  post.title = next().getString();
  post.topic = next().getString();
  post.prompt = next().getString();
  post.category = next().getString();
  post.tone = next().getString();
  post.keywords = from_json_list(next().getString());
  post.target_words = next().getInt();
  post.template_name = next().getString();
  post.audience = next().getString();
  post.brand = next().getString();
  post.platform = next().getString();
  post.brief = next().getString();
  post.content = next().getString();
  post.hashtags = from_json_list(next().getString());
  if (auto c = next(); !c.isNull()) post.image_path = c.getString();
  post.status = parse_post_status(next().getString()).value_or(PostStatus::failed);
  post.error = next().getString();
  post.provider = next().getString();
  post.model = next().getString();
  post.prompt_tokens = next().getInt64();
  post.completion_tokens = next().getInt64();
  post.seed = static_cast<std::uint64_t>(next().getInt64());
  post.revision = next().getInt();
  post.created_at = next().getInt64();
  post.updated_at = next().getInt64();
  if (auto c = next(); !c.isNull()) post.deleted_at = c.getInt64();
  return post;
}

const char* const k_insert_post_sql = R"sql(
    INSERT INTO posts(user_id, kind, campaign_id, batch_id, title, topic, prompt, category, tone, keywords,
                      target_words, template, audience, brand, platform, brief, status, provider, model, seed,
                      created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql";

void bind_new_post(SQLite::Statement& insert, const NewPost& post, TimestampMs now) {
  int i = 1;
  insert.bind(i++, post.user_id);
  insert.bind(i++, post.kind);
  if (post.campaign_id)
    insert.bind(i++, *post.campaign_id);
  else
    insert.bind(i++);
  if (post.batch_id)
    insert.bind(i++, *post.batch_id);
  else
    insert.bind(i++);
  insert.bind(i++, post.title);
  insert.bind(i++, post.topic);
  insert.bind(i++, post.prompt);
  insert.bind(i++, post.category);
  insert.bind(i++, post.tone);
  insert.bind(i++, to_json_list(post.keywords));
  insert.bind(i++, post.target_words);
  insert.bind(i++, post.template_name);
  insert.bind(i++, post.audience);
  insert.bind(i++, post.brand);
  insert.bind(i++, post.platform);
  insert.bind(i++, post.brief);
  insert.bind(i++, std::string(to_string(post.status)));
  insert.bind(i++, post.provider);
  insert.bind(i++, post.model);
  insert.bind(i++, static_cast<std::int64_t>(post.seed));
  insert.bind(i++, now);
  insert.bind(i++, now);
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

// A WHERE clause assembled from a filter, with its values in bind order.
struct Where {
  std::string text = " WHERE 1";
  std::vector<std::variant<std::int64_t, std::string>> values;
  void add(const std::string& clause) { text += " AND " + clause; }
  void add(const std::string& clause, std::variant<std::int64_t, std::string> value) {
    add(clause);
    values.push_back(std::move(value));
  }
  void bind(SQLite::Statement& statement) const {
    int index = 1;
    for (const auto& value : values) {
      if (const auto* number = std::get_if<std::int64_t>(&value))
        statement.bind(index++, *number);
      else
        statement.bind(index++, std::get<std::string>(value));
    }
  }
};

// An index is chosen per query shape: (user_id, created_at) and (user_id, updated_at) serve one user's pages;
// the search clause goes through the FTS index first.
Where where_of(const PostFilter& filter) {
  Where where;
  if (filter.user_id) where.add("p.user_id = ?", *filter.user_id);
  if (filter.kind) where.add("p.kind = ?", *filter.kind);
  if (filter.status) where.add("p.status = ?", std::string(to_string(*filter.status)));
  if (filter.category) where.add("p.category = ? COLLATE NOCASE", *filter.category);
  if (filter.campaign_id) where.add("p.campaign_id = ?", *filter.campaign_id);
  if (filter.batch_id) where.add("p.batch_id = ?", *filter.batch_id);
  if (filter.search) {
    // An empty FTS query never matches; it is not sent to FTS5, which would reject it.
    const std::string query = fts_query(*filter.search);
    if (query.empty())
      where.add("0");
    else
      where.add("p.id IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)", query);
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

const char* order_of(PostSort sort) {
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

std::optional<PostStatus> parse_post_status(std::string_view text) {
  for (std::size_t i = 0; i < k_status_names.size(); ++i) {
    if (text == k_status_names[i]) return static_cast<PostStatus>(i);
  }
  return std::nullopt;
}

std::string_view to_string(RevisionSource source) { return k_source_names.at(static_cast<std::size_t>(source)); }

std::int64_t PostRepository::insert(const NewPost& post, TimestampMs now) {
  SQLite::Statement insert(sql(m_db), detail::k_insert_post_sql);
  detail::bind_new_post(insert, post, now);
  insert.exec();
  return sql(m_db).getLastInsertRowid();
}

std::optional<Post> PostRepository::find(std::int64_t post_id, std::int64_t user_id) {
  SQLite::Statement query(sql(m_db),
                          std::string("SELECT ") + k_post_columns + " FROM posts p WHERE p.id = ? AND p.user_id = ?");
  query.bind(1, post_id);
  query.bind(2, user_id);
  if (!query.executeStep()) return std::nullopt;
  return read_post(query);
}

std::optional<Post> PostRepository::find_any(std::int64_t post_id) {
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_post_columns + " FROM posts p WHERE p.id = ?");
  query.bind(1, post_id);
  if (!query.executeStep()) return std::nullopt;
  return read_post(query);
}

bool PostRepository::update(std::int64_t post_id, const PostChanges& changes, TimestampMs now) {
  // NULL means "keep": one statement for any combination of fields.
  SQLite::Statement update(sql(m_db), R"sql(
    UPDATE posts SET title = coalesce(?1, title), category = coalesce(?2, category), tone = coalesce(?3, tone),
                     prompt = coalesce(?4, prompt), provider = coalesce(?5, provider), model = coalesce(?6, model),
                     updated_at = ?7
    WHERE id = ?8)sql");
  const std::array fields{&changes.title,  &changes.category, &changes.tone,
                          &changes.prompt, &changes.provider, &changes.model};
  int index = 1;
  for (const auto* field : fields) {
    if (*field)
      update.bind(index++, **field);
    else
      update.bind(index++);
  }
  update.bind(7, now);
  update.bind(8, post_id);
  return update.exec() > 0;
}

void PostRepository::set_status(std::int64_t post_id, PostStatus status, std::string_view error, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE posts SET status = ?, error = ?, updated_at = ? WHERE id = ?");
  update.bind(1, std::string(to_string(status)));
  if (error.empty())
    update.bind(2);
  else
    update.bind(2, std::string(error));
  update.bind(3, now);
  update.bind(4, post_id);
  update.exec();
}

bool PostRepository::soft_delete(std::int64_t post_id, TimestampMs now) {
  SQLite::Statement update(sql(m_db),
                           "UPDATE posts SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2 AND deleted_at IS NULL");
  update.bind(1, now);
  update.bind(2, post_id);
  return update.exec() > 0;
}

bool PostRepository::restore(std::int64_t post_id, TimestampMs now) {
  SQLite::Statement update(
      sql(m_db), "UPDATE posts SET deleted_at = NULL, updated_at = ? WHERE id = ? AND deleted_at IS NOT NULL");
  update.bind(1, now);
  update.bind(2, post_id);
  return update.exec() > 0;
}

bool PostRepository::purge(std::int64_t post_id) {
  // Revisions and jobs go with the row (ON DELETE CASCADE); the log keeps its entries with post_id cleared.
  SQLite::Statement remove(sql(m_db), "DELETE FROM posts WHERE id = ?");
  remove.bind(1, post_id);
  return remove.exec() > 0;
}

std::vector<Post> PostRepository::list(const PostFilter& filter) {
  const Where where = where_of(filter);
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_post_columns + " FROM posts p" + where.text +
                                         order_of(filter.sort) + " LIMIT ? OFFSET ?");
  where.bind(query);
  const int next = static_cast<int>(where.values.size()) + 1;
  query.bind(next, filter.limit);
  query.bind(next + 1, filter.offset);
  std::vector<Post> posts;
  while (query.executeStep())
    posts.push_back(read_post(query));
  return posts;
}

std::int64_t PostRepository::count(const PostFilter& filter) {
  const Where where = where_of(filter);
  SQLite::Statement query(sql(m_db), "SELECT count(*) FROM posts p" + where.text);
  where.bind(query);
  query.executeStep();
  return query.getColumn(0).getInt64();
}

} // namespace blogen::store
