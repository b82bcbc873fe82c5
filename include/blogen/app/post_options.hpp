#pragma once
// The post options `blog create` and `schedule add` share, as typed: one struct, so a schedule stores and replays
// exactly what `blog create` takes, and a new option is added in one place. Validated by create_post.

#include <optional>
#include <string>
#include <vector>

namespace blogen::app {

/// What a blog post is written with; unset fields take their defaults when the post is created.
struct PostOptions {
  std::optional<std::string> category;
  std::optional<std::string> tone;
  std::optional<int> words;
  std::vector<std::string> keywords;
  std::optional<std::string> template_name;
  std::optional<std::string> provider;
  std::optional<std::string> model;
  std::optional<std::string> max_cost; ///< USD one run may cost at most (--max-cost), as typed
};

} // namespace blogen::app
