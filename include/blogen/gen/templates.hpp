#pragma once
// Prompt templates: the built-in ones (blog-post, outline, listicle, how-to, newsletter, product-description,
// social-caption) and the small placeholder language user templates are written in.

#include <blogen/gen/provider.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::gen {

/// A prompt template: a system prompt and a user prompt with `{variable}` placeholders.
struct Template {
  std::string name;
  std::string system_prompt;
  std::string user_prompt;
  bool builtin = false; ///< shipped with blogen (cannot be removed); false for templates added from files
};

/// Variable values by name ("topic" -> "sourdough"), as substituted into a template.
using TemplateVariables = std::map<std::string, std::string>;

/// The variables every template may use: topic, tone, audience, words, keywords, brand, platform, brief, title,
/// prompt, limit (the platform's character limit).
const std::vector<std::string>& template_variable_names();

/// The built-in templates, in the order `template list` shows them.
const std::vector<Template>& builtin_templates();

/// The built-in template with this name, or nullptr.
const Template* find_builtin_template(std::string_view name);

/// Substitutes `{name}` and `{name|default}` (default used when the value is empty); `{{` and `}}` are literal
/// braces. A variable that is neither in `variables` nor a known template variable, an unclosed `{` or an empty
/// name throws blogen::Error{ErrorCode::bad_input} naming it, its line and column, and `template_name` if given.
std::string render_template(std::string_view text, const TemplateVariables& variables,
                            std::string_view template_name = {});

/// Checks a user template before it is stored: a name of lowercase letters, digits, '-' and '_' (usage error
/// otherwise), a non-empty user prompt, and only known variables in well-formed placeholders (bad_input).
void validate_template(std::string_view name, std::string_view system_prompt, std::string_view user_prompt);

/// The character limit of a caption on a platform: twitter/x 280, linkedin 3000, instagram and others 2200.
std::size_t platform_char_limit(std::string_view platform);

/// The variables of a brief, with sensible stand-ins for empty ones (audience "general readers", tone
/// "friendly", ...), so a template never renders a blank where a value was expected.
TemplateVariables template_variables(const Brief& brief);

/// The topic of a brief: its topic, or one derived from its prompt when only a prompt was given.
std::string brief_topic(const Brief& brief);

/// A chat request (system + user message) for a brief rendered through a template, with the brief attached.
/// A brief with a prompt and no topic sends the writer's prompt itself, plus the Markdown title instruction.
ChatRequest build_chat_request(const Template& tmpl, const Brief& brief);

} // namespace blogen::gen
