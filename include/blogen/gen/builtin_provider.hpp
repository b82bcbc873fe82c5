#pragma once
// The embedded offline provider: drafts blog posts and captions from the brief itself (no network, no key),
// so blogen works out of the box and tests have a fast, deterministic writer.

#include <blogen/gen/provider.hpp>

namespace blogen::gen {

/// The builtin provider's model name, as reported in results and `provider list`.
inline constexpr std::string_view k_builtin_model = "builtin-drafter";

/// The default configuration of the builtin provider (name and kind "builtin", model "builtin-drafter", no key).
ProviderConfig builtin_provider_config();

/// A Provider that writes from `request.brief` (messages are ignored, except that a brief with neither topic
/// nor prompt takes the last user message as its prompt). Deterministic for the same brief and seed.
class BuiltinProvider : public Provider {
public:
  /// A builtin provider with the given configuration (its model is reported as "builtin-drafter" regardless).
  explicit BuiltinProvider(ProviderConfig config = builtin_provider_config());

  [[nodiscard]] const ProviderConfig& config() const override;
  /// A Markdown draft (kind "blog") or a caption with hashtags (kind "social"); word-sized deltas when streaming;
  /// ErrorKind::cancelled when `stop` is requested.
  ChatResult chat(const ChatRequest& request, const DeltaCallback& on_delta, std::stop_token stop) override;
  /// An SVG title card ("image/svg+xml").
  ImageResult image(const ImageRequest& request, std::stop_token stop) override;
  /// Always ok, with the single model "builtin-drafter".
  ModelsResult list_models() override;

private:
  ProviderConfig m_config;
};

} // namespace blogen::gen
