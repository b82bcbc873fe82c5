#pragma once
// Store-internal: how a new job row is written (shared by single enqueues and the batch bulk insert).

#include "connection.hpp"
#include "statement.hpp"

#include <blogen/store/job_repository.hpp>

namespace blogen::store::detail {

/// The INSERT of a new job; bind it with bind_new_job. Shared so that the column list exists once.
extern const char* const k_insert_job_sql;
/// Binds every parameter of k_insert_job_sql for `job`, created at `now` (and runnable from then, unless the job
/// says later).
void bind_new_job(Statement& insert, const NewJob& job, TimestampMs now);

} // namespace blogen::store::detail
