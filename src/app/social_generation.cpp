#include "generation_common.hpp"
#include "posts_common.hpp"

#include <blogen/app/budgets.hpp>
#include <blogen/app/social_generation.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/core/paths.hpp>
#include <blogen/gen/answer.hpp>
#include <blogen/store/batch_repository.hpp>

#include <fmt/format.h>
#include <functional>
#include <nlohmann/json.hpp>

namespace blogen::app {
namespace {

// How the image step ended.
struct ImageStep {
  enum class Kind { stored, failed, stopped } kind = Kind::failed;
  std::string path;      ///< where the image belongs once its result is recorded
  std::string temp_path; ///< where it waits until then
  std::string error;
  std::string error_kind;
  std::string model;
};

ImageStep generate_image(jobs::JobContext& job, gen::GuardedProvider& provider, const store::Post& post) {
  const gen::ProviderConfig& config = provider.config();
  gen::ImageRequest request;
  request.prompt = image_prompt(post);
  request.model = config.image_model;
  request.timeout = config.request_timeout;
  request.brief = brief_of(post);

  const auto observe = [&](const gen::ImageResult& result, const gen::AttemptInfo& info) {
    if (result.error == gen::ErrorKind::cancelled) return; // nothing was asked of the provider worth recording
    detail::log_attempt(job, post.id, config, request, result, info);
  };
  ImageStep step;
  step.model = request.model;
  const BudgetVerdict budget =
      reserve_call(job, config, estimate_image(job.db, config, request.model, request.size, job.clock.now_ms()));
  if (budget.kind == BudgetVerdict::Kind::stopped) {
    step.kind = ImageStep::Kind::stopped;
    return step;
  }
  if (budget.kind == BudgetVerdict::Kind::refused) {
    step.error = "image: " + budget.message;
    step.error_kind = "budget";
    return step;
  }
  const gen::ImageResult result = provider.image(request, job.stop, observe);

  if (detail::stopped(result, job)) {
    step.kind = ImageStep::Kind::stopped;
    return step;
  }
  if (!result.ok) {
    step.error = detail::describe_failure(config, result);
    step.error_kind = std::string(gen::to_string(result.error));
    return step;
  }
  const std::string extension = image_extension(result.mime_type, result.bytes);
  if (extension.empty() || result.bytes.empty()) {
    step.error = fmt::format("image: provider {} sent no usable image (type '{}', {} bytes)", config.name,
                             result.mime_type, result.bytes.size());
    step.error_kind = std::string(gen::to_string(gen::ErrorKind::malformed_response));
    return step;
  }
  try {
    const std::filesystem::path dir = paths::images_dir(job.db.path());
    files::create_private_directories(dir);
    // Written under a name of this attempt's own: the image moves into place only after its result commits
    // (JobOutcome::after_commit), so a worker that lost its lease never overwrites the image of the one that won.
    const std::filesystem::path file = dir / fmt::format("{}.{}", post.id, extension);
    const std::filesystem::path temp = dir / fmt::format(".{}.{}.job{}-{:x}.part", post.id, extension, job.job.id,
                                                         std::hash<std::string>{}(job.worker_id));
    files::write_atomically(temp, result.bytes);
    step.path = file.string();
    step.temp_path = temp.string();
  } catch (const std::exception& e) {
    step.error = fmt::format("image: saving the image failed: {}", describe_failure(e));
    step.error_kind = "internal";
    return step;
  }
  step.kind = ImageStep::Kind::stored;
  return step;
}

jobs::JobOutcome run_social(jobs::JobContext& job, ProviderCache& providers) {
  jobs::JobOutcome outcome;
  outcome.kind = jobs::OutcomeKind::failed;
  outcome.error_kind = "internal";
  if (!job.job.post_id) {
    outcome.error = "the job names no post";
    return outcome;
  }
  const std::int64_t post_id = *job.job.post_id;
  const SocialPayload payload = SocialPayload::parse(job.job.payload);
  auto post = store::PostRepository(job.db).find_any(post_id);
  if (!post || post->deleted_at) {
    outcome.error = fmt::format("post {} was deleted", post_id);
    return outcome;
  }

  // A caption that landed on an earlier attempt stays: only the image step is left to do.
  const bool has_caption = post->revision > 0 && !post->content.empty();
  jobs::JobOutcome caption;
  if (!has_caption) {
    caption = run_post_generation(job, providers, social_answer_to_post);
    if (caption.kind != jobs::OutcomeKind::completed || payload.images == Images::no) return caption;
  } else if (payload.images == Images::no || post->image_path) {
    caption.kind = jobs::OutcomeKind::completed;
    caption.result = {post->provider, post->model, 0, 0};
    return caption; // completing the job completes the post
  }

  std::shared_ptr<gen::GuardedProvider> provider;
  try {
    provider = providers.get(post->provider, job.db);
  } catch (const Error& e) {
    outcome.error = fmt::format("image: {}", e.what());
  }
  const ImageStep step = provider ? generate_image(job, *provider, *post) : ImageStep{};
  if (step.kind == ImageStep::Kind::stopped) return detail::stopped_outcome();

  Clock& clock = job.clock;
  auto write_caption = std::move(caption.apply);
  if (step.kind == ImageStep::Kind::failed) {
    // The caption is kept; the post fails naming the image step, and a retry redoes only the image.
    outcome.error = provider ? step.error : outcome.error;
    outcome.error_kind = provider ? step.error_kind : "internal";
    outcome.result = caption.result;
    outcome.apply = write_caption; // failing the job fails the post with this error
    return outcome;
  }
  jobs::JobOutcome done;
  done.kind = jobs::OutcomeKind::completed;
  done.result = has_caption ? store::JobResult{provider->config().name, step.model, 0, 0} : caption.result;
  done.apply = [post_id, write_caption, path = step.path, &clock](store::Database& db) {
    if (write_caption) write_caption(db);
    store::BatchRepository(db).set_post_image(post_id, path, clock.now_ms());
  };
  done.after_commit = [temp = step.temp_path, path = step.path] { std::filesystem::rename(temp, path); };
  done.discard = [temp = step.temp_path] {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
  };
  return done;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

} // namespace

std::string SocialPayload::to_json() const {
  nlohmann::json json = nlohmann::json::object();
  json["images"] = images == Images::yes;
  return json.dump();
}

SocialPayload SocialPayload::parse(std::string_view json) {
  SocialPayload payload;
  const auto parsed = nlohmann::json::parse(json, nullptr, false);
  if (!parsed.is_object()) return payload;
  if (auto it = parsed.find("images"); it != parsed.end() && it->is_boolean() && it->get<bool>()) {
    payload.images = Images::yes;
  }
  return payload;
}

store::GeneratedPost social_answer_to_post(const store::Post& post, const gen::ChatResult& answer) {
  store::GeneratedPost generated;
  generated.title = !post.title.empty() ? post.title : post.topic;
  generated.content = text::trim(gen::strip_wrapping_fence(answer.text));
  generated.hashtags = gen::extract_hashtags(generated.content);
  generated.model = answer.model;
  return generated;
}

std::string image_extension(std::string_view mime_type, std::string_view bytes) {
  std::string mime(mime_type.substr(0, mime_type.find(';')));
  if (mime == "image/png") return "png";
  if (mime == "image/jpeg" || mime == "image/jpg") return "jpg";
  if (mime == "image/webp") return "webp";
  if (mime == "image/svg+xml") return "svg";
  if (starts_with(bytes, "\x89PNG")) return "png";
  if (starts_with(bytes, "\xFF\xD8\xFF")) return "jpg";
  if (starts_with(bytes, "RIFF") && bytes.size() >= 12 && bytes.substr(8, 4) == "WEBP") return "webp";
  if (starts_with(bytes, "<svg") || (starts_with(bytes, "<?xml") && bytes.find("<svg") != std::string_view::npos)) {
    return "svg";
  }
  return {};
}

std::string image_prompt(const store::Post& post) {
  std::string prompt =
      fmt::format("An eye-catching {} image for {} about: {}.", post.platform.empty() ? "social media" : post.platform,
                  post.brand.empty() ? "the brand" : post.brand, post.topic);
  if (!post.tone.empty()) prompt += fmt::format(" Mood: {}.", post.tone);
  if (!post.audience.empty()) prompt += fmt::format(" Audience: {}.", post.audience);
  prompt += " No text in the image.";
  return prompt;
}

jobs::JobHandler make_generate_social_handler(std::shared_ptr<ProviderCache> providers) {
  return [providers = std::move(providers)](jobs::JobContext& job) { return run_social(job, *providers); };
}

} // namespace blogen::app
