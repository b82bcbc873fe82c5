// blog search, blog export: finding posts by their words and writing them out as files.
#include "blog_commands.hpp"
#include "post_print.hpp"
#include "present.hpp"

#include <blogen/app/post_export.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/core/error.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

struct SearchOptions {
  std::vector<std::string> words;
  int limit = 20;
};

struct ExportOptions {
  app::ExportRequest request;
  std::string format = "markdown";   ///< parsed into request.format when the command runs (a usage error names it)
  std::string front_matter = "none"; ///< parsed into request.front_matter
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
    if (c == app::k_match_open || c == app::k_match_close) {
      flush();
      result += c == app::k_match_open ? open : close;
    } else {
      piece += c;
    }
  }
  flush();
  return result;
}

/// `blog search`: the hits, best first, each with its snippet.
struct SearchResults {
  std::vector<app::SearchHit> hits;
};

nlohmann::json to_json(const SearchResults& results) {
  nlohmann::json json = nlohmann::json::array();
  for (const auto& hit : results.hits) {
    nlohmann::json entry = app::post_summary_json(hit.post);
    entry["snippet"] = render_snippet(hit.snippet, "**", "**", false);
    entry["rank"] = hit.rank;
    json.push_back(entry);
  }
  return json;
}

void to_quiet(term::Output& out, const SearchResults& results) {
  print_each(out, results.hits, [](const app::SearchHit& hit) { return std::to_string(hit.post.id); });
}

void to_text(term::Output& out, const SearchResults& results) {
  if (results.hits.empty()) {
    out.note("No posts match.");
    return;
  }
  const std::string open = out.color() ? "\x1b[1;33m" : "**";
  const std::string close = out.color() ? "\x1b[0m" : "**";
  for (const auto& hit : results.hits) {
    out.line(fmt::format("{}  {}", out.styled(std::to_string(hit.post.id), term::Style::cyan),
                         out.styled(term::sanitize_single_line(hit.post.title), term::Style::bold)));
    out.line("    " + render_snippet(hit.snippet, open, close, true));
  }
}

/// `blog export` into a folder: the files written, one per post.
struct ExportedFiles {
  std::vector<app::ExportedPost> exported;
  std::vector<std::filesystem::path> written;
  std::string folder;
};

nlohmann::json to_json(const ExportedFiles& files) {
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i = 0; i < files.written.size(); ++i) {
    list.push_back({{"post_id", files.exported[i].post_id}, {"path", files.written[i].string()}});
  }
  return {{"files", list}, {"count", files.written.size()}};
}

void to_quiet(term::Output& out, const ExportedFiles& files) {
  print_each(out, files.written,
             [](const std::filesystem::path& file) { return term::sanitize_single_line(file.string()); });
}

void to_text(term::Output& out, const ExportedFiles& files) {
  to_quiet(out, files);
  out.note(fmt::format("Exported {} post(s) to {}.", files.written.size(), term::sanitize_single_line(files.folder)));
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
    present(env.out(), SearchResults{app::search_posts(env.app(), query, options->limit)});
    return 0;
  });
}

void add_post_export(CLI::App& blog, Registry& registry) {
  auto options = make_options<ExportOptions>();
  auto* command = blog.add_subcommand("export", "Write posts to files: Markdown (Hugo/Jekyll), HTML or JSON");
  command->footer("Needs: a login. One file per post, named by a safe slug of its title (unique: a clash adds the\n"
                  "post id), written atomically into --out (default: the current folder). HTML is rendered by\n"
                  "cmark with raw HTML suppressed. '--out -' writes a single post to stdout.\n"
                  "Example: blogen blog export --all --front-matter hugo --out site/content/posts");
  command->add_option("ID", options->request.post_ids, "Post ids (or --all)");
  command->add_flag_callback(
      "--all", [options]() { options->request.scope = app::ExportScope::all; }, "Every post that is not in the trash");
  registry.suggest(command->add_option("--format", options->format, "markdown (default), html or json"),
                   {"markdown", "html", "json"});
  registry.suggest(
      command->add_option("--front-matter", options->front_matter, "hugo, jekyll or none (default; Markdown only)"),
      {"hugo", "jekyll", "none"});
  command->add_option("--out", options->out, "Folder to write into, or - for stdout (one post)");
  registry.on(command, [options](Env& env) {
    app::ExportRequest& request = options->request;
    const bool all = request.scope == app::ExportScope::all;
    if (all && !request.post_ids.empty()) throw Error(ErrorCode::usage, "give post ids or --all, not both");
    request.format = app::parse_export_format(options->format);
    request.front_matter = app::parse_front_matter(options->front_matter);
    if (options->out.empty()) throw Error(ErrorCode::usage, "--out is empty");
    if (options->out == "-" && (all || request.post_ids.size() != 1)) {
      throw Error(ErrorCode::usage, "--out - writes one post: give exactly one id");
    }
    auto exported = app::export_posts(env.app(), request);
    auto& out = env.out();
    if (options->out == "-") {
      out.document(exported.front().document);
      return 0;
    }
    const auto written = app::write_exported(exported, options->out);
    present(out, ExportedFiles{std::move(exported), written, options->out});
    return 0;
  });
}

} // namespace

void add_blog_search_export(CLI::App& blog, Registry& registry) {
  add_search(blog, registry);
  add_post_export(blog, registry);
}

} // namespace blogen::cli
