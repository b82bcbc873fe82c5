#include "generation_common.hpp"

#include <blogen/app/budgets.hpp>
#include <blogen/app/generation_handler.hpp>
#include <blogen/core/error.hpp>
#include <blogen/gen/answer.hpp>
#include <blogen/store/config_repository.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>

namespace blogen::app {
namespace {

// Nothing is written to the post: failing the job fails it (with this error), and a failed regeneration keeps the
// text and revisions the post had.
jobs::JobOutcome failure(std::string error, std::string error_kind) {
  jobs::JobOutcome outcome;
  outcome.kind = jobs::OutcomeKind::failed;
  outcome.error = std::move(error);
  outcome.error_kind = std::move(error_kind);
  return outcome;
}

void emit(jobs::JobContext& job, ProgressKind kind, std::int64_t post_id, std::string text, std::int64_t tokens = 0) {
  ProgressEvent event;
  event.kind = kind;
  event.job_id = job.job.id;
  event.post_id = post_id;
  event.text = std::move(text);
  event.tokens = tokens;
  event.at = job.clock.now_ms();
  job.progress.on_event(event);
}

} // namespace

std::string GenerationPayload::to_json() const {
  nlohmann::json json = nlohmann::json::object();
  json["stream"] = stream == Stream::yes;
  if (prompt) json["prompt"] = *prompt;
  if (max_cost_nanos) json["max_cost_nanos"] = *max_cost_nanos;
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
  if (auto it = parsed.find("max_cost_nanos"); it != parsed.end() && it->is_number_integer()) {
    payload.max_cost_nanos = it->get<std::int64_t>();
  }
  return payload;
}

namespace {

// One reading of a post's brief for both shapes of a post: the stored one a job reads back, and the one about to be
// queued that an estimate prices (store::NewPost has the same fields).
template <typename PostFields> gen::Brief brief_from(const PostFields& post) {
  gen::Brief brief;
  brief.kind = post.kind;
  if (!post.template_name.empty()) {
    brief.template_name = post.template_name;
  } else if (post.kind == "social") {
    brief.template_name = "social-caption";
  }
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

} // namespace

gen::Brief brief_of(const store::Post& post) { return brief_from(post); }

gen::Brief brief_of(const store::NewPost& post) { return brief_from(post); }

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
  if (!job.job.post_id) return failure("the job names no post", "internal");
  const std::int64_t post_id = *job.job.post_id;
  // The reads before the call see one snapshot: each read on its own found the pool's writer had committed since the
  // last one and re-read the pages it needs (see store::ReadTransaction). Ended before the call, or by a write.
  store::ReadTransaction reads(job.db);
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
    return failure(fmt::format("unknown template '{}'", brief.template_name), "bad_request");
  }

  std::shared_ptr<gen::GuardedProvider> provider;
  try {
    provider = providers.get(post->provider, job.db);
  } catch (const Error& e) {
    return failure(e.what(), "internal");
  }
  const gen::ProviderConfig& config = provider->config();

  gen::ChatRequest request = gen::build_chat_request(*tmpl, brief);
  request.stream = payload.stream == Stream::yes;
  if (!post->model.empty()) request.model = post->model;
  request.timeout = config.request_timeout;

  std::int64_t pieces = 0;
  const gen::DeltaCallback on_delta = [&](std::string_view delta) {
    emit(job, ProgressKind::delta, post_id, std::string(delta), ++pieces);
  };
  const auto observe = [&](const gen::ChatResult& result, const gen::AttemptInfo& info) {
    if (result.error == gen::ErrorKind::cancelled) return; // nothing was asked of the provider worth recording
    detail::log_attempt(job, post_id, config, request, result, info);
    if (info.will_retry) emit(job, ProgressKind::retrying, post_id, detail::describe_failure(config, result));
  };
  // The budget check and reservation happen here, next to the call, so every worker and process sees them.
  const BudgetVerdict budget = reserve_call(job, config, estimate_chat(job.db, config, request, clock.now_ms()));
  if (budget.kind == BudgetVerdict::Kind::stopped) return detail::stopped_outcome();
  if (budget.kind == BudgetVerdict::Kind::refused) return failure(budget.message, "budget");
  reads.end();
  const gen::ChatResult result = provider->chat(request, on_delta, job.stop, observe);

  if (detail::stopped(result, job)) return detail::stopped_outcome();
  if (!result.ok) return failure(detail::describe_failure(config, result), std::string(gen::to_string(result.error)));

  store::GeneratedPost generated = to_post(*post, result);
  generated.provider = config.name;
  if (generated.model.empty()) generated.model = !result.model.empty() ? result.model : config.model;
  generated.prompt_tokens = result.usage.prompt_tokens;
  generated.completion_tokens = result.usage.completion_tokens;
  if (payload.prompt) generated.prompt = payload.prompt;

  jobs::JobOutcome outcome;
  outcome.kind = jobs::OutcomeKind::completed;
  outcome.result = {generated.provider, generated.model, generated.prompt_tokens, generated.completion_tokens};
  // A title the writer set while the provider was writing (`blog update --title` on the pending post) wins over the
  // model's heading as one set before the job started does: read in the transaction that records the result, so it
  // cannot be lost between the two.
  outcome.apply = [post_id, generated = std::move(generated), title_was_set = !post->title.empty(),
                   &clock](store::Database& db) mutable {
    store::PostRepository posts_now(db);
    if (!title_was_set) {
      if (const auto current = posts_now.find_any(post_id); current && !current->title.empty()) {
        generated.title = current->title;
      }
    }
    posts_now.write_generated(post_id, generated, clock.now_ms());
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
