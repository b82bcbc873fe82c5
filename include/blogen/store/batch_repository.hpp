#pragma once
// Batches: one run of a campaign, a set of social posts each filled by one `generate_social` job. A batch stores
// only what was asked (name, platform, images, concurrency); how far it got is always derived from its jobs, so
// the numbers can never drift from the queue.

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>
#include <blogen/store/job_repository.hpp>
#include <blogen/store/post_repository.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace blogen::store {

/// One row of the batches table.
struct Batch {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::int64_t campaign_id = 0;
  std::string name;
  std::string platform;
  bool images = false; ///< whether each post also gets an image
  int concurrency = 0; ///< workers a foreground run uses (0: the provider's)
  std::optional<TimestampMs> cancelled_at;
  TimestampMs created_at = 0;
  TimestampMs updated_at = 0;
};

/// What is needed to insert a batch.
struct NewBatch {
  std::int64_t user_id = 0;
  std::int64_t campaign_id = 0;
  std::string name;
  std::string platform = "generic";
  bool images = false;
  int concurrency = 0;
};

/// How the jobs of a batch stand, counted in one query, with the first start and the last finish.
struct BatchCounts {
  std::int64_t total = 0;
  std::int64_t pending = 0;
  std::int64_t running = 0;
  std::int64_t completed = 0;
  std::int64_t failed = 0;
  std::int64_t cancelled = 0;
  std::optional<TimestampMs> first_started_at;
  std::optional<TimestampMs> last_finished_at;
};

/// A batch and its counts.
struct BatchWithCounts {
  Batch batch;
  BatchCounts counts;
};

/// A post of a batch with the job that fills it.
struct BatchPost {
  Post post;
  std::optional<std::int64_t> job_id;
  std::optional<JobStatus> job_status;
  std::string job_error; ///< the job's error (a post's own error says more; this covers jobs that never ran)
};

/// The batches table and the batch-wide writes to its posts, on one connection.
class BatchRepository {
public:
  explicit BatchRepository(Database& db) : m_db(db) {}

  /// Inserts a batch; returns its id.
  std::int64_t insert(const NewBatch& batch, TimestampMs now);
  /// Inserts `posts` into the batch, each with one job shaped like `job` (kind, payload, attempts; post and batch
  /// filled in). Many rows to a statement, so tens of thousands of rows take well under a second; call it inside a
  /// WriteTransaction so the batch lands whole or not at all. Returns the post ids, in the order of `posts`.
  std::vector<std::int64_t> insert_posts(std::int64_t batch_id, const std::vector<NewPost>& posts, const NewJob& job,
                                         TimestampMs now);
  /// The batch with this id owned by `user_id`, or nullopt.
  std::optional<Batch> find(std::int64_t batch_id, std::int64_t user_id);
  /// The batches of a campaign owned by `user_id`, newest first, with their counts (one grouped query).
  std::vector<BatchWithCounts> list_for_campaign(std::int64_t campaign_id, std::int64_t user_id);
  /// The ids of every batch of a campaign.
  std::vector<std::int64_t> ids_for_campaign(std::int64_t campaign_id);
  /// Job counts per status of a batch (one grouped query).
  BatchCounts counts(std::int64_t batch_id);
  /// The live posts of a batch in insertion order, each with its job.
  std::vector<BatchPost> posts(std::int64_t batch_id);
  /// The ids of the batch's jobs in a status.
  std::vector<std::int64_t> job_ids(std::int64_t batch_id, JobStatus status);
  /// Records a cancellation: sets cancelled_at. (The posts follow their jobs: JobRepository::cancel_for_batch.)
  void mark_cancelled(std::int64_t batch_id, TimestampMs now);
  /// Records where a post's image file is.
  void set_post_image(std::int64_t post_id, const std::string& path, TimestampMs now);

private:
  Database& m_db;
};

} // namespace blogen::store
