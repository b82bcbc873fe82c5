#pragma once
// The JSON shape of each record a command prints with --json. It lives in app, beside the view types, because it
// is data, not presentation: the machine contract scripts rely on, shared by `--json` output and by exports
// (post_json in post_export.hpp is the full post). Times are ISO 8601 UTC; absent values are null.

#include <blogen/app/accounts.hpp>
#include <blogen/app/batches.hpp>
#include <blogen/app/views.hpp>

#include <nlohmann/json.hpp>

#include <vector>

namespace blogen::app {

/// {id, name, brand, audience, tone, description, status, created_at, updated_at, deleted_at}.
nlohmann::json campaign_json(const Campaign& campaign);
/// A batch: ids, name, platform, images, status, counts and timings (finished_at only once nothing is left).
nlohmann::json batch_json(const BatchView& view);
/// The posts of a batch: id, job_id, topic, platform, tone, brand, audience, status, caption, hashtags, image_path,
/// error.
nlohmann::json batch_posts_json(const std::vector<BatchPost>& posts);
/// {id, username, email, is_admin, disabled, created_at, last_login_at} (null when never).
nlohmann::json user_json(const UserView& user);
/// {id, kind, status, attempts, max_attempts, post_id, batch_id, error, error_kind, provider, model, tokens,
/// cancel_requested, run_after, created_at, started_at, finished_at, duration_ms}.
nlohmann::json job_json(const Job& job);
/// One provider call of a job (`job show`): error null when none; no job or post id (the job holds them).
nlohmann::json job_call_json(const CallLogEntry& entry);
/// One provider call of the call log (`log`): with its job and post ids, error "" when none.
nlohmann::json call_json(const CallLogEntry& entry);
/// Tokens used by one provider and model.
nlohmann::json token_total_json(const TokenTotal& total);
/// The fields a listing shows per post (no text, a word count instead).
nlohmann::json post_summary_json(const Post& post);
/// A revision with its text.
nlohmann::json revision_json(const PostRevision& revision);

} // namespace blogen::app
