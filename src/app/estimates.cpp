// Estimates of the generation call a queued post will make, from the same brief and template its job will use.
#include <blogen/app/budgets.hpp>
#include <blogen/app/generation_handler.hpp>
#include <blogen/core/error.hpp>
#include <blogen/gen/templates.hpp>

#include <fmt/format.h>

namespace blogen::app {
namespace {

// The post as the generation job will read it back from the store.
store::Post as_queued(const store::NewPost& fresh) {
  store::Post post;
  post.kind = fresh.kind;
  post.title = fresh.title;
  post.topic = fresh.topic;
  post.prompt = fresh.prompt;
  post.tone = fresh.tone;
  post.keywords = fresh.keywords;
  post.target_words = fresh.target_words;
  post.template_name = fresh.template_name;
  post.audience = fresh.audience;
  post.brand = fresh.brand;
  post.platform = fresh.platform;
  post.brief = fresh.brief;
  post.seed = fresh.seed;
  return post;
}

} // namespace

CallEstimate estimate_generation(store::Database& db, const gen::ProviderConfig& config, const store::NewPost& post,
                                 TimestampMs at) {
  const gen::Brief brief = brief_of(as_queued(post));
  const auto tmpl = find_template_on(db, brief.template_name);
  if (!tmpl) throw Error(ErrorCode::usage, fmt::format("--template: unknown template '{}'", brief.template_name));
  gen::ChatRequest chat = gen::build_chat_request(*tmpl, brief);
  chat.model = post.model;
  return estimate_chat(db, config, chat, at);
}

} // namespace blogen::app
