#pragma once
// The job handlers that write posts with a provider. The shared core (run_post_generation) loads the post, builds
// the request from its template, calls the provider through ProviderCache's guarded provider (governor and retry
// policy), logs every attempt and turns the answer into an outcome; each post kind only says how an answer becomes
// stored text.

#include <blogen/app/context.hpp>
#include <blogen/app/provider_cache.hpp>
#include <blogen/gen/provider.hpp>
#include <blogen/gen/templates.hpp>
#include <blogen/jobs/handler.hpp>
#include <blogen/store/post_repository.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace blogen::app {

/// The job kind that writes a blog post.
inline constexpr std::string_view k_generate_blog = "generate_blog";

/// Whether the job streams its text as progress deltas.
enum class Stream { no, yes };

/// What a generation job carries beyond the post row (stored as the job's JSON payload).
struct GenerationPayload {
  Stream stream = Stream::no;
  std::optional<std::string> prompt; ///< a regeneration's new prompt; it becomes the post's prompt once it lands
  std::optional<std::int64_t> max_cost_nanos; ///< this run's --max-cost (see budgets.hpp)
  /// The payload as JSON text.
  [[nodiscard]] std::string to_json() const;
  /// Reads a payload; missing or malformed fields take their defaults.
  static GenerationPayload parse(std::string_view json);
};

/// How a post kind turns a successful answer into the text it stores (blog: title + Markdown body).
using AnswerToPost = std::function<store::GeneratedPost(const store::Post& post, const gen::ChatResult& answer)>;

/// The brief a post is written from: topic, title, tone, words, keywords, template, prompt, seed, audience, brand,
/// platform and free-text brief.
gen::Brief brief_of(const store::Post& post);
gen::Brief brief_of(const store::NewPost& post);
/// A template by name as this connection sees it (a user template first, else a built-in one), or nullopt.
std::optional<gen::Template> find_template_on(store::Database& db, const std::string& name);
/// Whether a provider error kind ("auth", "quota", ...) means retrying cannot help (auth, bad_request,
/// not_found_model, quota): the command line exits 5 for these.
bool is_permanent_provider_error(std::string_view error_kind);
/// The prompt as logged: each message as `role: content`, separated by blank lines.
std::string prompt_text(const gen::ChatRequest& request);

/// Runs one generation job for the job's post: marks it in progress, calls the provider (retries, governor, every
/// attempt logged, deltas forwarded when the payload streams) and returns an outcome whose `apply` writes the
/// result (new `generated` revision, status completed) or marks the post failed, leaving its text untouched.
jobs::JobOutcome run_post_generation(jobs::JobContext& job, ProviderCache& providers, const AnswerToPost& to_post);

/// The blog answer parser: title from the first `# ` heading (else the post's title or topic), Markdown body.
store::GeneratedPost blog_answer_to_post(const store::Post& post, const gen::ChatResult& answer);

/// The `generate_blog` handler.
jobs::JobHandler make_generate_blog_handler(std::shared_ptr<ProviderCache> providers);

} // namespace blogen::app
