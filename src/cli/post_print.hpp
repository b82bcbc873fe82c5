#pragma once
// How posts look on the terminal and in JSON: the full post, the one-line summary of listings, revisions.

#include <blogen/store/post_repository.hpp>
#include <blogen/term/output.hpp>

#include <nlohmann/json.hpp>

namespace blogen::cli {

/// The fields a listing shows per post (no text), as JSON.
nlohmann::json post_summary_json(const store::Post& post);
/// A post for reading on the terminal: title, facts, then the sanitised Markdown.
void print_post_text(term::Output& out, const store::Post& post);
/// The post's raw Markdown with a YAML front matter (for pipes and files; sanitised when stdout is a terminal).
void print_post_markdown(term::Output& out, const store::Post& post);
/// A table of posts: id, status, title, category, words, updated.
void print_post_table(term::Output& out, const std::vector<store::Post>& posts);
/// A revision as JSON (with its text).
nlohmann::json revision_json(const store::PostRevision& revision);
/// Who wrote a post: "builtin / builtin-drafter", or "you" for hand-written text.
std::string written_by(const std::string& provider, const std::string& model);

} // namespace blogen::cli
