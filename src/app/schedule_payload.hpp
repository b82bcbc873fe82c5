#pragma once
// App-internal: what a schedule queues at each run, kept as JSON in schedules.payload. One post per run (a topic,
// or the topics of a topics file taken round-robin) or one campaign batch per run (a batch file read again at
// every run, or a count of derived topics).

#include <blogen/app/batches.hpp>
#include <blogen/app/posts.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::app::detail {

/// The work of one schedule run, with the post options `blog create` takes.
struct SchedulePayload {
  std::vector<std::string> topics; ///< blog schedules: one topic, or a topics file's lines
  std::string topics_file;         ///< where the topics came from ("" for --topic), for messages
  std::optional<std::int64_t> campaign_id;
  std::optional<std::string> file; ///< absolute path of a batch input file
  std::optional<int> count;
  PostOptions post; ///< stored flat, under the keys of the flags (max_cost absent in schedules added before it)
  std::optional<std::string> platform;

  [[nodiscard]] std::string to_json() const;
  /// Reads a stored payload; Error{failed} naming the schedule when it is not one (a damaged row).
  static SchedulePayload parse(std::string_view json, std::int64_t schedule_id);

  /// The `blog create --detach` request of run number `cursor` (topics are used round-robin).
  [[nodiscard]] CreatePostRequest post_request(std::int64_t cursor) const;
  /// The `campaign run --detach` request, its batch named `name`.
  [[nodiscard]] StartBatchRequest batch_request(const std::string& name) const;
};

} // namespace blogen::app::detail
