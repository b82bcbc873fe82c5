#include "batch_views.hpp"

#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

void print_summary(term::Output& out, const app::BatchView& view) {
  const app::Batch& batch = view.batch;
  const app::BatchCounts& counts = view.counts;
  out.line(fmt::format("batch {}: {} (campaign {}: {})", batch.id, term::sanitize_single_line(batch.name),
                       batch.campaign_id, term::sanitize_single_line(view.campaign_name)));
  out.line(fmt::format("status:    {}", app::to_string(view.status)));
  out.line(fmt::format("posts:     {} total, {} completed, {} failed, {} pending, {} running, {} cancelled",
                       counts.total, counts.completed, counts.failed, counts.pending, counts.running,
                       counts.cancelled));
  out.line(fmt::format("platform:  {}{}", batch.platform, batch.images ? ", with images" : ""));
  out.line(fmt::format("created:   {}", format_short_time(batch.created_at)));
  if (counts.first_started_at) out.line(fmt::format("started:   {}", format_short_time(*counts.first_started_at)));
  if (app::batch_finished(view) && counts.last_finished_at) {
    out.line(fmt::format("finished:  {}", format_short_time(*counts.last_finished_at)));
  }
  if (batch.cancelled_at) out.line(fmt::format("cancelled: {}", format_short_time(*batch.cancelled_at)));
}

void print_posts(term::Output& out, const std::vector<app::BatchPost>& posts) {
  term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                     {"STATUS"},
                     {"PLATFORM"},
                     {"TOPIC", term::ColumnFit::flexible},
                     {"CAPTION / ERROR", term::ColumnFit::flexible}});
  for (const auto& row : posts) {
    const std::string error = app::batch_post_error(row);
    const std::string detail = !error.empty() ? "error: " + error : row.post.content;
    table.add_row({std::to_string(row.post.id), std::string(app::to_string(row.post.status)), row.post.platform,
                   row.post.topic, detail});
  }
  out.table(table);
}

} // namespace

nlohmann::json to_json(const BatchDetails& details) {
  nlohmann::json document = app::batch_json(details.view);
  document["cost"] = app::cost_json(details.cost);
  if (details.posts) document["posts"] = app::batch_posts_json(*details.posts);
  return document;
}

void to_text(term::Output& out, const BatchDetails& details) {
  print_summary(out, details.view);
  out.line(fmt::format("cost:      {}", app::describe_cost(details.cost)));
  if (details.posts) {
    out.line("");
    print_posts(out, *details.posts);
  }
}

void to_quiet(term::Output& out, const BatchDetails& details) {
  out.line(std::string(app::to_string(details.view.status)));
}

nlohmann::json to_json(const FinishedBatch& finished) {
  nlohmann::json document = app::batch_json(finished.view);
  document["posts"] = app::batch_posts_json(finished.posts);
  return document;
}

void to_text(term::Output& out, const FinishedBatch& finished) {
  const app::BatchView& view = finished.view;
  print_summary(out, view);
  if (view.counts.failed == 0) return;
  out.line("");
  out.line("failed posts:");
  for (const auto& row : finished.posts) {
    if (row.post.status != app::PostStatus::failed && row.job_status != app::JobStatus::failed) continue;
    out.line(fmt::format("  post {}: {}", row.post.id, term::sanitize_single_line(app::batch_post_error(row))));
  }
  out.line(fmt::format("Fix the cause, then 'blogen batch retry {}' re-runs only the failed posts.", view.batch.id));
}

void to_quiet(term::Output& out, const FinishedBatch& finished) { out.line(std::to_string(finished.view.batch.id)); }

nlohmann::json to_json(const CampaignBatches& list) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& view : list.batches)
    array.push_back(app::batch_json(view));
  return array;
}

void to_text(term::Output& out, const CampaignBatches& list) {
  if (list.batches.empty()) {
    out.note(fmt::format("Campaign {} has no batches yet; start one with 'blogen campaign run {} --count 5'.",
                         list.campaign_id, list.campaign_id));
    return;
  }
  term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                     {"NAME", term::ColumnFit::flexible},
                     {"STATUS"},
                     {"TOTAL", term::ColumnFit::fixed, term::Align::right},
                     {"DONE", term::ColumnFit::fixed, term::Align::right},
                     {"FAILED", term::ColumnFit::fixed, term::Align::right},
                     {"PENDING", term::ColumnFit::fixed, term::Align::right},
                     {"CREATED"}});
  for (const auto& view : list.batches) {
    const auto& c = view.counts;
    table.add_row({std::to_string(view.batch.id), view.batch.name, std::string(app::to_string(view.status)),
                   std::to_string(c.total), std::to_string(c.completed), std::to_string(c.failed),
                   std::to_string(c.pending + c.running), format_short_time(view.batch.created_at)});
  }
  out.table(table);
}

void to_quiet(term::Output& out, const CampaignBatches& list) {
  print_each(out, list.batches, [](const app::BatchView& view) { return std::to_string(view.batch.id); });
}

} // namespace blogen::cli
