#include "connection.hpp"
#include "post_rows.hpp"

#include <blogen/store/batch_repository.hpp>

namespace blogen::store {
namespace {

constexpr const char* k_batch_columns = "b.id, b.user_id, b.campaign_id, b.name, b.platform, b.images, b.concurrency, "
                                        "b.cancelled_at, b.created_at, b.updated_at";
constexpr int k_batch_column_count = 10;

// Per-status job counts of the batches in the query, as extra columns after the batch's own.
constexpr const char* k_count_columns =
    "count(j.id), coalesce(sum(j.status = 'pending'), 0), coalesce(sum(j.status = 'in_progress'), 0), "
    "coalesce(sum(j.status = 'completed'), 0), coalesce(sum(j.status = 'failed'), 0), "
    "coalesce(sum(j.status = 'cancelled'), 0), min(j.started_at), max(j.finished_at)";

Batch read_batch(SQLite::Statement& query) {
  Batch batch;
  batch.id = query.getColumn(0).getInt64();
  batch.user_id = query.getColumn(1).getInt64();
  batch.campaign_id = query.getColumn(2).getInt64();
  batch.name = query.getColumn(3).getString();
  batch.platform = query.getColumn(4).getString();
  batch.images = query.getColumn(5).getInt() != 0;
  batch.concurrency = query.getColumn(6).getInt();
  if (auto c = query.getColumn(7); !c.isNull()) batch.cancelled_at = c.getInt64();
  batch.created_at = query.getColumn(8).getInt64();
  batch.updated_at = query.getColumn(9).getInt64();
  return batch;
}

BatchCounts read_counts(SQLite::Statement& query, int first) {
  BatchCounts counts;
  counts.total = query.getColumn(first).getInt64();
  counts.pending = query.getColumn(first + 1).getInt64();
  counts.running = query.getColumn(first + 2).getInt64();
  counts.completed = query.getColumn(first + 3).getInt64();
  counts.failed = query.getColumn(first + 4).getInt64();
  counts.cancelled = query.getColumn(first + 5).getInt64();
  if (auto c = query.getColumn(first + 6); !c.isNull()) counts.first_started_at = c.getInt64();
  if (auto c = query.getColumn(first + 7); !c.isNull()) counts.last_finished_at = c.getInt64();
  return counts;
}

} // namespace

std::int64_t BatchRepository::insert(const NewBatch& batch, TimestampMs now) {
  SQLite::Statement insert(sql(m_db), R"sql(
    INSERT INTO batches(user_id, campaign_id, name, platform, images, concurrency, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?))sql");
  insert.bind(1, batch.user_id);
  insert.bind(2, batch.campaign_id);
  insert.bind(3, batch.name);
  insert.bind(4, batch.platform);
  insert.bind(5, batch.images ? 1 : 0);
  insert.bind(6, batch.concurrency);
  insert.bind(7, now);
  insert.bind(8, now);
  insert.exec();
  return sql(m_db).getLastInsertRowid();
}

std::vector<std::int64_t> BatchRepository::insert_posts(std::int64_t batch_id, const std::vector<NewPost>& posts,
                                                        const NewJob& job, TimestampMs now) {
  SQLite::Database& db = sql(m_db);
  SQLite::Statement insert_post(db, detail::k_insert_post_sql);
  SQLite::Statement insert_job(db, R"sql(
    INSERT INTO jobs(user_id, kind, post_id, batch_id, payload, max_attempts, run_after, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  std::vector<std::int64_t> ids;
  ids.reserve(posts.size());
  for (const NewPost& post : posts) {
    detail::bind_new_post(insert_post, post, now);
    insert_post.bind(4, batch_id); // every row joins this batch
    insert_post.exec();
    insert_post.reset();
    const std::int64_t post_id = db.getLastInsertRowid();
    ids.push_back(post_id);

    insert_job.bind(1, job.user_id);
    insert_job.bind(2, job.kind);
    insert_job.bind(3, post_id);
    insert_job.bind(4, batch_id);
    insert_job.bind(5, job.payload);
    insert_job.bind(6, job.max_attempts < 1 ? 1 : job.max_attempts);
    insert_job.bind(7, job.run_after == 0 ? now : job.run_after);
    insert_job.bind(8, now);
    insert_job.bind(9, now);
    insert_job.exec();
    insert_job.reset();
  }
  return ids;
}

std::optional<Batch> BatchRepository::find(std::int64_t batch_id, std::int64_t user_id) {
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_batch_columns +
                                         " FROM batches b WHERE b.id = ? AND b.user_id = ?");
  query.bind(1, batch_id);
  query.bind(2, user_id);
  if (!query.executeStep()) return std::nullopt;
  return read_batch(query);
}

std::vector<BatchWithCounts> BatchRepository::list_for_campaign(std::int64_t campaign_id, std::int64_t user_id) {
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_batch_columns + ", " + k_count_columns +
                                         " FROM batches b LEFT JOIN jobs j ON j.batch_id = b.id"
                                         " WHERE b.campaign_id = ? AND b.user_id = ? GROUP BY b.id"
                                         " ORDER BY b.created_at DESC, b.id DESC");
  query.bind(1, campaign_id);
  query.bind(2, user_id);
  std::vector<BatchWithCounts> batches;
  while (query.executeStep()) {
    BatchWithCounts row;
    row.batch = read_batch(query);
    row.counts = read_counts(query, k_batch_column_count);
    batches.push_back(std::move(row));
  }
  return batches;
}

std::vector<std::int64_t> BatchRepository::ids_for_campaign(std::int64_t campaign_id) {
  SQLite::Statement query(sql(m_db), "SELECT id FROM batches WHERE campaign_id = ? ORDER BY id");
  query.bind(1, campaign_id);
  std::vector<std::int64_t> ids;
  while (query.executeStep())
    ids.push_back(query.getColumn(0).getInt64());
  return ids;
}

BatchCounts BatchRepository::counts(std::int64_t batch_id) {
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + k_count_columns + " FROM jobs j WHERE j.batch_id = ?");
  query.bind(1, batch_id);
  if (!query.executeStep()) return {};
  return read_counts(query, 0);
}

std::vector<BatchPost> BatchRepository::posts(std::int64_t batch_id) {
  // The newest job of each post is the one that counts (a post normally has exactly one).
  SQLite::Statement query(sql(m_db), std::string("SELECT ") + detail::k_post_columns +
                                         ", j.id, j.status, coalesce(j.error, '') FROM posts p"
                                         " LEFT JOIN jobs j ON j.id = (SELECT max(id) FROM jobs"
                                         "   WHERE post_id = p.id AND batch_id = p.batch_id)"
                                         " WHERE p.batch_id = ? AND p.deleted_at IS NULL ORDER BY p.id");
  query.bind(1, batch_id);
  std::vector<BatchPost> posts;
  while (query.executeStep()) {
    BatchPost row;
    row.post = detail::read_post(query);
    const int first = detail::k_post_column_count;
    if (auto c = query.getColumn(first); !c.isNull()) row.job_id = c.getInt64();
    if (auto c = query.getColumn(first + 1); !c.isNull()) row.job_status = parse_job_status(c.getString());
    row.job_error = query.getColumn(first + 2).getString();
    posts.push_back(std::move(row));
  }
  return posts;
}

std::vector<std::int64_t> BatchRepository::job_ids(std::int64_t batch_id, JobStatus status) {
  SQLite::Statement query(sql(m_db), "SELECT id FROM jobs WHERE batch_id = ? AND status = ? ORDER BY id");
  query.bind(1, batch_id);
  query.bind(2, std::string(to_string(status)));
  std::vector<std::int64_t> ids;
  while (query.executeStep())
    ids.push_back(query.getColumn(0).getInt64());
  return ids;
}

void BatchRepository::mark_cancelled(std::int64_t batch_id, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE batches SET cancelled_at = ?1, updated_at = ?1 WHERE id = ?2");
  update.bind(1, now);
  update.bind(2, batch_id);
  update.exec();
  cancel_waiting_posts(batch_id, now);
}

void BatchRepository::cancel_waiting_posts(std::int64_t batch_id, TimestampMs now) {
  SQLite::Statement update(sql(m_db), R"sql(
    UPDATE posts SET status = 'cancelled', updated_at = ?1
    WHERE batch_id = ?2 AND status = 'pending'
      AND id IN (SELECT post_id FROM jobs WHERE batch_id = ?2 AND status = 'cancelled'))sql");
  update.bind(1, now);
  update.bind(2, batch_id);
  update.exec();
}

void BatchRepository::set_post_image(std::int64_t post_id, const std::string& path, TimestampMs now) {
  SQLite::Statement update(sql(m_db), "UPDATE posts SET image_path = ?, updated_at = ? WHERE id = ?");
  update.bind(1, path);
  update.bind(2, now);
  update.bind(3, post_id);
  update.exec();
}

} // namespace blogen::store
