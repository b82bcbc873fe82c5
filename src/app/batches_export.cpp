#include "batches_common.hpp"

#include <blogen/core/csv.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace blogen::app {

std::string export_batch(Context& context, std::int64_t batch_id, BatchExportFormat format) {
  const std::vector<store::BatchPost> rows = batch_posts(context, batch_id);
  if (format == BatchExportFormat::json) {
    nlohmann::json posts = nlohmann::json::array();
    for (const auto& row : rows) {
      const store::Post& post = row.post;
      posts.push_back({{"id", post.id},
                       {"topic", post.topic},
                       {"platform", post.platform},
                       {"caption", post.content},
                       {"hashtags", post.hashtags},
                       {"image_path", post.image_path ? nlohmann::json(*post.image_path) : nlohmann::json()},
                       {"status", std::string(store::to_string(post.status))},
                       {"error", batch_post_error(row)}});
    }
    return posts.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  std::string text =
      csv::format_record({"id", "topic", "platform", "caption", "hashtags", "image_path", "status", "error"});
  for (const auto& row : rows) {
    const store::Post& post = row.post;
    text += csv::format_record({std::to_string(post.id), post.topic, post.platform, post.content,
                                fmt::format("{}", fmt::join(post.hashtags, " ")), post.image_path.value_or(""),
                                std::string(store::to_string(post.status)), batch_post_error(row)});
  }
  return text;
}

} // namespace blogen::app
