#pragma once
// Turning a model's answer into a post: models wrap Markdown in code fences, put the title in the first `# `
// heading, and sometimes chat before it. This is the one place that knows those habits.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::gen {

/// A model's answer split into the post's title and its Markdown body.
struct ParsedAnswer {
  std::string title;              ///< the first H1's text, or the fallback title
  std::string body;               ///< the Markdown without the title heading, trimmed
  bool title_from_answer = false; ///< false when the fallback (the topic) was used
};

/// Removes a code fence wrapping the whole answer (```markdown ... ```), then trims surrounding whitespace.
std::string strip_wrapping_fence(std::string_view answer);

/// Splits an answer into title and body: the first ATX H1 outside code fences is the title; otherwise the title
/// is `fallback_title` (the topic) and the body is the whole answer. A short chatty line ending in ':' before the
/// title ("Sure! Here is your post:") is dropped with it.
ParsedAnswer parse_answer(std::string_view answer, std::string_view fallback_title);

/// The hashtags in a text (`#` followed by letters, digits or '_'), unique (case-insensitive), in order of first
/// appearance, each with its '#'. Markdown headings ("# Title") and "#1" style numbers are not hashtags.
std::vector<std::string> extract_hashtags(std::string_view text);

/// Words in Markdown: whitespace-separated tokens holding at least one letter or digit, so heading markers,
/// bullets and rules ("#", "-", "---") do not count.
std::size_t count_words(std::string_view markdown);

} // namespace blogen::gen
