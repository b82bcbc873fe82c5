#include <blogen/app/view_json.hpp>
#include <blogen/gen/answer.hpp>

namespace blogen::app {
namespace {

nlohmann::json time_or_null(const std::optional<TimestampMs>& ms) {
  return ms ? nlohmann::json(format_iso8601(*ms)) : nlohmann::json();
}

template <typename T> nlohmann::json value_or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

nlohmann::json text_or_null(const std::string& text) { return text.empty() ? nlohmann::json() : nlohmann::json(text); }

} // namespace

nlohmann::json campaign_json(const Campaign& campaign) {
  return {{"id", campaign.id},
          {"name", campaign.name},
          {"brand", campaign.brand},
          {"audience", campaign.audience},
          {"tone", campaign.tone},
          {"description", campaign.description},
          {"status", std::string(to_string(campaign.status))},
          {"created_at", format_iso8601(campaign.created_at)},
          {"updated_at", format_iso8601(campaign.updated_at)},
          {"deleted_at", time_or_null(campaign.deleted_at)}};
}

nlohmann::json batch_json(const BatchView& view) {
  const Batch& batch = view.batch;
  const BatchCounts& counts = view.counts;
  return {{"id", batch.id},
          {"campaign_id", batch.campaign_id},
          {"campaign", view.campaign_name},
          {"name", batch.name},
          {"platform", batch.platform},
          {"images", batch.images},
          {"concurrency", batch.concurrency},
          {"status", std::string(to_string(view.status))},
          {"counts",
           {{"total", counts.total},
            {"completed", counts.completed},
            {"failed", counts.failed},
            {"pending", counts.pending},
            {"running", counts.running},
            {"cancelled", counts.cancelled}}},
          {"created_at", format_iso8601(batch.created_at)},
          {"started_at", time_or_null(counts.first_started_at)},
          {"finished_at", batch_finished(view) ? time_or_null(counts.last_finished_at) : nlohmann::json()},
          {"cancelled_at", time_or_null(batch.cancelled_at)}};
}

nlohmann::json batch_posts_json(const std::vector<BatchPost>& posts) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& row : posts) {
    const Post& post = row.post;
    list.push_back({{"id", post.id},
                    {"job_id", value_or_null(row.job_id)},
                    {"topic", post.topic},
                    {"platform", post.platform},
                    {"tone", post.tone},
                    {"brand", post.brand},
                    {"audience", post.audience},
                    {"status", std::string(to_string(post.status))},
                    {"caption", post.content},
                    {"hashtags", post.hashtags},
                    {"image_path", value_or_null(post.image_path)},
                    {"error", batch_post_error(row)}});
  }
  return list;
}

nlohmann::json user_json(const UserView& user) {
  return {{"id", user.id},
          {"username", user.username},
          {"email", value_or_null(user.email)},
          {"is_admin", user.is_admin},
          {"disabled", user.disabled},
          {"created_at", format_iso8601(user.created_at)},
          {"last_login_at", time_or_null(user.last_login_at)}};
}

nlohmann::json job_json(const Job& job) {
  nlohmann::json duration = nullptr;
  if (job.started_at && job.finished_at) duration = *job.finished_at - *job.started_at;
  return {{"id", job.id},
          {"kind", job.kind},
          {"status", to_string(job.status)},
          {"attempts", job.attempts},
          {"max_attempts", job.max_attempts},
          {"post_id", value_or_null(job.post_id)},
          {"batch_id", value_or_null(job.batch_id)},
          {"error", text_or_null(job.error)},
          {"error_kind", text_or_null(job.error_kind)},
          {"provider", job.provider},
          {"model", job.model},
          {"prompt_tokens", job.prompt_tokens},
          {"completion_tokens", job.completion_tokens},
          {"cancel_requested", job.cancel_requested},
          {"run_after", format_iso8601(job.run_after)},
          {"created_at", format_iso8601(job.created_at)},
          {"started_at", time_or_null(job.started_at)},
          {"finished_at", time_or_null(job.finished_at)},
          {"duration_ms", duration}};
}

nlohmann::json job_call_json(const CallLogEntry& entry) {
  return {{"id", entry.id},
          {"provider", entry.provider},
          {"model", entry.model},
          {"call", entry.call},
          {"attempt", entry.attempt},
          {"status", entry.status},
          {"error", text_or_null(entry.error)},
          {"http_status", entry.http_status},
          {"prompt_tokens", entry.prompt_tokens},
          {"completion_tokens", entry.completion_tokens},
          {"latency_ms", entry.latency_ms},
          {"created_at", format_iso8601(entry.created_at)},
          {"prompt", entry.prompt},
          {"response", entry.response}};
}

nlohmann::json call_json(const CallLogEntry& entry) {
  // The same call as `job show` prints it, plus what ties it to its job and post. `blogen log` has always printed
  // an empty string, not null, for a call without error: scripts may rely on it.
  nlohmann::json json = job_call_json(entry);
  json["job_id"] = value_or_null(entry.job_id);
  json["post_id"] = value_or_null(entry.post_id);
  json["error"] = entry.error;
  return json;
}

nlohmann::json token_total_json(const TokenTotal& total) {
  return {{"provider", total.provider},
          {"model", total.model},
          {"calls", total.calls},
          {"prompt_tokens", total.prompt_tokens},
          {"completion_tokens", total.completion_tokens}};
}

nlohmann::json post_summary_json(const Post& post) {
  return {{"id", post.id},
          {"title", post.title},
          {"topic", post.topic},
          {"status", std::string(to_string(post.status))},
          {"category", post.category},
          {"tone", post.tone},
          {"words", gen::count_words(post.content)},
          {"revision", post.revision},
          {"provider", post.provider},
          {"model", post.model},
          {"error", text_or_null(post.error)},
          {"user_id", post.user_id},
          {"campaign_id", value_or_null(post.campaign_id)},
          {"created_at", format_iso8601(post.created_at)},
          {"updated_at", format_iso8601(post.updated_at)},
          {"deleted_at", time_or_null(post.deleted_at)}};
}

nlohmann::json revision_json(const PostRevision& revision) {
  return {{"number", revision.number},
          {"title", revision.title},
          {"source", std::string(to_string(revision.source))},
          {"provider", revision.provider},
          {"model", revision.model},
          {"words", gen::count_words(revision.content)},
          {"created_at", format_iso8601(revision.created_at)},
          {"content", revision.content}};
}

} // namespace blogen::app
