#include "batches_common.hpp"
#include "field_checks.hpp"
#include "posts_common.hpp"

#include <blogen/app/costs.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/store/job_repository.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace blogen::app {
namespace {

using text::trim;

constexpr std::size_t k_max_batch_name_chars = 255;

std::vector<BatchRow> read_rows(const Context& context, const StartBatchRequest& request,
                                const store::Campaign& campaign) {
  const int sources = (request.file ? 1 : 0) + (request.topics.empty() ? 0 : 1) + (request.count ? 1 : 0);
  if (sources != 1) throw Error(ErrorCode::usage, "give exactly one of --file, --topic or --count");
  if (request.count) {
    if (*request.count < 1 || static_cast<std::size_t>(*request.count) > k_max_batch_rows) {
      throw Error(ErrorCode::usage,
                  fmt::format("--count must be between 1 and {}, got {}", k_max_batch_rows, *request.count));
    }
    return rows_from_topics(derive_topics({campaign.brand, campaign.audience, campaign.description}, *request.count));
  }
  if (!request.topics.empty()) return rows_from_topics(request.topics);
  const std::string& file = *request.file;
  if (file == "-") {
    const std::string text = files::read_stdin();
    return parse_batch_input(text, sniff_format(text), "stdin");
  }
  if (file.empty()) throw Error(ErrorCode::usage, "--file is empty (give a path, or - for stdin)");
  context.refuse_store_file(file, "--file");
  const std::string text = files::read_all(file);
  return parse_batch_input(text, format_from_extension(file).value_or(sniff_format(text)), file);
}

std::string checked_platform(const std::optional<std::string>& platform) {
  if (!platform) return social_platforms().back();
  std::string lower = text::lower(trim(*platform));
  const auto& platforms = social_platforms();
  if (std::find(platforms.begin(), platforms.end(), lower) == platforms.end()) {
    throw Error(ErrorCode::usage, fmt::format("--platform: unknown platform '{}'; use one of: {}", *platform,
                                              fmt::join(platforms, ", ")));
  }
  return lower;
}

std::string checked_name(const std::optional<std::string>& name, TimestampMs now) {
  if (!name) return "Batch " + format_short_time(now);
  std::string trimmed(trim(*name));
  if (trimmed.empty()) throw Error(ErrorCode::usage, "--name is empty");
  if (text::utf8_length(trimmed) > k_max_batch_name_chars || trimmed.find_first_of("\r\n") != std::string::npos) {
    throw Error(ErrorCode::usage,
                fmt::format("--name must be one line of at most {} characters", k_max_batch_name_chars));
  }
  return trimmed;
}

// A run checked and laid out, nothing written yet: what start_batch stores and estimate_batch prices.
struct PlannedBatch {
  store::NewBatch batch;
  std::vector<store::NewPost> posts;
  gen::ProviderConfig provider;
  std::optional<std::int64_t> max_cost;
};

PlannedBatch plan_batch(Context& context, const StartBatchRequest& request) {
  const CurrentUser user = require_user(context);
  store::Database& db = context.db();
  // Ownership first: another user's campaign is "not found" before any flag or file is looked at.
  const store::Campaign campaign = detail::live_campaign(db, user, request.campaign_id);
  if (campaign.status == store::CampaignStatus::archived) {
    throw Error(ErrorCode::usage, fmt::format("campaign {} is archived; run 'blogen campaign update {} --status "
                                              "active' to run it again",
                                              campaign.id, campaign.id));
  }
  const TimestampMs now = context.clock().now_ms();
  PlannedBatch plan;
  store::NewBatch& batch = plan.batch;
  batch.user_id = user.id;
  batch.campaign_id = campaign.id;
  batch.name = checked_name(request.name, now);
  batch.platform = checked_platform(request.platform);
  batch.images = request.images == Images::yes;
  plan.provider = detail::checked_provider(context, request.provider);
  batch.concurrency = detail::checked_concurrency(request.concurrency, plan.provider.max_concurrency);
  const std::string model = request.model ? detail::checked_model(*request.model) : std::string();
  if (request.max_cost) plan.max_cost = parse_usd(*request.max_cost, "--max-cost");

  // The whole input is read and checked before the first write: a bad row leaves the store as it was.
  const std::vector<BatchRow> rows = read_rows(context, request, campaign);
  plan.posts.reserve(rows.size());
  for (const BatchRow& row : rows) {
    store::NewPost post;
    post.user_id = user.id;
    post.kind = "social";
    post.campaign_id = campaign.id;
    post.topic = row.topic;
    post.brief = row.brief;
    post.tone = !row.tone.empty() ? row.tone : campaign.tone;
    post.audience = !row.target_audience.empty() ? row.target_audience : campaign.audience;
    post.brand = !row.brand_name.empty() ? row.brand_name : campaign.brand;
    post.platform = !row.platform.empty() ? row.platform : batch.platform;
    post.template_name = "social-caption";
    post.provider = request.provider ? plan.provider.name : std::string();
    post.model = model;
    post.status = store::PostStatus::pending;
    plan.posts.push_back(std::move(post));
  }
  return plan;
}

} // namespace

StartedBatch start_batch(Context& context, const StartBatchRequest& request) {
  const PlannedBatch plan = plan_batch(context, request);
  store::Database& db = context.db();
  const TimestampMs now = context.clock().now_ms();
  store::NewJob job;
  job.user_id = plan.batch.user_id;
  job.kind = std::string(k_generate_social);
  job.payload = SocialPayload{request.images}.to_json();

  store::WriteTransaction transaction(db);
  store::BatchRepository batches(db);
  const std::int64_t batch_id = batches.insert(plan.batch, now);
  batches.insert_posts(batch_id, plan.posts, job, now);
  if (plan.max_cost) store::CostRepository(db).set_batch_budget(batch_id, plan.max_cost);
  transaction.commit();

  StartedBatch started;
  started.view = detail::view_of(db, *batches.find(batch_id, plan.batch.user_id));
  started.concurrency = plan.batch.concurrency;
  return started;
}

RunEstimate estimate_batch(Context& context, const StartBatchRequest& request) {
  const PlannedBatch plan = plan_batch(context, request);
  store::Database& db = context.db();
  const TimestampMs now = context.clock().now_ms();
  gen::ProviderConfig config = plan.provider;
  config.max_concurrency = plan.batch.concurrency; // the run's workers are its width
  RunEstimate run;
  run.provider = config.name;
  const std::string model = plan.posts.empty() ? std::string() : plan.posts.front().model;
  run.model = !model.empty() ? model : config.model;
  const std::string image_size = gen::ImageRequest().size; // what the image step asks for
  for (const store::NewPost& post : plan.posts) {
    add_call(run, estimate_generation(db, config, post, now));
    if (plan.batch.images) add_call(run, estimate_image(db, config, config.image_model, image_size, now));
  }
  run.wall_time = estimate_wall_time(config, run);
  return run;
}

} // namespace blogen::app
