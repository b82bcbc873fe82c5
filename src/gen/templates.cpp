#include <blogen/gen/templates.hpp>

#include <blogen/core/text.hpp>

#include <blogen/core/error.hpp>

#include "builtin_text.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace blogen::gen {
namespace {

// Shared by every long-form template: the answer must be parseable by parse_answer (first `# ` heading is the
// title, no fences, no chatter), and must respect the brief rather than the model's habits.
constexpr std::string_view k_writer_system =
    "You are an experienced content writer and editor. You write original, accurate and specific copy in a "
    "{tone|friendly} tone for {audience|general readers}. You never invent statistics, quotes or sources; when a "
    "claim needs one, phrase it as general experience instead. You answer with the finished piece only: no "
    "preamble, no notes to the editor, no code fences around the answer.";

constexpr std::string_view k_format_rules =
    "\n\nFormat rules:\n"
    "- Answer in Markdown. The first line is the title as a level-1 heading (`# Title`); use no other level-1 "
    "heading.\n"
    "- Aim for about {words} words in total (stay within 10% of it).\n"
    "- Work these keywords in naturally, each at least once, never stuffed: {keywords}.\n"
    "- Write for {audience} in a {tone} tone.\n"
    "- Do not wrap the answer in code fences.";

std::string long_form(std::string_view task, std::string_view structure) {
  return std::string(task) + "\n\n" + std::string(structure) + std::string(k_format_rules);
}

std::vector<Template> make_builtin_templates() {
  std::vector<Template> templates;
  templates.push_back(Template{
      "blog-post", std::string(k_writer_system),
      long_form("Write a blog post about: {topic}\n\n"
                "Title: {title|choose a specific, compelling title}\n"
                "Brief: {brief}",
                "Structure:\n"
                "- An introduction of one or two short paragraphs that hooks the reader and says what they will "
                "get.\n"
                "- 3 to 7 sections with `## ` headings, each making one clear point with concrete examples.\n"
                "- A conclusion (`## ` heading) that sums up the key takeaway and ends with a clear call to "
                "action."),
      true});
  templates.push_back(
      Template{"outline", std::string(k_writer_system),
               long_form("Write a detailed outline for an article about: {topic}\n\n"
                         "Working title: {title|propose a specific, compelling title}\n"
                         "Brief: {brief}",
                         "Structure:\n"
                         "- A short introductory paragraph stating the article's angle and who it is for.\n"
                         "- 3 to 7 sections with `## ` headings; under each, 3 to 6 bullet points (`- `) with the key "
                         "points, nested sub-bullets for supporting details and examples.\n"
                         "- A final `## Conclusion` section whose bullets give the takeaway and a call to action."),
               true});
  templates.push_back(Template{
      "listicle", std::string(k_writer_system),
      long_form("Write a list article (listicle) about: {topic}\n\n"
                "Title: {title|choose a title that states the number of items}\n"
                "Brief: {brief}",
                "Structure:\n"
                "- A short introduction explaining why the list is worth reading.\n"
                "- 3 to 6 numbered items, each a `## ` heading such as `## 1. Item name`, followed by a paragraph "
                "that explains the item and how to use it.\n"
                "- A closing `## ` section that ties the items together and ends with a call to action."),
      true});
  templates.push_back(Template{
      "how-to", std::string(k_writer_system),
      long_form("Write a practical step-by-step how-to guide about: {topic}\n\n"
                "Title: {title|start the title with \"How to\"}\n"
                "Brief: {brief}",
                "Structure:\n"
                "- A short introduction: what the reader will achieve and roughly how long it takes.\n"
                "- Optionally a `## What You'll Need` section with a bullet list.\n"
                "- Numbered steps, each a `## Step N: ...` heading with clear, actionable instructions and a tip "
                "or a common mistake to avoid.\n"
                "- A closing `## ` section with the result to expect and a call to action."),
      true});
  templates.push_back(Template{
      "newsletter", std::string(k_writer_system),
      long_form("Write a newsletter issue from {brand|the team} about: {topic}\n\n"
                "Subject line (as the title): {title|write a subject line people want to open}\n"
                "Brief: {brief}",
                "Structure:\n"
                "- A warm greeting and a one-paragraph opener about this issue.\n"
                "- 3 to 5 sections with `## ` headings: the main story, practical tips, something worth reading, "
                "news from {brand|the team} and what is coming next.\n"
                "- A sign-off section that asks readers to reply, share or subscribe (the call to action)."),
      true});
  templates.push_back(Template{
      "product-description", std::string(k_writer_system),
      long_form("Write a product description for: {topic}\n\n"
                "Brand: {brand|not specified}\n"
                "Product name (as the title): {title|use the product's name or a short benefit-led headline}\n"
                "Brief: {brief}",
                "Structure:\n"
                "- An opening paragraph with the main benefit, in the customer's words.\n"
                "- `## ` sections for key features (a bullet list, each feature tied to a benefit), why customers "
                "love it, who it is for and how it works.\n"
                "- A closing `## ` section with a confident call to action to buy or try it.\n"
                "- Describe only what the brief and topic support; do not invent specifications or prices."),
      true});
  templates.push_back(Template{
      "social-caption",
      "You are a social media copywriter for {brand|the brand}. You write {tone|friendly} captions for "
      "{platform|social media} that stop the scroll and speak directly to {audience|general readers}. You answer "
      "with the caption only: no heading, no quotes around it, no preamble, no code fences.",
      "Write one {platform|social media} caption for {brand|the brand} about: {topic}\n\n"
      "Brief: {brief}\n"
      "Audience: {audience}\n"
      "Tone: {tone}\n"
      "Keywords: {keywords}\n\n"
      "Rules:\n"
      "- The whole caption, hashtags included, must fit in {limit} characters.\n"
      "- Mention {brand|the brand} by name and speak to {audience} directly.\n"
      "- Open with a hook, keep sentences short, and end with a call to action.\n"
      "- Put 3 to 8 relevant hashtags on the last line and nowhere else: letters and digits only, CamelCase for "
      "several words (#RemoteWork), including one for the brand.\n"
      "- No heading and no Markdown formatting.",
      true});
  return templates;
}

struct Position {
  std::size_t line = 1;
  std::size_t column = 1;
};

Position position_of(std::string_view text, std::size_t offset) {
  Position position;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

[[noreturn]] void fail(std::string_view template_name, std::string_view part, std::string_view text, std::size_t offset,
                       const std::string& what) {
  const Position at = position_of(text, offset);
  std::string message = "template";
  if (!template_name.empty()) message += " '" + std::string(template_name) + "'";
  if (!part.empty()) message += " (" + std::string(part) + ")";
  message += ": " + what + " at line " + std::to_string(at.line) + ", column " + std::to_string(at.column);
  throw Error{ErrorCode::bad_input, message};
}

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-'; }

bool is_known_variable(std::string_view name) {
  const auto& names = template_variable_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string render(std::string_view text, const TemplateVariables& variables, std::string_view template_name,
                   std::string_view part) {
  std::string out;
  out.reserve(text.size() + 256);
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '}') {
      // "}}" is an escaped brace; a lone '}' is harmless text.
      out += '}';
      i += (i + 1 < text.size() && text[i + 1] == '}') ? 2 : 1;
      continue;
    }
    if (c != '{') {
      out += c;
      ++i;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      out += '{';
      i += 2;
      continue;
    }
    const std::size_t close = text.find_first_of("}\n{", i + 1);
    if (close == std::string_view::npos || text[close] != '}') {
      fail(template_name, part, text, i, "unclosed '{' (write '{{' for a literal brace)");
    }
    const std::string_view inside = text.substr(i + 1, close - i - 1);
    const auto bar = inside.find('|');
    const std::string_view name = inside.substr(0, bar);
    const std::string_view fallback = bar == std::string_view::npos ? std::string_view{} : inside.substr(bar + 1);
    if (name.empty()) fail(template_name, part, text, i, "empty variable name in '{" + std::string(inside) + "}'");
    if (!std::all_of(name.begin(), name.end(), is_name_char)) {
      fail(template_name, part, text, i,
           "malformed placeholder '{" + std::string(inside) + "}' (write '{{' for a literal brace)");
    }
    const auto found = variables.find(std::string(name));
    if (found == variables.end() && !is_known_variable(name)) {
      std::string known;
      for (const auto& known_name : template_variable_names())
        known += (known.empty() ? "" : ", ") + known_name;
      fail(template_name, part, text, i, "unknown variable {" + std::string(name) + "} (known: " + known + ")");
    }
    const std::string value = found == variables.end() ? std::string() : found->second;
    out += value.empty() ? std::string(fallback) : value;
    i = close + 1;
  }
  return out;
}

std::string or_default(std::string_view value, std::string_view fallback) {
  const std::string_view trimmed = text::trim(value);
  return trimmed.empty() ? std::string(fallback) : std::string(trimmed);
}

} // namespace

const std::vector<std::string>& template_variable_names() {
  static const std::vector<std::string> names{"topic",    "tone",  "audience", "words",  "keywords", "brand",
                                              "platform", "brief", "title",    "prompt", "limit"};
  return names;
}

const std::vector<Template>& builtin_templates() {
  static const std::vector<Template> templates = make_builtin_templates();
  return templates;
}

const Template* find_builtin_template(std::string_view name) {
  const auto& templates = builtin_templates();
  const auto found =
      std::find_if(templates.begin(), templates.end(), [&](const Template& t) { return t.name == name; });
  return found == templates.end() ? nullptr : &*found;
}

std::string render_template(std::string_view text, const TemplateVariables& variables, std::string_view template_name) {
  return render(text, variables, template_name, {});
}

void validate_template(std::string_view name, std::string_view system_prompt, std::string_view user_prompt) {
  const bool name_ok = !name.empty() && name.size() <= 64 &&
                       std::isalnum(static_cast<unsigned char>(name.front())) != 0 &&
                       std::all_of(name.begin(), name.end(), [](char c) {
                         return (std::islower(static_cast<unsigned char>(c)) != 0) ||
                                (std::isdigit(static_cast<unsigned char>(c)) != 0) || c == '-' || c == '_';
                       });
  if (!name_ok) {
    throw Error{ErrorCode::usage, "template name '" + std::string(name) +
                                      "' must be 1-64 lowercase letters, digits, '-' or '_', starting with a "
                                      "letter or digit"};
  }
  if (text::trim(user_prompt).empty()) {
    throw Error{ErrorCode::bad_input, "template '" + std::string(name) + "': the user prompt is empty"};
  }
  constexpr std::size_t k_max_prompt = std::size_t{64} * 1024;
  if (system_prompt.size() > k_max_prompt || user_prompt.size() > k_max_prompt) {
    throw Error{ErrorCode::bad_input, "template '" + std::string(name) + "' is larger than 64 KiB"};
  }
  // Rendering with no values checks every placeholder without needing a brief.
  const TemplateVariables none;
  render(system_prompt, none, name, "system prompt");
  render(user_prompt, none, name, "user prompt");
}

std::size_t platform_char_limit(std::string_view platform) {
  const std::string name = text::lower(text::trim(platform));
  if (name == "twitter" || name == "x") return 280;
  if (name == "linkedin") return 3000;
  return 2200; // instagram, generic and anything else
}

std::string brief_topic(const Brief& brief) {
  const std::string_view topic = text::trim(brief.topic);
  if (!topic.empty()) return std::string(topic);
  if (!text::trim(brief.prompt).empty()) return builtin::topic_from_prompt(brief.prompt);
  if (!text::trim(brief.title).empty()) return std::string(text::trim(brief.title));
  return "this topic";
}

TemplateVariables template_variables(const Brief& brief) {
  std::string keywords;
  for (const auto& keyword : brief.keywords) {
    const std::string_view trimmed = text::trim(keyword);
    if (trimmed.empty()) continue;
    if (!keywords.empty()) keywords += ", ";
    keywords += trimmed;
  }
  const std::string platform = or_default(brief.platform, "generic");
  return TemplateVariables{
      {"topic", brief_topic(brief)},
      {"tone", or_default(brief.tone, "friendly")},
      {"audience", or_default(brief.audience, "general readers")},
      {"words", std::to_string(brief.words > 0 ? brief.words : 800)},
      {"keywords", keywords.empty() ? std::string("none required (choose natural terms)") : keywords},
      {"brand", std::string(text::trim(brief.brand))},
      {"platform", platform},
      {"brief", or_default(brief.brief, "none")},
      {"title", std::string(text::trim(brief.title))},
      {"prompt", std::string(text::trim(brief.prompt))},
      {"limit", std::to_string(platform_char_limit(platform))},
  };
}

ChatRequest build_chat_request(const Template& tmpl, const Brief& brief) {
  ChatRequest request;
  request.brief = brief;
  request.brief.template_name = tmpl.name;
  if (tmpl.name == "social-caption") request.brief.kind = "social";
  const TemplateVariables variables = template_variables(request.brief);
  const bool social = request.brief.kind == "social";

  const std::string system = render(tmpl.system_prompt, variables, tmpl.name, "system prompt");
  std::string user;
  const bool prompt_only = text::trim(brief.topic).empty() && !text::trim(brief.prompt).empty();
  if (prompt_only) {
    // The writer's own words are the request; only the output contract is added so the answer stays parseable.
    user = std::string(text::trim(brief.prompt));
    if (social) {
      user += "\n\nAnswer with the caption only, at most " + variables.at("limit") +
              " characters including 3 to 8 hashtags on the last line; no heading.";
    } else {
      user += "\n\nAnswer in Markdown. The first line is the title as a level-1 heading (`# Title`). Do not "
              "wrap the answer in code fences.";
    }
  } else {
    user = render(tmpl.user_prompt, variables, tmpl.name, "user prompt");
    if (!text::trim(brief.prompt).empty()) {
      user += "\n\nAdditional instructions from the writer:\n" + std::string(text::trim(brief.prompt));
    }
  }
  if (!text::trim(system).empty()) request.messages.push_back(ChatMessage{"system", system});
  request.messages.push_back(ChatMessage{"user", user});
  return request;
}

} // namespace blogen::gen
