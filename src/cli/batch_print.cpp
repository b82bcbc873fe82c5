#include "batch_print.hpp"

#include <blogen/core/error.hpp>
#include <blogen/core/interrupt.hpp>
#include <blogen/term/progress.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace blogen::cli {
namespace {

nlohmann::json time_or_null(const std::optional<TimestampMs>& ms) {
  return ms ? nlohmann::json(format_iso8601(*ms)) : nlohmann::json();
}

bool finished(const app::BatchView& view) { return view.counts.pending + view.counts.running == 0; }

std::string post_error(const store::BatchPost& row) {
  if (!row.post.error.empty()) return row.post.error;
  if (row.job_status == store::JobStatus::failed) return row.job_error;
  return {};
}

std::string line(std::string_view text) { return term::sanitize_single_line(text); }

} // namespace

nlohmann::json campaign_json(const store::Campaign& campaign) {
  return {{"id", campaign.id},
          {"name", campaign.name},
          {"brand", campaign.brand},
          {"audience", campaign.audience},
          {"tone", campaign.tone},
          {"description", campaign.description},
          {"status", std::string(store::to_string(campaign.status))},
          {"created_at", format_iso8601(campaign.created_at)},
          {"updated_at", format_iso8601(campaign.updated_at)},
          {"deleted_at", time_or_null(campaign.deleted_at)}};
}

nlohmann::json batch_json(const app::BatchView& view) {
  const store::Batch& batch = view.batch;
  const store::BatchCounts& counts = view.counts;
  return {{"id", batch.id},
          {"campaign_id", batch.campaign_id},
          {"campaign", view.campaign_name},
          {"name", batch.name},
          {"platform", batch.platform},
          {"images", batch.images},
          {"concurrency", batch.concurrency},
          {"status", std::string(app::to_string(view.status))},
          {"counts",
           {{"total", counts.total},
            {"completed", counts.completed},
            {"failed", counts.failed},
            {"pending", counts.pending},
            {"running", counts.running},
            {"cancelled", counts.cancelled}}},
          {"created_at", format_iso8601(batch.created_at)},
          {"started_at", time_or_null(counts.first_started_at)},
          {"finished_at", finished(view) ? time_or_null(counts.last_finished_at) : nlohmann::json()},
          {"cancelled_at", time_or_null(batch.cancelled_at)}};
}

nlohmann::json batch_posts_json(const std::vector<store::BatchPost>& posts) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& row : posts) {
    const store::Post& post = row.post;
    list.push_back({{"id", post.id},
                    {"job_id", row.job_id ? nlohmann::json(*row.job_id) : nlohmann::json()},
                    {"topic", post.topic},
                    {"platform", post.platform},
                    {"tone", post.tone},
                    {"brand", post.brand},
                    {"audience", post.audience},
                    {"status", std::string(store::to_string(post.status))},
                    {"caption", post.content},
                    {"hashtags", post.hashtags},
                    {"image_path", post.image_path ? nlohmann::json(*post.image_path) : nlohmann::json()},
                    {"error", post_error(row)}});
  }
  return list;
}

void print_batch(term::Output& out, const app::BatchView& view) {
  const store::Batch& batch = view.batch;
  const store::BatchCounts& counts = view.counts;
  out.line(fmt::format("batch {}: {} (campaign {}: {})", batch.id, line(batch.name), batch.campaign_id,
                       line(view.campaign_name)));
  out.line(fmt::format("status:    {}", app::to_string(view.status)));
  out.line(fmt::format("posts:     {} total, {} completed, {} failed, {} pending, {} running, {} cancelled",
                       counts.total, counts.completed, counts.failed, counts.pending, counts.running,
                       counts.cancelled));
  out.line(fmt::format("platform:  {}{}", batch.platform, batch.images ? ", with images" : ""));
  out.line(fmt::format("created:   {}", format_short_time(batch.created_at)));
  if (counts.first_started_at) out.line(fmt::format("started:   {}", format_short_time(*counts.first_started_at)));
  if (finished(view) && counts.last_finished_at) {
    out.line(fmt::format("finished:  {}", format_short_time(*counts.last_finished_at)));
  }
  if (batch.cancelled_at) out.line(fmt::format("cancelled: {}", format_short_time(*batch.cancelled_at)));
}

void print_batch_posts(term::Output& out, const std::vector<store::BatchPost>& posts) {
  term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                     {"STATUS"},
                     {"PLATFORM"},
                     {"TOPIC", term::ColumnFit::flexible},
                     {"CAPTION / ERROR", term::ColumnFit::flexible}});
  for (const auto& row : posts) {
    const std::string error = post_error(row);
    const std::string detail = !error.empty() ? "error: " + error : row.post.content;
    table.add_row({std::to_string(row.post.id), std::string(store::to_string(row.post.status)), row.post.platform,
                   row.post.topic, detail});
  }
  out.table(table);
}

int batch_exit_code(const app::BatchView& view) { return view.status == app::BatchStatus::completed ? 0 : 1; }

int run_batch_in_foreground(Env& env, std::int64_t batch_id, int concurrency, std::int64_t expected) {
  term::Output& out = env.out();
  InterruptHandler interrupt;
  auto display =
      term::make_progress(out, term::ProgressLook::bar, expected, env.app().clock(), fmt::format("batch {}", batch_id));
  const app::BatchRun run = app::run_batch(env.app(), batch_id, concurrency, *display, interrupt.token());
  display->finish();
  if (run.interrupted) {
    throw Error(ErrorCode::interrupted,
                fmt::format("interrupted; the {} unfinished posts of batch {} stay queued ('blogen worker' or "
                            "'blogen batch retry {}' picks them up)",
                            run.view.counts.pending + run.view.counts.running, batch_id, batch_id));
  }
  const app::BatchView& view = run.view;
  if (out.json()) {
    nlohmann::json document = batch_json(view);
    document["posts"] = batch_posts_json(app::batch_posts(env.app(), batch_id));
    out.print_json(document);
  } else if (out.quiet()) {
    out.line(std::to_string(batch_id));
  } else {
    print_batch(out, view);
    if (view.counts.failed > 0) {
      out.line("");
      out.line("failed posts:");
      for (const auto& row : app::batch_posts(env.app(), batch_id)) {
        if (row.post.status != store::PostStatus::failed && row.job_status != store::JobStatus::failed) continue;
        out.line(fmt::format("  post {}: {}", row.post.id, line(post_error(row))));
      }
      out.line(fmt::format("Fix the cause, then 'blogen batch retry {}' re-runs only the failed posts.", batch_id));
    }
  }
  return batch_exit_code(view);
}

} // namespace blogen::cli
