#pragma once
// How posts look on the terminal: the full post, its Markdown with front matter, the table of listings, and a post
// that was just written (the view `blog create` and `blog update --regenerate` present).

#include "command.hpp"
#include "present.hpp"

#include <blogen/app/views.hpp>

#include <string>
#include <vector>

namespace blogen::cli {

/// A post for reading on the terminal: title, facts (and what it cost, when given), then the sanitised Markdown.
void print_post_text(term::Output& out, const app::Post& post, const std::string& cost = {});
/// The post's raw Markdown with a YAML front matter (for pipes and files; sanitised when stdout is a terminal).
void print_post_markdown(term::Output& out, const app::Post& post);
/// A table of posts: id, status, title, category, words, updated.
void print_post_table(term::Output& out, const std::vector<app::Post>& posts);
/// Who wrote a post: "builtin / builtin-drafter", or "you" for hand-written text.
std::string written_by(const std::string& provider, const std::string& model);

/// A post that was just written here: all of it as JSON, its id with -q, and for people the post itself, or only a
/// note naming it when its text already streamed to stdout.
struct WrittenPost {
  app::Post post;
  bool text_was_streamed = false;
};
nlohmann::json to_json(const WrittenPost& written);
void to_text(term::Output& out, const WrittenPost& written);
void to_quiet(term::Output& out, const WrittenPost& written);

/// Presents post `post_id` as a WrittenPost after a foreground generation.
void print_written_post(Env& env, std::int64_t post_id, bool text_was_streamed);

} // namespace blogen::cli
