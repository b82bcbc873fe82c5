// Markdown to HTML for `blog export --format html`, through libcmark opened with dlopen on the first call: only
// export renders HTML, and a library the executable names is loaded by every command before main() (#18: cmark
// cost `blog show` about 0.25 ms and a dozen page faults for nothing).
#include <blogen/app/post_export.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/shared_library.hpp>

#include <cmark.h>

#include <cstdlib>
#include <memory>

namespace blogen::app {
namespace {

struct CmarkApi {
  decltype(&cmark_markdown_to_html) markdown_to_html = nullptr;
  std::string problem;
};

const CmarkApi& cmark() {
  // Loaded once, thread-safe; never unloaded (see SharedLibrary).
  static const CmarkApi* const loaded = new CmarkApi(
      bind_library<CmarkApi>("libcmark.so.0.30.2", "libcmark0.30.2", [](SharedLibrary& library, CmarkApi& api) {
        library.bind(api.markdown_to_html, "cmark_markdown_to_html");
      }));
  return *loaded;
}

} // namespace

std::string markdown_to_html(std::string_view markdown) {
  const CmarkApi& api = cmark();
  if (!api.problem.empty()) throw Error(ErrorCode::failed, "cannot render HTML: " + api.problem);
  // cmark 0.30 is safe by default: raw HTML becomes a comment and javascript:/data: links are dropped.
  const std::unique_ptr<char, decltype(&std::free)> html(
      api.markdown_to_html(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT), &std::free);
  return html ? std::string(html.get()) : std::string();
}

} // namespace blogen::app
