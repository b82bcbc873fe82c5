#include "dialect.hpp"
#include "job_rows.hpp"
#include "post_rows.hpp"
#include "sql.hpp"

#include <blogen/store/batch_repository.hpp>

namespace blogen::store {
namespace {

constexpr Columns k_batch_columns{"b.id, b.user_id, b.campaign_id, b.name, b.platform, b.images, b.concurrency, "
                                  "b.cancelled_at, b.created_at, b.updated_at"};

// Per-status job counts of the batches in the query, as extra columns after the batch's own.
constexpr Columns k_count_columns{
    "count(j.id), count(*) FILTER (WHERE j.status = 'pending'), count(*) FILTER (WHERE j.status = 'in_progress'), "
    "count(*) FILTER (WHERE j.status = 'completed'), count(*) FILTER (WHERE j.status = 'failed'), "
    "count(*) FILTER (WHERE j.status = 'cancelled'), min(j.started_at), max(j.finished_at)"};

Batch read_batch(Row& row) {
  return row.read(k_batch_columns, [](Row& r) {
    Batch batch;
    batch.id = r.get<std::int64_t>();
    batch.user_id = r.get<std::int64_t>();
    batch.campaign_id = r.get<std::int64_t>();
    batch.name = r.get<std::string>();
    batch.platform = r.get<std::string>();
    batch.images = r.get<bool>();
    batch.concurrency = r.get<int>();
    batch.cancelled_at = r.get<std::optional<std::int64_t>>();
    batch.created_at = r.get<std::int64_t>();
    batch.updated_at = r.get<std::int64_t>();
    return batch;
  });
}

BatchCounts read_counts(Row& row) {
  return row.read(k_count_columns, [](Row& r) {
    BatchCounts counts;
    counts.total = r.get<std::int64_t>();
    counts.pending = r.get<std::int64_t>();
    counts.running = r.get<std::int64_t>();
    counts.completed = r.get<std::int64_t>();
    counts.failed = r.get<std::int64_t>();
    counts.cancelled = r.get<std::int64_t>();
    counts.first_started_at = r.get<std::optional<std::int64_t>>();
    counts.last_finished_at = r.get<std::optional<std::int64_t>>();
    return counts;
  });
}

// The ids in the first column of every row.
std::vector<std::int64_t> read_ids(Statement& query) {
  return all_rows(query, [](Row& row) { return row.get<std::int64_t>(); });
}

} // namespace

std::int64_t BatchRepository::insert(const NewBatch& batch, TimestampMs now) {
  Statement insert(m_db, R"sql(
    INSERT INTO batches(user_id, campaign_id, name, platform, images, concurrency, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?))sql");
  bind_all(insert, batch.user_id, batch.campaign_id, batch.name, batch.platform, batch.images, batch.concurrency, now,
           now);
  insert.exec();
  return dialect::last_insert_id(m_db);
}

std::vector<std::int64_t> BatchRepository::insert_posts(std::int64_t batch_id, const std::vector<NewPost>& posts,
                                                        const NewJob& job, TimestampMs now) {
  // Many posts to a statement: a statement of its own for each post flushed the search index's pending words at
  // every one (SQLite's FTS5 writes them out when a statement opens its journal), a segment per post, 28% of
  // starting a batch. Ids rise in the order rows are inserted (SQLite's rowids and PostgreSQL's identity both
  // count up, and this transaction holds the writer lock), so the posts above the largest id before them are this
  // call's, in the order of `posts`.
  constexpr std::size_t k_rows_per_statement = 64;
  Statement largest(m_db, "SELECT coalesce(max(id), 0) FROM posts");
  const auto before = single_value<std::int64_t>(largest);
  const auto insert_some = [&](std::size_t from, std::size_t count) {
    Statement insert(m_db, detail::insert_posts_sql(count));
    int next = 1;
    for (std::size_t i = from; i < from + count; ++i) {
      NewPost batch_post = posts[i]; // every row joins this batch
      batch_post.batch_id = batch_id;
      next = detail::bind_new_post(insert, batch_post, now, next);
    }
    insert.exec();
  };
  for (std::size_t from = 0; from < posts.size(); from += k_rows_per_statement)
    insert_some(from, std::min(k_rows_per_statement, posts.size() - from));
  // Then their jobs, one statement for all, in the posts' order: the claim takes them oldest first.
  detail::insert_jobs_for_batch_posts(m_db, job, batch_id, before, now);
  Statement query(m_db, "SELECT id FROM posts WHERE batch_id = ? AND id > ? ORDER BY id");
  bind_all(query, batch_id, before);
  return read_ids(query);
}

std::optional<Batch> BatchRepository::find(std::int64_t batch_id, std::int64_t user_id) {
  Statement query(m_db, "SELECT " + k_batch_columns.text() + " FROM batches b WHERE b.id = ? AND b.user_id = ?");
  bind_all(query, batch_id, user_id);
  return first_row(query, read_batch);
}

std::vector<BatchWithCounts> BatchRepository::list_for_campaign(std::int64_t campaign_id, std::int64_t user_id) {
  Statement query(m_db, "SELECT " + k_batch_columns.text() + ", " + k_count_columns.text() +
                            " FROM batches b LEFT JOIN jobs j ON j.batch_id = b.id"
                            " WHERE b.campaign_id = ? AND b.user_id = ? GROUP BY b.id"
                            " ORDER BY b.created_at DESC, b.id DESC");
  bind_all(query, campaign_id, user_id);
  return all_rows(query, [](Row& row) {
    BatchWithCounts batch;
    batch.batch = read_batch(row);
    batch.counts = read_counts(row);
    return batch;
  });
}

std::vector<std::int64_t> BatchRepository::ids_for_campaign(std::int64_t campaign_id) {
  Statement query(m_db, "SELECT id FROM batches WHERE campaign_id = ? ORDER BY id");
  bind_all(query, campaign_id);
  return read_ids(query);
}

BatchCounts BatchRepository::counts(std::int64_t batch_id) {
  Statement query(m_db, "SELECT " + k_count_columns.text() + " FROM jobs j WHERE j.batch_id = ?");
  bind_all(query, batch_id);
  return first_row(query, read_counts).value_or(BatchCounts{});
}

std::vector<BatchPost> BatchRepository::posts(std::int64_t batch_id) {
  // The newest job of each post is the one that counts (a post normally has exactly one).
  Statement query(m_db, "SELECT " + detail::k_post_columns.text() +
                            ", j.id, j.status, coalesce(j.error, '') FROM posts p"
                            " LEFT JOIN jobs j ON j.id = (SELECT max(id) FROM jobs"
                            "   WHERE post_id = p.id AND batch_id = p.batch_id)"
                            " WHERE p.batch_id = ? AND p.deleted_at IS NULL ORDER BY p.id");
  bind_all(query, batch_id);
  return all_rows(query, [](Row& row) {
    BatchPost post;
    post.post = detail::read_post(row);
    post.job_id = row.get<std::optional<std::int64_t>>();
    if (const auto status = row.get<std::optional<std::string>>()) post.job_status = parse_job_status(*status);
    post.job_error = row.get<std::string>();
    return post;
  });
}

std::vector<std::int64_t> BatchRepository::job_ids(std::int64_t batch_id, JobStatus status) {
  Statement query(m_db, "SELECT id FROM jobs WHERE batch_id = ? AND status = ? ORDER BY id");
  bind_all(query, batch_id, to_string(status));
  return read_ids(query);
}

void BatchRepository::mark_cancelled(std::int64_t batch_id, TimestampMs now) {
  Statement update(m_db, "UPDATE batches SET cancelled_at = ?1, updated_at = ?1 WHERE id = ?2");
  bind_all(update, now, batch_id);
  update.exec();
}

void BatchRepository::set_post_image(std::int64_t post_id, const std::string& path, TimestampMs now) {
  Statement update(m_db, "UPDATE posts SET image_path = ?, updated_at = ? WHERE id = ?");
  bind_all(update, path, now, post_id);
  update.exec();
}

} // namespace blogen::store
