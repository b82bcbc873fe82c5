#pragma once
// The records that commands show, named in app's vocabulary. The cli layer prints these and includes only app,
// term and core headers: it never names a store header or namespace, so the store can change how it keeps a record
// without the printing side noticing (and a second store engine plugs in below app).

#include <blogen/gen/answer.hpp>
#include <blogen/store/batch_repository.hpp>
#include <blogen/store/campaign_repository.hpp>
#include <blogen/store/generation_log_repository.hpp>
#include <blogen/store/job_repository.hpp>
#include <blogen/store/post_repository.hpp>
#include <blogen/store/user_repository.hpp>

namespace blogen::app {

using Campaign = store::Campaign;
using Batch = store::Batch;
using BatchCounts = store::BatchCounts;
using BatchPost = store::BatchPost;
using Post = store::Post;
using PostStatus = store::PostStatus;
using PostRevision = store::PostRevision;
using SearchHit = store::SearchHit;
using DeletedFilter = store::DeletedFilter;
using Job = store::Job;
using JobStatus = store::JobStatus;
using CallLogEntry = store::GenerationLogEntry;
using TokenTotal = store::TokenTotal;
using Role = store::Role;
using AccountState = store::AccountState;

/// The word count shown for posts and revisions.
using gen::count_words;
using store::campaign_status_names;
using store::job_status_names;
using store::parse_job_status;
using store::post_status_names;
using store::to_string;

/// Marks around each match in a SearchHit's snippet.
inline constexpr char k_match_open = store::k_match_open;
inline constexpr char k_match_close = store::k_match_close;

} // namespace blogen::app
