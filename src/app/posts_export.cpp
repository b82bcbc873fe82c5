#include "posts_common.hpp"

#include <blogen/app/post_export.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/core/markup.hpp>
#include <blogen/gen/answer.hpp>

#include <fmt/format.h>

#include <array>
#include <set>

namespace blogen::app {
namespace {

constexpr std::array<std::string_view, 22> k_reserved_names{
    "con",  "prn",  "aux",  "nul",  "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9"};

std::string json_string(std::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_list(const std::vector<std::string>& values) {
  return nlohmann::json(values).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> categories_of(const store::Post& post) {
  if (post.category.empty()) return {};
  return {post.category};
}

std::string jekyll_date(TimestampMs ms) {
  std::string iso = format_iso8601(ms); // 2026-11-24T09:30:00Z
  if (iso.size() >= 19) return iso.substr(0, 10) + " " + iso.substr(11, 8) + " +0000";
  return iso;
}

std::string markdown_document(const store::Post& post, FrontMatter front_matter) {
  const std::string body = std::string(text::trim(post.content)) + "\n";
  switch (front_matter) {
  case FrontMatter::hugo:
    return fmt::format("+++\ntitle = {}\ndate = {}\nlastmod = {}\ndraft = {}\ncategories = {}\ntags = {}\n+++\n\n{}",
                       json_string(post.title), format_iso8601(post.created_at), format_iso8601(post.updated_at),
                       post.status == store::PostStatus::completed ? "false" : "true", json_list(categories_of(post)),
                       json_list(post.keywords), body);
  case FrontMatter::jekyll:
    return fmt::format("---\nlayout: post\ntitle: {}\ndate: {}\ncategories: {}\ntags: {}\n---\n\n{}",
                       json_string(post.title), jekyll_date(post.created_at), json_list(categories_of(post)),
                       json_list(post.keywords), body);
  case FrontMatter::none:
    break;
  }
  return "# " + post.title + "\n\n" + body;
}

std::string html_document(const store::Post& post) {
  const std::string title = markup::escape(post.title);
  return fmt::format("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n"
                     "</head>\n<body>\n<article>\n<h1>{}</h1>\n{}</article>\n</body>\n</html>\n",
                     title, title, markdown_to_html(post.content));
}

} // namespace

std::string slugify(std::string_view title, std::int64_t post_id) {
  std::string slug;
  const auto push = [&](char c) {
    if (c == '-') {
      if (!slug.empty() && slug.back() != '-') slug += '-';
    } else {
      slug += c;
    }
  };
  // Latin letters are spelled in ASCII ("Crème" -> "creme", "Łódź" -> "lodz", "Straße" -> "strasse"); every other
  // character (other scripts, punctuation, invalid UTF-8) separates words.
  std::size_t i = 0;
  while (i < title.size()) {
    char32_t code = 0;
    const std::size_t length = text::utf8_sequence(title, i, &code);
    i += length == 0 ? 1 : length;
    const std::string_view spelled = length == 0 ? std::string_view() : text::ascii_spelling(code);
    if (spelled.empty()) {
      push('-');
      continue;
    }
    for (const char c : text::lower(spelled))
      push(c);
  }
  if (slug.size() > k_max_slug_chars) {
    slug.resize(k_max_slug_chars);
    if (const auto cut = slug.rfind('-'); cut != std::string::npos && cut > k_max_slug_chars / 2) slug.resize(cut);
  }
  while (!slug.empty() && slug.back() == '-')
    slug.pop_back();
  if (!slug.empty() && slug.front() == '-') slug.erase(0, 1);
  if (slug.empty()) return fmt::format("post-{}", post_id);
  for (const auto reserved : k_reserved_names) {
    if (slug == reserved) return slug + "-post";
  }
  return slug;
}

std::string_view extension_of(ExportFormat format) {
  switch (format) {
  case ExportFormat::markdown:
    return ".md";
  case ExportFormat::html:
    return ".html";
  case ExportFormat::json:
    return ".json";
  }
  return ".md";
}

ExportFormat parse_export_format(std::string_view text) {
  if (text == "markdown" || text == "md") return ExportFormat::markdown;
  if (text == "html") return ExportFormat::html;
  if (text == "json") return ExportFormat::json;
  throw Error(ErrorCode::usage, fmt::format("--format: unknown format '{}'; use markdown, html or json", text));
}

FrontMatter parse_front_matter(std::string_view text) {
  if (text == "hugo") return FrontMatter::hugo;
  if (text == "jekyll") return FrontMatter::jekyll;
  if (text == "none") return FrontMatter::none;
  throw Error(ErrorCode::usage, fmt::format("--front-matter: unknown style '{}'; use hugo, jekyll or none", text));
}

nlohmann::json post_json(const store::Post& post) {
  nlohmann::json json{
      {"id", post.id},
      {"user_id", post.user_id},
      {"kind", post.kind},
      {"title", post.title},
      {"topic", post.topic},
      {"prompt", post.prompt},
      {"category", post.category},
      {"tone", post.tone},
      {"keywords", post.keywords},
      {"target_words", post.target_words},
      {"template", post.template_name},
      {"content", post.content},
      {"hashtags", post.hashtags},
      {"status", std::string(store::to_string(post.status))},
      {"error", post.error.empty() ? nlohmann::json() : nlohmann::json(post.error)},
      {"provider", post.provider},
      {"model", post.model},
      {"prompt_tokens", post.prompt_tokens},
      {"completion_tokens", post.completion_tokens},
      {"seed", post.seed},
      {"revision", post.revision},
      {"words", gen::count_words(post.content)},
      {"created_at", format_iso8601(post.created_at)},
      {"updated_at", format_iso8601(post.updated_at)},
      {"deleted_at", post.deleted_at ? nlohmann::json(format_iso8601(*post.deleted_at)) : nlohmann::json()}};
  json["campaign_id"] = post.campaign_id ? nlohmann::json(*post.campaign_id) : nlohmann::json();
  json["batch_id"] = post.batch_id ? nlohmann::json(*post.batch_id) : nlohmann::json();
  json["image_path"] = post.image_path ? nlohmann::json(*post.image_path) : nlohmann::json();
  if (post.kind == "social") {
    json["audience"] = post.audience;
    json["brand"] = post.brand;
    json["platform"] = post.platform;
    json["brief"] = post.brief;
  }
  return json;
}

std::string render_post(const store::Post& post, ExportFormat format, FrontMatter front_matter) {
  switch (format) {
  case ExportFormat::markdown:
    return markdown_document(post, front_matter);
  case ExportFormat::html:
    return html_document(post);
  case ExportFormat::json:
    return post_json(post).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return {};
}

std::vector<ExportedPost> export_posts(Context& context, const ExportRequest& request) {
  const CurrentUser user = require_user(context);
  store::PostRepository repository(context.db());
  std::vector<store::Post> posts;
  if (request.scope == ExportScope::all) {
    store::PostFilter filter;
    filter.user_id = user.id;
    filter.kind = "blog";
    filter.sort = store::PostSort::created;
    filter.limit = -1; // no limit
    posts = repository.list(filter);
  } else {
    if (request.post_ids.empty()) throw Error(ErrorCode::usage, "give post ids to export, or --all");
    for (const auto id : request.post_ids)
      posts.push_back(detail::owned_post(repository, user, id));
  }
  std::vector<ExportedPost> exported;
  std::set<std::string> used;
  for (const auto& post : posts) {
    const std::string slug = slugify(post.title.empty() ? post.topic : post.title, post.id);
    const std::string extension(extension_of(request.format));
    std::string name = slug + extension;
    // Two posts with one title must not overwrite each other: later ones carry their id.
    for (int round = 0; used.count(name) != 0; ++round) {
      name = fmt::format("{}-{}{}{}", slug, post.id, round == 0 ? "" : fmt::format("-{}", round), extension);
    }
    used.insert(name);
    exported.push_back({post.id, name, render_post(post, request.format, request.front_matter)});
  }
  return exported;
}

std::vector<std::filesystem::path> write_exported(const std::vector<ExportedPost>& posts,
                                                  const std::filesystem::path& folder) {
  files::create_private_directories(folder);
  std::vector<std::filesystem::path> written;
  for (const auto& post : posts) {
    // Slugs hold only [a-z0-9-] and a fixed extension, so the path cannot leave the folder; checked anyway.
    const std::filesystem::path name(post.file_name);
    if (name.has_parent_path() || post.file_name.find('/') != std::string::npos || post.file_name.starts_with(".")) {
      throw Error(ErrorCode::failed, fmt::format("refusing to write outside {}", folder.string()));
    }
    const auto file = folder / name;
    files::write_atomically(file, post.document, 0644);
    written.push_back(file);
  }
  return written;
}

} // namespace blogen::app
