#include "dialect.hpp"
#include "post_rows.hpp"

namespace blogen::store {
namespace {

constexpr Columns k_revision_columns{"id, post_id, number, title, content, source, provider, model, created_at"};

RevisionSource parse_source(const std::string& text) {
  for (RevisionSource candidate :
       {RevisionSource::generated, RevisionSource::edited, RevisionSource::reverted, RevisionSource::imported}) {
    if (text == to_string(candidate)) return candidate;
  }
  return PostRevision{}.source;
}

PostRevision read_revision(Row& row) {
  return row.read(k_revision_columns, [](Row& r) {
    PostRevision revision;
    revision.id = r.get<std::int64_t>();
    revision.post_id = r.get<std::int64_t>();
    revision.number = r.get<int>();
    revision.title = r.get<std::string>();
    revision.content = r.get<std::string>();
    revision.source = parse_source(r.get<std::string>());
    revision.provider = r.get<std::string>();
    revision.model = r.get<std::string>();
    revision.created_at = r.get<std::int64_t>();
    return revision;
  });
}

// Inserts the next revision of a post (numbers are 1, 2, 3, ... per post); returns its number.
int insert_revision(Database& db, std::int64_t post_id, const NewRevision& revision, TimestampMs now) {
  Statement insert(db, R"sql(
    INSERT INTO post_revisions(post_id, number, title, content, source, provider, model, created_at)
    VALUES (?1, (SELECT coalesce(max(number), 0) + 1 FROM post_revisions WHERE post_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7))sql" +
                           dialect::returning("number"));
  bind_all(insert, post_id, revision.title, revision.content, to_string(revision.source), revision.provider,
           revision.model, now);
  const int number = single_value<int>(insert);
  while (insert.executeStep()) {} // finish the statement so the insert completes
  return number;
}

} // namespace

int PostRepository::add_revision(std::int64_t post_id, const NewRevision& revision, TimestampMs now) {
  WriteTransaction transaction(m_db);
  const int number = insert_revision(m_db, post_id, revision, now);
  Statement update(m_db, "UPDATE posts SET title = ?, content = ?, revision = ?, updated_at = ? WHERE id = ?");
  bind_all(update, revision.title, revision.content, number, now, post_id);
  update.exec();
  transaction.commit();
  return number;
}

std::vector<PostRevision> PostRepository::revisions(std::int64_t post_id) {
  Statement query(m_db,
                  "SELECT " + k_revision_columns.text() + " FROM post_revisions WHERE post_id = ? ORDER BY number");
  bind_all(query, post_id);
  return all_rows(query, read_revision);
}

std::optional<PostRevision> PostRepository::revision(std::int64_t post_id, int number) {
  Statement query(m_db,
                  "SELECT " + k_revision_columns.text() + " FROM post_revisions WHERE post_id = ? AND number = ?");
  bind_all(query, post_id, number);
  return first_row(query, read_revision);
}

int PostRepository::write_generated(std::int64_t post_id, const GeneratedPost& result, TimestampMs now) {
  WriteTransaction transaction(m_db);
  const int number = insert_revision(
      m_db, post_id, {result.title, result.content, RevisionSource::generated, result.provider, result.model}, now);
  Statement update(m_db, R"sql(
    UPDATE posts SET title = ?1, content = ?2, hashtags = ?3, provider = ?4, model = ?5, prompt_tokens = ?6,
                     completion_tokens = ?7, revision = ?8,
                     prompt = coalesce(?9, prompt), updated_at = ?10
    WHERE id = ?11)sql");
  bind_all(update, result.title, result.content, detail::to_json_list(result.hashtags), result.provider, result.model,
           result.prompt_tokens, result.completion_tokens, number, result.prompt, now, post_id);
  update.exec();
  transaction.commit();
  return number;
}

} // namespace blogen::store
