#include <blogen/gen/builtin_provider.hpp>

#include <blogen/core/text.hpp>

#include <blogen/gen/answer.hpp>

#include "builtin_caption.hpp"
#include "builtin_image.hpp"
#include "builtin_text.hpp"
#include "builtin_writer.hpp"

#include <chrono>
#include <utility>

namespace blogen::gen {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

/// Roughly what a tokenizer would count: about four tokens for every three English words.
std::int64_t approximate_tokens(std::size_t words) { return static_cast<std::int64_t>(words * 4 / 3); }

ChatResult cancelled(Clock::time_point start) {
  ChatResult result;
  result.error = ErrorKind::cancelled;
  result.error_message = "generation cancelled";
  result.model = std::string(k_builtin_model);
  result.latency = since(start);
  return result;
}

/// The brief to write from: the request's, or one built from the last user message when the caller sent only
/// messages (a plain chat, `provider test`).
Brief effective_brief(const ChatRequest& request) {
  Brief brief = request.brief;
  if (text::trim(brief.topic).empty() && text::trim(brief.prompt).empty()) {
    for (auto it = request.messages.rbegin(); it != request.messages.rend(); ++it) {
      if (it->role == "user" && !text::trim(it->content).empty()) {
        brief.prompt = it->content;
        break;
      }
    }
  }
  return brief;
}

} // namespace

ProviderConfig builtin_provider_config() {
  ProviderConfig config;
  config.name = "builtin";
  config.kind = "builtin";
  config.model = std::string(k_builtin_model);
  config.image_model = std::string(k_builtin_model);
  config.api_key_env.clear();
  config.max_attempts = 1; // nothing transient can go wrong offline
  return config;
}

BuiltinProvider::BuiltinProvider(ProviderConfig config) : m_config(std::move(config)) {}

const ProviderConfig& BuiltinProvider::config() const { return m_config; }

ChatResult BuiltinProvider::chat(const ChatRequest& request, const DeltaCallback& on_delta, std::stop_token stop) {
  const auto start = Clock::now();
  if (stop.stop_requested()) return cancelled(start);

  const Brief brief = effective_brief(request);
  const bool social = text::lower(text::trim(brief.kind)) == "social" || brief.template_name == "social-caption";
  std::string text = social ? builtin::write_caption(brief) : builtin::write_blog_post(brief);
  if (stop.stop_requested()) return cancelled(start);

  if (request.stream && on_delta) {
    // Word-sized chunks: each word with the whitespace before it, so the deltas concatenate to the text exactly.
    std::size_t position = 0;
    while (position < text.size()) {
      std::size_t end = position;
      while (end < text.size() && (text[end] == ' ' || text[end] == '\n' || text[end] == '\t'))
        ++end;
      while (end < text.size() && text[end] != ' ' && text[end] != '\n' && text[end] != '\t')
        ++end;
      if (stop.stop_requested()) return cancelled(start);
      on_delta(std::string_view(text).substr(position, end - position));
      position = end;
    }
  }

  std::size_t prompt_words = 0;
  for (const auto& message : request.messages)
    prompt_words += count_words(message.content);
  if (prompt_words == 0) prompt_words = count_words(brief.topic) + count_words(brief.prompt) + count_words(brief.brief);

  ChatResult result;
  result.ok = true;
  result.usage.prompt_tokens = approximate_tokens(prompt_words);
  result.usage.completion_tokens = approximate_tokens(count_words(text));
  result.text = std::move(text);
  result.finish_reason = "stop";
  result.model = std::string(k_builtin_model);
  result.latency = since(start);
  return result;
}

ImageResult BuiltinProvider::image(const ImageRequest& request, std::stop_token stop) {
  const auto start = Clock::now();
  ImageResult result;
  if (stop.stop_requested()) {
    result.error = ErrorKind::cancelled;
    result.error_message = "image generation cancelled";
    return result;
  }
  result.bytes = builtin::render_title_card(request);
  result.mime_type = "image/svg+xml";
  result.ok = true;
  result.latency = since(start);
  return result;
}

ModelsResult BuiltinProvider::list_models() {
  ModelsResult result;
  result.ok = true;
  result.models.emplace_back(k_builtin_model);
  return result;
}

} // namespace blogen::gen
