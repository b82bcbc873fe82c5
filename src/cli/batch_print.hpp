#pragma once
// Printing batches and campaigns, shared by `campaign ...` and `batch ...`: the JSON documents and the human
// summaries, and the foreground run with its progress display.

#include "command.hpp"

#include <blogen/app/batches.hpp>
#include <blogen/store/campaign_repository.hpp>

#include <nlohmann/json.hpp>

#include <vector>

namespace blogen::cli {

/// A campaign as JSON.
nlohmann::json campaign_json(const store::Campaign& campaign);
/// A batch as JSON: ids, name, platform, images, status, counts and timings (ISO 8601).
nlohmann::json batch_json(const app::BatchView& view);
/// The posts of a batch as JSON: id, topic, platform, status, caption, hashtags, image path, error.
nlohmann::json batch_posts_json(const std::vector<store::BatchPost>& posts);

/// Prints a batch summary for people: name, status, counts, timings.
void print_batch(term::Output& out, const app::BatchView& view);
/// Prints the posts of a batch as a table, with the error of each failed one.
void print_batch_posts(term::Output& out, const std::vector<store::BatchPost>& posts);

/// Runs a batch's queued jobs here with a progress bar, then prints the batch (JSON with --json). Exit code: 0 when
/// every post completed, 1 when any failed or was cancelled, and Error{interrupted} (130) on Ctrl-C, the unfinished
/// jobs staying queued.
int run_batch_in_foreground(Env& env, std::int64_t batch_id, int concurrency, std::int64_t expected);

/// The exit code a finished batch reports: 0 when every post completed, 1 otherwise.
int batch_exit_code(const app::BatchView& view);

} // namespace blogen::cli
