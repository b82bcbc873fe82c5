#pragma once
// The `openai` provider: OpenAI's chat-completions, images and models endpoints over libcurl. Because it speaks
// only the common API, the same code serves OpenAI, OpenRouter, Ollama, llama.cpp, vLLM and LM Studio.

#include <blogen/gen/provider.hpp>

#include <string>

namespace blogen::gen {

/// The ready-made `openai` provider (works without `provider add`): the official endpoint, gpt-4o-mini and
/// gpt-image-1, the key from OPENAI_API_KEY.
ProviderConfig openai_provider_config();

/// A Provider that talks HTTP to an OpenAI-compatible server. Thread-safe: each call stands alone.
class OpenAiProvider final : public Provider {
public:
  /// Uses `config.base_url` (e.g. `https://api.openai.com/v1`), its models, timeouts and extra headers. The key is
  /// read from the environment variable `config.api_key_env` at each call, never stored.
  explicit OpenAiProvider(ProviderConfig config);

  [[nodiscard]] const ProviderConfig& config() const override { return m_config; }
  ChatResult chat(const ChatRequest& request, const DeltaCallback& on_delta, std::stop_token stop) override;
  ImageResult image(const ImageRequest& request, std::stop_token stop) override;
  ModelsResult list_models() override;

private:
  ProviderConfig m_config;
};

/// Replaces every occurrence of `secret` in `text` with `[redacted]` (no-op for an empty secret).
std::string redact(std::string text, const std::string& secret);

} // namespace blogen::gen
