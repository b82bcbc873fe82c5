#include <blogen/app/configuration.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/core/text_position.hpp>
#include <blogen/store/config_repository.hpp>

#include <fmt/format.h>

namespace blogen::app {
namespace {

gen::Template from_stored(const store::StoredTemplate& stored) {
  return {stored.name, stored.system_prompt, stored.user_prompt, false};
}

// A template file is the user prompt, optionally preceded by a system prompt and a line holding only `---`.
std::pair<std::string, std::string> split_template_file(const std::string& text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == "---") return {text.substr(0, start), end < text.size() ? text.substr(end + 1) : std::string()};
    start = end + 1;
  }
  return {gen::find_builtin_template("blog-post")->system_prompt, text};
}

} // namespace

gen::Template find_template(Context& context, const std::string& name) {
  if (auto stored = store::TemplateRepository(context.db()).find(name)) return from_stored(*stored);
  if (const gen::Template* builtin = gen::find_builtin_template(name)) return *builtin;
  throw Error(ErrorCode::usage, fmt::format("--template: no template named '{}' (see 'blogen template list')", name));
}

std::vector<gen::Template> list_templates(Context& context) {
  require_user(context);
  std::vector<gen::Template> templates = gen::builtin_templates();
  for (const auto& stored : store::TemplateRepository(context.db()).list()) {
    // A user template may shadow a built-in one of the same name.
    std::erase_if(templates, [&](const gen::Template& t) { return t.name == stored.name; });
    templates.push_back(from_stored(stored));
  }
  return templates;
}

gen::Template add_template(Context& context, const std::string& name, const std::filesystem::path& file) {
  require_admin(context);
  if (file != "-") context.refuse_store_file(file, "--file");
  const std::string text = file == "-" ? files::read_stdin() : files::read_all(file);
  require_utf8(text, file == "-" ? "stdin" : file.string(), "template");
  auto [system_prompt, user_prompt] = split_template_file(text);
  try {
    gen::validate_template(name, system_prompt, user_prompt);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::bad_input)
      throw Error(ErrorCode::bad_input, fmt::format("{}: {}", file.string(), e.what()));
    throw;
  }
  store::TemplateRepository(context.db()).save({name, system_prompt, user_prompt, 0}, context.clock().now_ms());
  return {name, system_prompt, user_prompt, false};
}

void remove_template(Context& context, const std::string& name) {
  require_admin(context);
  if (store::TemplateRepository(context.db()).remove(name)) return;
  if (gen::find_builtin_template(name) != nullptr) {
    throw Error(ErrorCode::usage, fmt::format("'{}' is a built-in template and cannot be removed", name));
  }
  throw Error(ErrorCode::not_found, fmt::format("no template named '{}'", name));
}

} // namespace blogen::app
