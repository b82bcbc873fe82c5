#include "field_checks.hpp"
#include "posts_common.hpp"

#include <blogen/app/configuration.hpp>
#include <blogen/app/costs.hpp>
#include <blogen/app/generation_handler.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/core/error.hpp>
#include <blogen/gen/templates.hpp>
#include <blogen/store/job_repository.hpp>

#include <fmt/format.h>

namespace blogen::app {
namespace {

using text::trim;

constexpr std::size_t k_max_keyword_chars = 100;

std::vector<std::string> check_keywords(const std::vector<std::string>& keywords) {
  std::vector<std::string> checked;
  for (const auto& keyword : keywords) {
    detail::check_storable(keyword, "--keyword");
    std::string trimmed(trim(keyword));
    if (trimmed.empty()) throw Error(ErrorCode::usage, "--keyword is empty");
    if (text::utf8_length(trimmed) > k_max_keyword_chars) {
      throw Error(ErrorCode::usage, fmt::format("--keyword is longer than {} characters", k_max_keyword_chars));
    }
    if (trimmed.find_first_of("\n\r") != std::string::npos) {
      throw Error(ErrorCode::usage, "--keyword must be a single line");
    }
    checked.push_back(std::move(trimmed));
  }
  if (checked.size() > k_max_keywords) {
    throw Error(ErrorCode::usage, fmt::format("--keyword: at most {} keywords", k_max_keywords));
  }
  return checked;
}

// Validates everything before anything is written, so a rejected command leaves the store as it was.
store::NewPost validated_post(Context& context, const CreatePostRequest& request, std::int64_t user_id) {
  store::NewPost post;
  post.user_id = user_id;
  if (!request.topic && !request.prompt) throw Error(ErrorCode::usage, "--topic or --prompt is required");
  if (request.topic) {
    detail::check_storable(*request.topic, "--topic");
    post.topic = trim(*request.topic);
    if (post.topic.empty()) throw Error(ErrorCode::usage, "--topic is empty");
    if (text::utf8_length(post.topic) > k_max_topic_chars) {
      throw Error(ErrorCode::usage, fmt::format("--topic is longer than {} characters", k_max_topic_chars));
    }
    if (post.topic.find_first_of("\n\r") != std::string::npos) {
      throw Error(ErrorCode::usage, "--topic must be a single line");
    }
  }
  if (request.prompt) post.prompt = detail::check_prompt(*request.prompt, "--prompt");
  if (request.title) post.title = detail::check_title(*request.title, "--title");
  const PostOptions& options = request.options;
  if (options.category) post.category = detail::check_category(*options.category, "--category");
  post.tone = options.tone ? detail::check_tone(*options.tone, "--tone") : post_tones().front();
  post.target_words = options.words.value_or(k_default_words);
  if (post.target_words < k_min_words || post.target_words > k_max_words) {
    throw Error(ErrorCode::usage,
                fmt::format("--words must be between {} and {}, got {}", k_min_words, k_max_words, post.target_words));
  }
  post.keywords = check_keywords(options.keywords);
  post.template_name = options.template_name.value_or("blog-post");
  (void)find_template(context, post.template_name); // Error{usage} naming --template
  if (options.provider) post.provider = detail::checked_provider(context, options.provider).name;
  if (options.model) post.model = detail::checked_model(*options.model);
  post.seed = request.seed.value_or(0);
  post.status = store::PostStatus::pending;
  return post;
}

} // namespace

RunEstimate estimate_post(Context& context, const CreatePostRequest& request) {
  const CurrentUser user = require_user(context);
  const store::NewPost fresh = validated_post(context, request, user.id);
  if (request.options.max_cost) (void)parse_usd(*request.options.max_cost, "--max-cost");
  const gen::ProviderConfig config = resolve_provider_config(
      context, fresh.provider.empty() ? std::nullopt : std::optional<std::string>(fresh.provider));
  RunEstimate run;
  run.provider = config.name;
  run.model = !fresh.model.empty() ? fresh.model : config.model;
  add_call(run, estimate_generation(context.db(), config, fresh, context.clock().now_ms()));
  run.wall_time = estimate_wall_time(config, run);
  return run;
}

QueuedPost create_post(Context& context, const CreatePostRequest& request) {
  const CurrentUser user = require_user(context);
  const store::NewPost post = validated_post(context, request, user.id);
  std::optional<std::int64_t> max_cost;
  if (request.options.max_cost) max_cost = parse_usd(*request.options.max_cost, "--max-cost");
  store::Database& db = context.db();
  const TimestampMs now = context.clock().now_ms();
  store::WriteTransaction transaction(db);
  QueuedPost queued;
  queued.post_id = store::PostRepository(db).insert(post, now);
  store::NewJob job;
  job.user_id = user.id;
  job.kind = std::string(k_generate_blog);
  job.post_id = queued.post_id;
  job.payload = GenerationPayload{request.stream, std::nullopt, max_cost}.to_json();
  queued.job_id = store::JobRepository(db).enqueue(job, now);
  transaction.commit();
  return queued;
}

} // namespace blogen::app
