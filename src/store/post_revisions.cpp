#include "post_rows.hpp"

namespace blogen::store {
namespace {

PostRevision read_revision(SQLite::Statement& query) {
  PostRevision revision;
  revision.id = query.getColumn(0).getInt64();
  revision.post_id = query.getColumn(1).getInt64();
  revision.number = query.getColumn(2).getInt();
  revision.title = query.getColumn(3).getString();
  revision.content = query.getColumn(4).getString();
  const std::string source = query.getColumn(5).getString();
  for (RevisionSource candidate :
       {RevisionSource::generated, RevisionSource::edited, RevisionSource::reverted, RevisionSource::imported}) {
    if (source == to_string(candidate)) revision.source = candidate;
  }
  revision.provider = query.getColumn(6).getString();
  revision.model = query.getColumn(7).getString();
  revision.created_at = query.getColumn(8).getInt64();
  return revision;
}

constexpr const char* k_revision_columns = "id, post_id, number, title, content, source, provider, model, created_at";

// Inserts the next revision of a post (numbers are 1, 2, 3, ... per post); returns its number.
int insert_revision(Database& db, std::int64_t post_id, const NewRevision& revision, TimestampMs now) {
  SQLite::Statement insert(sql(db), R"sql(
    INSERT INTO post_revisions(post_id, number, title, content, source, provider, model, created_at)
    VALUES (?1, (SELECT coalesce(max(number), 0) + 1 FROM post_revisions WHERE post_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)
    RETURNING number)sql");
  insert.bind(1, post_id);
  insert.bind(2, revision.title);
  insert.bind(3, revision.content);
  insert.bind(4, std::string(to_string(revision.source)));
  insert.bind(5, revision.provider);
  insert.bind(6, revision.model);
  insert.bind(7, now);
  insert.executeStep();
  const int number = insert.getColumn(0).getInt();
  while (insert.executeStep()) {}
  return number;
}

} // namespace

int PostRepository::add_revision(std::int64_t post_id, const NewRevision& revision, TimestampMs now) {
  WriteTransaction transaction(m_db);
  const int number = insert_revision(m_db, post_id, revision, now);
  SQLite::Statement update(sql(m_db),
                           "UPDATE posts SET title = ?, content = ?, revision = ?, updated_at = ? WHERE id = ?");
  update.bind(1, revision.title);
  update.bind(2, revision.content);
  update.bind(3, number);
  update.bind(4, now);
  update.bind(5, post_id);
  update.exec();
  transaction.commit();
  return number;
}

std::vector<PostRevision> PostRepository::revisions(std::int64_t post_id) {
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_revision_columns +
                                         " FROM post_revisions WHERE post_id = ? ORDER BY number");
  query.bind(1, post_id);
  std::vector<PostRevision> revisions;
  while (query.executeStep())
    revisions.push_back(read_revision(query));
  return revisions;
}

std::optional<PostRevision> PostRepository::revision(std::int64_t post_id, int number) {
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_revision_columns +
                                         " FROM post_revisions WHERE post_id = ? AND number = ?");
  query.bind(1, post_id);
  query.bind(2, number);
  if (!query.executeStep()) return std::nullopt;
  return read_revision(query);
}

int PostRepository::write_generated(std::int64_t post_id, const GeneratedPost& result, TimestampMs now) {
  WriteTransaction transaction(m_db);
  const int number = insert_revision(
      m_db, post_id, {result.title, result.content, RevisionSource::generated, result.provider, result.model}, now);
  SQLite::Statement update(sql(m_db), R"sql(
    UPDATE posts SET title = ?1, content = ?2, hashtags = ?3, provider = ?4, model = ?5, prompt_tokens = ?6,
                     completion_tokens = ?7, revision = ?8, status = 'completed', error = NULL,
                     prompt = coalesce(?9, prompt), updated_at = ?10
    WHERE id = ?11)sql");
  update.bind(1, result.title);
  update.bind(2, result.content);
  update.bind(3, detail::to_json_list(result.hashtags));
  update.bind(4, result.provider);
  update.bind(5, result.model);
  update.bind(6, result.prompt_tokens);
  update.bind(7, result.completion_tokens);
  update.bind(8, number);
  if (result.prompt)
    update.bind(9, *result.prompt);
  else
    update.bind(9);
  update.bind(10, now);
  update.bind(11, post_id);
  update.exec();
  transaction.commit();
  return number;
}

} // namespace blogen::store
