// blog search, blog export: finding posts by their words and writing them out as files.
#include "blog_commands.hpp"
#include "post_print.hpp"

#include <blogen/app/post_export.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/core/error.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

#include <unistd.h>

namespace blogen::cli {
namespace {

struct SearchOptions {
  std::vector<std::string> words;
  int limit = 20;
};

struct ExportOptions {
  std::vector<std::int64_t> ids;
  bool all = false;
  std::string format = "markdown";
  std::string front_matter = "none";
  std::string out = ".";
};

// The snippet with its match markers replaced: `open`/`close` around each match, every piece sanitised.
std::string render_snippet(const std::string& snippet, const std::string& open, const std::string& close,
                           bool sanitize) {
  std::string result;
  std::string piece;
  const auto flush = [&]() {
    result += sanitize ? term::sanitize_single_line(piece) : piece;
    piece.clear();
  };
  for (const char c : snippet) {
    if (c == store::k_match_open || c == store::k_match_close) {
      flush();
      result += c == store::k_match_open ? open : close;
    } else {
      piece += c;
    }
  }
  flush();
  return result;
}

void add_search(CLI::App& blog, Registry& registry) {
  auto options = make_options<SearchOptions>();
  auto* command = blog.add_subcommand("search", "Full-text search over your posts, best match first");
  command->footer("Needs: a login. Searches title, topic, category and text; every word must occur (accents and\n"
                  "case are ignored). The words are taken literally: quotes, '*', '-' and NEAR are not operators.\n"
                  "Example: blogen blog search sourdough starter --json | jq '.[0].snippet'");
  command->add_option("QUERY", options->words, "Words to look for")->required();
  command->add_option("--limit", options->limit,
                      fmt::format("At most this many results (1-{}, default 20)", app::k_max_list_limit));
  registry.on(command, [options](Env& env) {
    std::string query;
    for (const auto& word : options->words)
      query += (query.empty() ? "" : " ") + word;
    const auto hits = app::search_posts(env.app(), query, options->limit);
    auto& out = env.out();
    if (out.json()) {
      nlohmann::json json = nlohmann::json::array();
      for (const auto& hit : hits) {
        nlohmann::json entry = post_summary_json(hit.post);
        entry["snippet"] = render_snippet(hit.snippet, "**", "**", false);
        entry["rank"] = hit.rank;
        json.push_back(entry);
      }
      out.print_json(json);
      return 0;
    }
    if (out.quiet()) {
      for (const auto& hit : hits)
        out.line(std::to_string(hit.post.id));
      return 0;
    }
    if (hits.empty()) {
      out.note("No posts match.");
      return 0;
    }
    const std::string open = out.color() ? "\x1b[1;33m" : "**";
    const std::string close = out.color() ? "\x1b[0m" : "**";
    for (const auto& hit : hits) {
      out.line(fmt::format("{}  {}", out.styled(std::to_string(hit.post.id), term::Style::cyan),
                           out.styled(term::sanitize_single_line(hit.post.title), term::Style::bold)));
      out.line("    " + render_snippet(hit.snippet, open, close, true));
    }
    return 0;
  });
}

void add_export(CLI::App& blog, Registry& registry) {
  auto options = make_options<ExportOptions>();
  auto* command = blog.add_subcommand("export", "Write posts to files: Markdown (Hugo/Jekyll), HTML or JSON");
  command->footer("Needs: a login. One file per post, named by a safe slug of its title (unique: a clash adds the\n"
                  "post id), written atomically into --out (default: the current folder). HTML is rendered by\n"
                  "cmark with raw HTML suppressed. '--out -' writes a single post to stdout.\n"
                  "Example: blogen blog export --all --front-matter hugo --out site/content/posts");
  command->add_option("ID", options->ids, "Post ids (or --all)");
  command->add_flag("--all", options->all, "Every post that is not in the trash");
  command->add_option("--format", options->format, "markdown (default), html or json");
  command->add_option("--front-matter", options->front_matter, "hugo, jekyll or none (default; Markdown only)");
  command->add_option("--out", options->out, "Folder to write into, or - for stdout (one post)");
  registry.on(command, [options](Env& env) {
    if (options->all && !options->ids.empty()) throw Error(ErrorCode::usage, "give post ids or --all, not both");
    app::ExportRequest request;
    request.post_ids = options->ids;
    request.scope = options->all ? app::ExportScope::all : app::ExportScope::listed;
    request.format = app::parse_export_format(options->format);
    request.front_matter = app::parse_front_matter(options->front_matter);
    if (options->out.empty()) throw Error(ErrorCode::usage, "--out is empty");
    if (options->out == "-" && (options->all || options->ids.size() != 1)) {
      throw Error(ErrorCode::usage, "--out - writes one post: give exactly one id");
    }
    const auto exported = app::export_posts(env.app(), request);
    auto& out = env.out();
    if (options->out == "-") {
      // The document itself is the output; a terminal still never receives escape sequences.
      if (::isatty(STDOUT_FILENO) == 1)
        out.untrusted(exported.front().document);
      else
        out.out_stream() << exported.front().document;
      out.out_stream().flush();
      return 0;
    }
    const auto written = app::write_exported(exported, options->out);
    if (out.json()) {
      nlohmann::json files = nlohmann::json::array();
      for (std::size_t i = 0; i < written.size(); ++i) {
        files.push_back({{"post_id", exported[i].post_id}, {"path", written[i].string()}});
      }
      out.print_json({{"files", files}, {"count", written.size()}});
    } else if (out.quiet()) {
      for (const auto& file : written)
        out.line(term::sanitize_single_line(file.string()));
    } else {
      for (const auto& file : written)
        out.line(term::sanitize_single_line(file.string()));
      out.note(fmt::format("Exported {} post(s) to {}.", written.size(), term::sanitize_single_line(options->out)));
    }
    return 0;
  });
}

} // namespace

void add_blog_search_export(CLI::App& blog, Registry& registry) {
  add_search(blog, registry);
  add_export(blog, registry);
}

} // namespace blogen::cli
