// Estimates of the generation call a queued post will make, from the same brief and template its job will use.
#include <blogen/app/budgets.hpp>
#include <blogen/app/generation_handler.hpp>
#include <blogen/core/error.hpp>
#include <blogen/gen/templates.hpp>

#include <fmt/format.h>

namespace blogen::app {

CallEstimate estimate_generation(store::Database& db, const gen::ProviderConfig& config, const store::NewPost& post,
                                 TimestampMs at) {
  const gen::Brief brief = brief_of(post);
  const auto tmpl = find_template_on(db, brief.template_name);
  if (!tmpl) throw Error(ErrorCode::usage, fmt::format("--template: unknown template '{}'", brief.template_name));
  gen::ChatRequest chat = gen::build_chat_request(*tmpl, brief);
  chat.model = post.model;
  return estimate_chat(db, config, chat, at);
}

} // namespace blogen::app
