#include "batches_common.hpp"

#include <blogen/app/generation_handler.hpp>

namespace blogen::app {

BatchRun run_batch(Context& context, std::int64_t batch_id, int concurrency, ProgressSink& progress,
                   std::stop_token stop) {
  const CurrentUser user = require_user(context);
  const store::Batch batch = detail::owned_batch(context.db(), user, batch_id);

  // A foreground run takes only this batch's social jobs, so it needs only their handler.
  auto providers = std::make_shared<ProviderCache>(context);
  jobs::HandlerMap handlers;
  handlers.emplace(std::string(k_generate_social), make_generate_social_handler(providers));

  jobs::WorkerPoolOptions options;
  options.concurrency = std::max(1, concurrency);
  options.scope.batch_id = batch.id;
  options.scope.kinds = {std::string(k_generate_social)};
  options.scope.user_id = user.id;
  options.stop_when = jobs::StopWhen::idle;
  jobs::WorkerPool pool(context.store_path(), std::move(handlers), progress, context.clock(), options);

  BatchRun run;
  run.summary = pool.run(stop);
  run.interrupted = stop.stop_requested();
  run.view = detail::view_of(context.db(), batch);
  return run;
}

} // namespace blogen::app
