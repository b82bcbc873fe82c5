// `blogen batch ...`: one run of a campaign: show, retry, cancel, export.
#include "batch_views.hpp"
#include "commands.hpp"
#include "foreground_batch.hpp"
#include "foreground_job.hpp"
#include "present.hpp"

#include <blogen/app/batches.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>

#include <fmt/format.h>

#include <iostream>

namespace blogen::cli {
namespace {

struct BatchOptions {
  std::int64_t id = 0;
  bool posts = false;
  bool detach = false;
  std::optional<int> concurrency;
  std::optional<std::string> max_cost;
  std::string format = "csv";
  std::string out = "-";
};

void add_batch_id(CLI::App* command, const std::shared_ptr<BatchOptions>& options) {
  command->add_option("id", options->id, "Batch id")->required();
}

void add_batch_show(CLI::App& batch, Registry& registry) {
  auto options = make_options<BatchOptions>();
  auto* command = batch.add_subcommand("show", "Show a batch: status, counts, timings (and its posts with --posts)");
  add_batch_id(command, options);
  command->add_flag("--posts", options->posts, "Also list the batch's posts with their captions and errors");
  command->footer("Needs: a session. Status: pending, running, completed, completed_with_errors, failed or cancelled.");
  registry.on(command, [options](Env& env) {
    BatchDetails details{app::get_batch(env.app(), options->id), std::nullopt, app::batch_cost(env.app(), options->id)};
    if (options->posts) details.posts = app::batch_posts(env.app(), options->id);
    present(env.out(), details);
    return 0;
  });
}

void add_batch_retry(CLI::App& batch, Registry& registry) {
  auto options = make_options<BatchOptions>();
  auto* command = batch.add_subcommand("retry", "Queue a batch's failed posts again and write them");
  add_batch_id(command, options);
  command->add_option("--concurrency", options->concurrency, "Posts written at once (default: the batch's)");
  command->add_option("--max-cost", options->max_cost,
                      "A new budget for the batch's run, in USD (after 'budget reached')");
  command->add_flag("--detach", options->detach, "Only queue them; a 'blogen worker' writes them");
  command->footer("Needs: a session. Only failed posts are queued again; a post whose caption landed and whose image\n"
                  "failed redoes only the image. Without --detach the batch's queued posts are written here.\n"
                  "Exit: 0 when every post completed, 1 when any failed, 130 on Ctrl-C.");
  registry.on(command, [options](Env& env) {
    const auto provider = app::batch_provider(env.app(), options->id);
    if (!options->detach) app::require_credentials(env.app(), provider); // before any post is queued again
    const app::RetriedBatch retried = app::retry_batch(env.app(), options->id, options->concurrency, options->max_cost);
    auto& out = env.out();
    if (options->detach) {
      warn_if_no_credentials(env, provider);
      nlohmann::json document = app::batch_json(retried.view);
      document["requeued"] = retried.requeued;
      present(out, Outcome{document,
                           fmt::format("Queued {} failed posts of batch {} again.", retried.requeued, options->id),
                           {},
                           {std::to_string(retried.requeued)}});
      return 0;
    }
    out.note(fmt::format("Batch {}: {} failed posts queued again.", options->id, retried.requeued));
    const auto& counts = retried.view.counts;
    return run_batch_in_foreground(env, options->id, retried.concurrency, counts.pending + counts.running);
  });
}

void add_batch_cancel(CLI::App& batch, Registry& registry) {
  auto options = make_options<BatchOptions>();
  auto* command = batch.add_subcommand("cancel", "Cancel a batch's queued and running posts");
  add_batch_id(command, options);
  command->footer("Needs: a session. Posts already written stay; running ones stop when their worker notices.");
  registry.on(command, [options](Env& env) {
    const app::CancelledBatch cancelled = app::cancel_batch(env.app(), options->id);
    nlohmann::json document = app::batch_json(cancelled.view);
    document["cancelled_jobs"] = cancelled.cancelled;
    present(env.out(), Outcome{document,
                               fmt::format("Cancelled {} posts of batch {}.", cancelled.cancelled, options->id),
                               {},
                               {std::to_string(cancelled.cancelled)}});
    return 0;
  });
}

void add_batch_export(CLI::App& batch, Registry& registry) {
  auto options = make_options<BatchOptions>();
  auto* command = batch.add_subcommand("export", "Export a batch's posts as CSV or JSON");
  add_batch_id(command, options);
  registry.one_of(command->add_option("--format", options->format, "csv (default) or json"), {"csv", "json"});
  command->add_option("--out", options->out, "File to write (0600, replaced atomically), or - for stdout (default)");
  command->footer("Needs: a session. Columns: id, topic, platform, caption, hashtags, image_path, status, error.\n"
                  "CSV cells that a spreadsheet would run as a formula (=, +, -, @) start with a ' instead.");
  registry.on(command, [options](Env& env) {
    const app::BatchExportFormat format =
        options->format == "json" ? app::BatchExportFormat::json : app::BatchExportFormat::csv;
    const std::string text = app::export_batch(env.app(), options->id, format);
    if (options->out == "-") {
      // The export is the output, whatever --json says, so it can be piped into a file; a terminal gets it
      // neutralised like every other text a model wrote.
      env.out().document(text);
      return 0;
    }
    env.app().refuse_store_file(options->out, "--out");
    files::write_atomically(options->out, text);
    present(env.out(), Outcome{{{"batch_id", options->id}, {"out", options->out}, {"format", options->format}},
                               {},
                               fmt::format("Wrote batch {} to {}.", options->id, options->out),
                               {}});
    return 0;
  });
}

} // namespace

void add_batch_commands(CLI::App& root, Registry& registry) {
  auto* batch = root.add_subcommand("batch", "Batches of social posts: show, retry, cancel, export");
  batch->footer("A batch is one 'blogen campaign run'; 'blogen campaign batches ID' lists a campaign's batches.");
  add_batch_show(*batch, registry);
  add_batch_retry(*batch, registry);
  add_batch_cancel(*batch, registry);
  add_batch_export(*batch, registry);
}

} // namespace blogen::cli
