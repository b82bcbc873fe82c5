#pragma once
// The `generate_social` job: a caption with hashtags for one social post of a batch (through the shared
// run_post_generation), then, when the batch asked for images, an image saved beside the store. The two steps
// are recorded separately on the post, so a post whose image failed keeps its caption and a retry redoes only
// the image.

#include <blogen/app/generation_handler.hpp>
#include <blogen/gen/provider.hpp>
#include <blogen/jobs/handler.hpp>
#include <blogen/store/post_repository.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace blogen::app {

/// The job kind that writes a social post.
inline constexpr std::string_view k_generate_social = "generate_social";

/// Whether a social post also gets an image.
enum class Images { no, yes };

/// What a generate_social job carries beyond the post row (stored as the job's JSON payload).
struct SocialPayload {
  Images images = Images::no;
  /// The payload as JSON text.
  [[nodiscard]] std::string to_json() const;
  /// Reads a payload; missing or malformed fields take their defaults.
  static SocialPayload parse(std::string_view json);
};

/// The caption parser: the answer without a wrapping code fence, trimmed, as the content; its hashtags
/// (gen::extract_hashtags); the post's topic as the title.
store::GeneratedPost social_answer_to_post(const store::Post& post, const gen::ChatResult& answer);

/// The file extension for an image: from its MIME type (png, jpg, webp, svg), else from its first bytes; empty
/// when it is none of those.
std::string image_extension(std::string_view mime_type, std::string_view bytes);

/// The prompt an image is asked with: the post's topic, brand, platform, tone and audience.
std::string image_prompt(const store::Post& post);

/// The `generate_social` handler. The caption step is skipped when the post already has one (an earlier attempt
/// wrote it and only its image failed); the image is stored as `images/<post-id>.<ext>` beside the store (folder
/// 0700, file 0600, written atomically) and its path recorded on the post.
jobs::JobHandler make_generate_social_handler(std::shared_ptr<ProviderCache> providers);

} // namespace blogen::app
