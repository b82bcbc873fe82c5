#pragma once
// `blog export`: posts as files for a static site generator (Markdown with Hugo or Jekyll front matter), as HTML
// (rendered by cmark, raw HTML in the text suppressed) or as JSON. File names are safe slugs that can never
// leave the output folder; every file is written atomically.

#include <blogen/app/context.hpp>
#include <blogen/store/post_repository.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::app {

/// What an exported file holds.
enum class ExportFormat { markdown, html, json };
/// The front matter of a Markdown export.
enum class FrontMatter { hugo, jekyll, none };
/// Which posts an export covers.
enum class ExportScope { listed, all };

/// Longest slug, in bytes (the file extension and an id suffix come on top).
constexpr std::size_t k_max_slug_chars = 80;

/// A file-name-safe slug: ASCII letters and digits (accents folded where simple, everything else a '-'), lower
/// case, no leading, trailing or repeated '-', at most k_max_slug_chars, never a reserved device name (CON, NUL,
/// COM1, ...). Falls back to `post-<id>` when nothing is left.
std::string slugify(std::string_view title, std::int64_t post_id);
/// The file extension of a format, with its dot.
std::string_view extension_of(ExportFormat format);
/// Parses `--format` (usage error naming it otherwise).
ExportFormat parse_export_format(std::string_view text);
/// Parses `--front-matter` (usage error naming it otherwise).
FrontMatter parse_front_matter(std::string_view text);

/// Every field of a post as JSON (timestamps in ISO 8601), as `show --format json` and JSON exports print it.
nlohmann::json post_json(const store::Post& post);
/// A post rendered as one document in a format.
std::string render_post(const store::Post& post, ExportFormat format, FrontMatter front_matter);
/// Markdown to HTML with cmark; raw HTML and dangerous links (javascript:, data:...) are not rendered.
std::string markdown_to_html(std::string_view markdown);

/// What `blog export` asks for.
struct ExportRequest {
  std::vector<std::int64_t> post_ids;
  ExportScope scope = ExportScope::listed;
  ExportFormat format = ExportFormat::markdown;
  FrontMatter front_matter = FrontMatter::none;
};

/// One exported document.
struct ExportedPost {
  std::int64_t post_id = 0;
  std::string file_name; ///< the safe, unique file name (slug + extension)
  std::string document;
};

/// Renders the user's posts (the listed ones, each checked like `show`, or all live ones) with unique file names.
std::vector<ExportedPost> export_posts(Context& context, const ExportRequest& request);
/// Writes exported posts into `folder` (created 0700 when missing), each atomically; returns the paths written.
std::vector<std::filesystem::path> write_exported(const std::vector<ExportedPost>& posts,
                                                  const std::filesystem::path& folder);

} // namespace blogen::app
