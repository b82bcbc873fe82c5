#pragma once
// Store-internal: how a new job row is written (shared by single enqueues and the batch bulk insert).

#include "connection.hpp"
#include "statement.hpp"

#include <blogen/store/job_repository.hpp>

namespace blogen::store::detail {

/// The INSERT of a new job; bind it with bind_new_job. Shared so that the column list exists once.
std::string insert_job_sql();
/// Binds every parameter of insert_job_sql() for `job`, created at `now` (and runnable from then, unless the job
/// says later).
void bind_new_job(Statement& insert, const NewJob& job, TimestampMs now);
/// Inserts one job shaped like `job` for each post of batch `batch_id` whose id is above `after_post` (the posts just
/// inserted), in one statement, in the posts' id order (post and batch filled in from the post).
void insert_jobs_for_batch_posts(Database& db, const NewJob& job, std::int64_t batch_id, std::int64_t after_post,
                                 TimestampMs now);

} // namespace blogen::store::detail
