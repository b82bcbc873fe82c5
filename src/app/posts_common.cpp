#include "posts_common.hpp"

#include <blogen/app/posts.hpp>
#include <blogen/core/error.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace blogen::app {

const std::vector<std::string>& post_tones() {
  static const std::vector<std::string> k_tones{"friendly",      "casual",         "professional",  "humorous",
                                                "enthusiastic",  "formal",         "informative",   "persuasive",
                                                "inspirational", "conversational", "authoritative", "witty"};
  return k_tones;
}

namespace detail {

store::Post owned_post(store::PostRepository& posts, const CurrentUser& user, std::int64_t post_id, Trashed trashed) {
  auto post = posts.find(post_id, user.id);
  if (!post || (trashed == Trashed::hide && post->deleted_at)) {
    throw Error(ErrorCode::not_found, fmt::format("post {} not found", post_id));
  }
  return *post;
}

namespace {
void check_single_line(std::string_view text, std::string_view flag) {
  if (text.find_first_of("\n\r") != std::string_view::npos) {
    throw Error(ErrorCode::usage, fmt::format("{} must be a single line", flag));
  }
}
} // namespace

void check_storable(std::string_view text, std::string_view flag) {
  if (const std::string problem = text::text_problem(text); !problem.empty()) {
    throw Error(ErrorCode::usage, fmt::format("{}: {}", flag, problem));
  }
}

std::string check_title(std::string_view title, std::string_view flag) {
  check_storable(title, flag);
  std::string trimmed(text::trim(title));
  if (trimmed.empty()) throw Error(ErrorCode::usage, fmt::format("{} is empty", flag));
  if (text::utf8_length(trimmed) > k_max_title_chars) {
    throw Error(ErrorCode::usage, fmt::format("{} is longer than {} characters", flag, k_max_title_chars));
  }
  check_single_line(trimmed, flag);
  return trimmed;
}

std::string check_category(std::string_view category, std::string_view flag) {
  check_storable(category, flag);
  std::string trimmed(text::trim(category));
  if (text::utf8_length(trimmed) > k_max_category_chars) {
    throw Error(ErrorCode::usage, fmt::format("{} is longer than {} characters", flag, k_max_category_chars));
  }
  check_single_line(trimmed, flag);
  return trimmed;
}

std::string check_tone(std::string_view tone, std::string_view flag) {
  check_storable(tone, flag);
  std::string lower = text::lower(text::trim(tone));
  const auto& tones = post_tones();
  if (std::find(tones.begin(), tones.end(), lower) == tones.end()) {
    throw Error(ErrorCode::usage,
                fmt::format("{}: unknown tone '{}'; use one of: {}", flag, tone, fmt::join(tones, ", ")));
  }
  return lower;
}

std::string check_prompt(std::string_view prompt, std::string_view flag) {
  check_storable(prompt, flag);
  if (text::trim(prompt).empty()) throw Error(ErrorCode::usage, fmt::format("{} is empty", flag));
  if (text::utf8_length(prompt) > k_max_prompt_chars) {
    throw Error(ErrorCode::usage, fmt::format("{} is longer than {} characters", flag, k_max_prompt_chars));
  }
  return std::string(prompt);
}

} // namespace detail
} // namespace blogen::app
