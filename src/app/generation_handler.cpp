#include <blogen/app/generation_handler.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/core/error.hpp>
#include <blogen/gen/answer.hpp>
#include <blogen/gen/governor.hpp>
#include <blogen/gen/retry.hpp>
#include <blogen/store/config_repository.hpp>
#include <blogen/store/generation_log_repository.hpp>
#include <blogen/store/job_repository.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>

namespace blogen::app {
namespace {

jobs::JobOutcome failure(std::string error, std::string error_kind, std::int64_t post_id, Clock& clock) {
  jobs::JobOutcome outcome;
  outcome.kind = jobs::OutcomeKind::failed;
  outcome.error = error;
  outcome.error_kind = std::move(error_kind);
  // Only the status changes: a failed regeneration keeps the text and revisions the post had.
  outcome.apply = [post_id, error = std::move(error), &clock](store::Database& db) {
    store::PostRepository(db).set_status(post_id, store::PostStatus::failed, error, clock.now_ms());
  };
  return outcome;
}

void log_attempt(jobs::JobContext& job, const store::Post& post, const gen::ProviderConfig& config,
                 const gen::ChatRequest& request, const gen::ChatResult& result, int attempt) {
  store::GenerationLogEntry entry;
  entry.user_id = job.job.user_id;
  entry.job_id = job.job.id;
  entry.post_id = post.id;
  entry.provider = config.name;
  entry.model = !result.model.empty() ? result.model : !request.model.empty() ? request.model : config.model;
  entry.call = "chat";
  entry.attempt = attempt;
  entry.prompt = prompt_text(request);
  entry.response = result.text;
  entry.status = result.ok ? "ok" : std::string(gen::to_string(result.error));
  entry.error = result.error_message;
  entry.http_status = result.http_status;
  entry.prompt_tokens = result.usage.prompt_tokens;
  entry.completion_tokens = result.usage.completion_tokens;
  entry.latency_ms = result.latency.count();
  entry.created_at = job.clock.now_ms();
  store::GenerationLogRepository(job.db).append(entry);
}

void emit(jobs::JobContext& job, jobs::ProgressKind kind, std::int64_t post_id, std::string text,
          std::int64_t tokens = 0) {
  jobs::ProgressEvent event;
  event.kind = kind;
  event.job_id = job.job.id;
  event.post_id = post_id;
  event.text = std::move(text);
  event.tokens = tokens;
  event.at = job.clock.now_ms();
  job.progress.on_event(event);
}

std::string describe_failure(const gen::ProviderConfig& config, const gen::ChatResult& result) {
  std::string message = fmt::format("provider {} failed ({})", config.name, gen::to_string(result.error));
  if (result.http_status != 0) message += fmt::format(", HTTP {}", result.http_status);
  if (!result.error_message.empty()) message += ": " + result.error_message;
  if (result.attempts > 1) message += fmt::format(" after {} attempts", result.attempts);
  return message;
}

} // namespace

std::string GenerationPayload::to_json() const {
  nlohmann::json json = nlohmann::json::object();
  json["stream"] = stream == Stream::yes;
  if (prompt) json["prompt"] = *prompt;
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

GenerationPayload GenerationPayload::parse(std::string_view json) {
  GenerationPayload payload;
  const auto parsed = nlohmann::json::parse(json, nullptr, false);
  if (!parsed.is_object()) return payload;
  if (auto it = parsed.find("stream"); it != parsed.end() && it->is_boolean() && it->get<bool>()) {
    payload.stream = Stream::yes;
  }
  if (auto it = parsed.find("prompt"); it != parsed.end() && it->is_string()) payload.prompt = it->get<std::string>();
  return payload;
}

std::shared_ptr<gen::Provider> ProviderCache::get(const std::string& name) {
  std::lock_guard lock(m_mutex);
  auto& slot = m_providers[name];
  if (!slot) {
    slot = make_provider(resolve_provider_config(m_context, name.empty() ? std::nullopt : std::optional(name)));
  }
  return slot;
}

gen::Brief brief_of(const store::Post& post) {
  gen::Brief brief;
  brief.kind = post.kind;
  if (!post.template_name.empty())
    brief.template_name = post.template_name;
  else if (post.kind == "social")
    brief.template_name = "social-caption";
  brief.topic = post.topic;
  brief.title = post.title;
  if (!post.tone.empty()) brief.tone = post.tone;
  if (post.target_words > 0) brief.words = post.target_words;
  brief.keywords = post.keywords;
  brief.audience = post.audience;
  brief.brand = post.brand;
  brief.platform = post.platform;
  brief.brief = post.brief;
  brief.prompt = post.prompt;
  brief.seed = post.seed;
  return brief;
}

std::optional<gen::Template> find_template_on(store::Database& db, const std::string& name) {
  if (auto stored = store::TemplateRepository(db).find(name)) {
    return gen::Template{stored->name, stored->system_prompt, stored->user_prompt, false};
  }
  if (const gen::Template* builtin = gen::find_builtin_template(name)) return *builtin;
  return std::nullopt;
}

bool is_permanent_provider_error(std::string_view error_kind) {
  constexpr std::array k_permanent{gen::ErrorKind::auth, gen::ErrorKind::bad_request, gen::ErrorKind::not_found_model,
                                   gen::ErrorKind::quota};
  for (const auto kind : k_permanent) {
    if (error_kind == gen::to_string(kind)) return true;
  }
  return false;
}

std::string prompt_text(const gen::ChatRequest& request) {
  std::string text;
  for (const auto& message : request.messages) {
    if (!text.empty()) text += "\n\n";
    text += message.role + ": " + message.content;
  }
  return text;
}

jobs::JobOutcome run_post_generation(jobs::JobContext& job, ProviderCache& providers, const AnswerToPost& to_post) {
  Clock& clock = job.clock;
  if (!job.job.post_id) return failure("the job names no post", "internal", 0, clock);
  const std::int64_t post_id = *job.job.post_id;
  store::PostRepository posts(job.db);
  auto post = posts.find_any(post_id);
  if (!post || post->deleted_at) {
    jobs::JobOutcome outcome;
    outcome.kind = jobs::OutcomeKind::failed;
    outcome.error = fmt::format("post {} was deleted", post_id);
    outcome.error_kind = "internal";
    return outcome;
  }

  const GenerationPayload payload = GenerationPayload::parse(job.job.payload);
  gen::Brief brief = brief_of(*post);
  if (payload.prompt) brief.prompt = *payload.prompt;
  const auto tmpl = find_template_on(job.db, brief.template_name);
  if (!tmpl) {
    return failure(fmt::format("unknown template '{}'", brief.template_name), "bad_request", post_id, clock);
  }

  std::shared_ptr<gen::Provider> provider;
  try {
    provider = providers.get(post->provider);
  } catch (const Error& e) {
    return failure(e.what(), "internal", post_id, clock);
  }
  const gen::ProviderConfig& config = provider->config();

  gen::ChatRequest request = gen::build_chat_request(*tmpl, brief);
  request.stream = payload.stream == Stream::yes;
  if (!post->model.empty()) request.model = post->model;
  request.timeout = config.request_timeout;

  posts.set_status(post_id, store::PostStatus::in_progress, post->error, clock.now_ms());

  std::int64_t pieces = 0;
  const gen::DeltaCallback on_delta = [&](std::string_view delta) {
    emit(job, jobs::ProgressKind::delta, post_id, std::string(delta), ++pieces);
  };
  gen::Governor& governor = gen::governor_for(config);
  const auto attempt = [&](int) {
    gen::Governor::Permit permit = governor.acquire(job.stop);
    if (!permit) {
      gen::ChatResult cancelled;
      cancelled.error = gen::ErrorKind::cancelled;
      cancelled.error_message = "stopped before the call";
      return cancelled;
    }
    return provider->chat(request, on_delta, job.stop);
  };
  const auto observe = [&](const gen::ChatResult& result, const gen::AttemptInfo& info) {
    if (result.error == gen::ErrorKind::cancelled) return; // nothing was asked of the provider worth recording
    log_attempt(job, *post, config, request, result, info.attempt);
    if (info.will_retry) emit(job, jobs::ProgressKind::retrying, post_id, describe_failure(config, result));
  };
  const gen::ChatResult result =
      gen::run_with_retry(gen::RetryPolicy::from_config(config), clock, job.stop, attempt, observe);

  if (result.error == gen::ErrorKind::cancelled || (!result.ok && job.stop.stop_requested())) {
    // Shutdown gives the job back (the post waits again); a cancel request ends it (the post is cancelled).
    const bool cancel_requested = store::JobRepository(job.db).cancel_requested(job.job.id);
    posts.set_status(post_id, cancel_requested ? store::PostStatus::cancelled : store::PostStatus::pending, post->error,
                     clock.now_ms());
    jobs::JobOutcome outcome;
    outcome.kind = jobs::OutcomeKind::cancelled;
    outcome.error = "stopped";
    outcome.error_kind = "cancelled";
    return outcome;
  }
  if (!result.ok) {
    return failure(describe_failure(config, result), std::string(gen::to_string(result.error)), post_id, clock);
  }

  store::GeneratedPost generated = to_post(*post, result);
  generated.provider = config.name;
  if (generated.model.empty()) generated.model = !result.model.empty() ? result.model : config.model;
  generated.prompt_tokens = result.usage.prompt_tokens;
  generated.completion_tokens = result.usage.completion_tokens;
  if (payload.prompt) generated.prompt = payload.prompt;

  jobs::JobOutcome outcome;
  outcome.kind = jobs::OutcomeKind::completed;
  outcome.result = {generated.provider, generated.model, generated.prompt_tokens, generated.completion_tokens};
  outcome.apply = [post_id, generated = std::move(generated), &clock](store::Database& db) {
    store::PostRepository(db).write_generated(post_id, generated, clock.now_ms());
  };
  return outcome;
}

store::GeneratedPost blog_answer_to_post(const store::Post& post, const gen::ChatResult& answer) {
  const std::string fallback = !post.title.empty() ? post.title : gen::brief_topic(brief_of(post));
  const gen::ParsedAnswer parsed = gen::parse_answer(answer.text, fallback);
  store::GeneratedPost generated;
  // A title the writer chose wins over the model's heading.
  generated.title = !post.title.empty() ? post.title : parsed.title;
  generated.content = parsed.body;
  generated.model = answer.model;
  return generated;
}

jobs::JobHandler make_generate_blog_handler(std::shared_ptr<ProviderCache> providers) {
  return [providers = std::move(providers)](jobs::JobContext& job) {
    return run_post_generation(job, *providers, blog_answer_to_post);
  };
}

} // namespace blogen::app
