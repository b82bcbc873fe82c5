#include <blogen/app/generation_handler.hpp>
#include <blogen/app/job_handlers.hpp>
#include <blogen/app/social_generation.hpp>

#include <memory>

namespace blogen::app {

jobs::HandlerMap job_handlers(Context& context) {
  // One provider cache for every handler: each provider (and its governor) is built once per process.
  auto providers = std::make_shared<ProviderCache>(context);
  jobs::HandlerMap handlers;
  handlers[std::string(k_generate_blog)] = make_generate_blog_handler(providers);
  handlers[std::string(k_generate_social)] = make_generate_social_handler(providers);
  return handlers;
}

std::vector<std::string> job_kind_names() { return {std::string(k_generate_blog), std::string(k_generate_social)}; }

} // namespace blogen::app
