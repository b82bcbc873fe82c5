#pragma once
// The builtin blog writer: plans a draft for the brief's template, fills it with tone-aware sentences until it
// reaches the target length, and renders Markdown.

#include <blogen/gen/provider.hpp>

#include <string>

namespace blogen::gen::builtin {

/// A complete Markdown draft for a blog brief: `# ` title, introduction, 3-7 `##` sections shaped by the
/// template, a closing section ending in a call to action; within about 5% of `brief.words` (clamped to
/// 50..10000). Deterministic for the same brief (seed included).
std::string write_blog_post(const Brief& brief);

/// The seed the builtin writer uses for a brief: its seed mixed with a stable hash of the topic.
std::uint64_t draft_seed(const Brief& brief);

} // namespace blogen::gen::builtin
