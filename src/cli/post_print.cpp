#include "post_print.hpp"

#include <blogen/app/post_export.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/term/sanitize.hpp>
#include <blogen/term/table.hpp>

#include <fmt/format.h>

#include <unistd.h>

namespace blogen::cli {
namespace {

std::string display_title(const app::Post& post) {
  if (!post.title.empty()) return post.title;
  if (!post.topic.empty()) return post.topic;
  return post.prompt;
}

std::string yaml_string(const std::string& text) {
  // A JSON string is a valid YAML double-quoted scalar.
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

std::string written_by(const std::string& provider, const std::string& model) {
  if (provider.empty() && model.empty()) return "you";
  return fmt::format("{} / {}", provider.empty() ? "?" : provider, model.empty() ? "?" : model);
}

void print_post_text(term::Output& out, const app::Post& post, const std::string& cost) {
  out.line(out.styled(term::sanitize_single_line(display_title(post)), term::Style::bold));
  std::string facts = fmt::format("post {} · {}", post.id, app::to_string(post.status));
  if (!post.category.empty()) facts += " · " + term::sanitize_single_line(post.category);
  if (!post.tone.empty()) facts += " · " + post.tone;
  facts += fmt::format(" · {} words · revision {}", app::count_words(post.content), post.revision);
  out.line(out.styled(facts, term::Style::dim));
  if (post.revision > 0) {
    out.line(out.styled(fmt::format("written by {} · updated {} UTC",
                                    term::sanitize_single_line(written_by(post.provider, post.model)),
                                    format_short_time(post.updated_at)),
                        term::Style::dim));
  }
  if (!cost.empty()) out.line(out.styled("cost " + cost, term::Style::dim));
  if (!post.error.empty()) out.line(out.styled("error: ", term::Style::red) + term::sanitize_single_line(post.error));
  if (!post.content.empty()) {
    out.line("");
    out.untrusted(post.content);
    if (post.content.back() != '\n') out.line("");
  }
}

void print_post_markdown(term::Output& out, const app::Post& post) {
  std::string document = "---\n";
  document += fmt::format("id: {}\n", post.id);
  document += "title: " + yaml_string(post.title) + "\n";
  document += "topic: " + yaml_string(post.topic) + "\n";
  document += "category: " + yaml_string(post.category) + "\n";
  document += "tone: " + yaml_string(post.tone) + "\n";
  document +=
      "keywords: " + nlohmann::json(post.keywords).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
      "\n";
  document += fmt::format("status: {}\n", app::to_string(post.status));
  document += "provider: " + yaml_string(post.provider) + "\n";
  document += "model: " + yaml_string(post.model) + "\n";
  document += fmt::format("revision: {}\n", post.revision);
  document += fmt::format("created: {}\nupdated: {}\n---\n\n", format_iso8601(post.created_at),
                          format_iso8601(post.updated_at));
  document += "# " + post.title + "\n\n" + post.content;
  if (document.back() != '\n') document += '\n';
  // Raw into a pipe or file (the Markdown is the point); neutralised on a terminal.
  if (::isatty(STDOUT_FILENO) == 1) {
    out.untrusted(document);
  } else {
    out.out_stream() << document;
  }
}

void print_post_table(term::Output& out, const std::vector<app::Post>& posts) {
  term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                     {"STATUS"},
                     {"TITLE", term::ColumnFit::flexible},
                     {"CATEGORY", term::ColumnFit::flexible},
                     {"WORDS", term::ColumnFit::fixed, term::Align::right},
                     {"UPDATED"}});
  for (const auto& post : posts) {
    table.add_row({std::to_string(post.id), std::string(app::to_string(post.status)), display_title(post),
                   post.category, std::to_string(app::count_words(post.content)), format_short_time(post.updated_at)});
  }
  out.table(table);
}

nlohmann::json to_json(const WrittenPost& written) { return app::post_json(written.post); }

void to_quiet(term::Output& out, const WrittenPost& written) { out.line(std::to_string(written.post.id)); }

void to_text(term::Output& out, const WrittenPost& written) {
  const app::Post& post = written.post;
  if (!written.text_was_streamed) return print_post_text(out, post);
  out.note(fmt::format("post {} \"{}\" written by {}", post.id, term::sanitize_single_line(post.title),
                       term::sanitize_single_line(written_by(post.provider, post.model))));
}

void print_written_post(Env& env, std::int64_t post_id, bool text_was_streamed) {
  present(env.out(), WrittenPost{app::get_post(env.app(), post_id), text_was_streamed});
}

} // namespace blogen::cli
