#include "post_print.hpp"

#include <blogen/gen/answer.hpp>
#include <blogen/term/sanitize.hpp>
#include <blogen/term/table.hpp>

#include <fmt/format.h>

#include <unistd.h>

namespace blogen::cli {
namespace {

std::string display_title(const store::Post& post) {
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

nlohmann::json post_summary_json(const store::Post& post) {
  return {{"id", post.id},
          {"title", post.title},
          {"topic", post.topic},
          {"status", std::string(store::to_string(post.status))},
          {"category", post.category},
          {"tone", post.tone},
          {"words", gen::count_words(post.content)},
          {"revision", post.revision},
          {"provider", post.provider},
          {"model", post.model},
          {"error", post.error.empty() ? nlohmann::json() : nlohmann::json(post.error)},
          {"user_id", post.user_id},
          {"campaign_id", post.campaign_id ? nlohmann::json(*post.campaign_id) : nlohmann::json()},
          {"created_at", format_iso8601(post.created_at)},
          {"updated_at", format_iso8601(post.updated_at)},
          {"deleted_at", post.deleted_at ? nlohmann::json(format_iso8601(*post.deleted_at)) : nlohmann::json()}};
}

void print_post_text(term::Output& out, const store::Post& post) {
  out.line(out.styled(term::sanitize_single_line(display_title(post)), term::Style::bold));
  std::string facts = fmt::format("post {} · {}", post.id, store::to_string(post.status));
  if (!post.category.empty()) facts += " · " + term::sanitize_single_line(post.category);
  if (!post.tone.empty()) facts += " · " + post.tone;
  facts += fmt::format(" · {} words · revision {}", gen::count_words(post.content), post.revision);
  out.line(out.styled(facts, term::Style::dim));
  if (post.revision > 0) {
    out.line(out.styled(fmt::format("written by {} · updated {} UTC",
                                    term::sanitize_single_line(written_by(post.provider, post.model)),
                                    format_short_time(post.updated_at)),
                        term::Style::dim));
  }
  if (!post.error.empty()) out.line(out.styled("error: ", term::Style::red) + term::sanitize_single_line(post.error));
  if (!post.content.empty()) {
    out.line("");
    out.untrusted(post.content);
    if (post.content.back() != '\n') out.line("");
  }
}

void print_post_markdown(term::Output& out, const store::Post& post) {
  std::string document = "---\n";
  document += fmt::format("id: {}\n", post.id);
  document += "title: " + yaml_string(post.title) + "\n";
  document += "topic: " + yaml_string(post.topic) + "\n";
  document += "category: " + yaml_string(post.category) + "\n";
  document += "tone: " + yaml_string(post.tone) + "\n";
  document +=
      "keywords: " + nlohmann::json(post.keywords).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
      "\n";
  document += fmt::format("status: {}\n", store::to_string(post.status));
  document += "provider: " + yaml_string(post.provider) + "\n";
  document += "model: " + yaml_string(post.model) + "\n";
  document += fmt::format("revision: {}\n", post.revision);
  document += fmt::format("created: {}\nupdated: {}\n---\n\n", format_iso8601(post.created_at),
                          format_iso8601(post.updated_at));
  document += "# " + post.title + "\n\n" + post.content;
  if (document.back() != '\n') document += '\n';
  // Raw into a pipe or file (the Markdown is the point); neutralised on a terminal.
  if (::isatty(STDOUT_FILENO) == 1)
    out.untrusted(document);
  else
    out.out_stream() << document;
}

void print_post_table(term::Output& out, const std::vector<store::Post>& posts) {
  term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                     {"STATUS"},
                     {"TITLE", term::ColumnFit::flexible},
                     {"CATEGORY", term::ColumnFit::flexible},
                     {"WORDS", term::ColumnFit::fixed, term::Align::right},
                     {"UPDATED"}});
  for (const auto& post : posts) {
    table.add_row({std::to_string(post.id), std::string(store::to_string(post.status)), display_title(post),
                   post.category, std::to_string(gen::count_words(post.content)), format_short_time(post.updated_at)});
  }
  out.table(table);
}

nlohmann::json revision_json(const store::PostRevision& revision) {
  return {{"number", revision.number},
          {"title", revision.title},
          {"source", std::string(store::to_string(revision.source))},
          {"provider", revision.provider},
          {"model", revision.model},
          {"words", gen::count_words(revision.content)},
          {"created_at", format_iso8601(revision.created_at)},
          {"content", revision.content}};
}

} // namespace blogen::cli
