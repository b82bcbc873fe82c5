#pragma once
// The provider seam: every text or image generation goes through a Provider. A call returns its outcome as a
// value (never throws for provider failures), because one failed post must not stop a batch.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace blogen::gen {

/// What a generation is for; the builtin writer shapes its draft from it, remote models get it through the prompt.
struct Brief {
  std::string kind = "blog";               ///< "blog" or "social"
  std::string template_name = "blog-post"; ///< blog-post, outline, listicle, how-to, newsletter, ...
  std::string topic;
  std::string title; ///< optional title the writer asked for
  std::string tone = "friendly";
  int words = 800; ///< target length for blog posts
  std::vector<std::string> keywords;
  std::string audience;
  std::string brand;
  std::string platform; ///< twitter, linkedin, instagram, generic (social posts)
  std::string brief;    ///< free-text brief from a batch row
  std::string prompt;   ///< a writer's raw prompt (`blog create --prompt`)
  std::uint64_t seed = 0;
};

/// One chat message.
struct ChatMessage {
  std::string role; ///< "system", "user" or "assistant"
  std::string content;
};

/// One text generation request. Serialisable to one JSON line (the OpenAI Batch API path).
struct ChatRequest {
  std::vector<ChatMessage> messages;
  std::string model; ///< empty: the provider's configured model
  std::optional<double> temperature;
  std::optional<int> max_tokens;
  bool stream = false;
  bool json_mode = false;
  std::chrono::milliseconds timeout{300'000}; ///< total time for one attempt
  Brief brief;                                ///< structured form of the request (used by the builtin writer)
};

/// Why a call failed. Decides retry (see `is_retryable`) and the exit code (provider errors exit 5).
enum class ErrorKind {
  none,
  timeout,
  connection,
  rate_limited,
  server,
  auth,
  bad_request,
  not_found_model,
  quota,
  malformed_response,
  cancelled
};

/// Stable lower-case name of an error kind, as stored in the log and printed in JSON.
std::string_view to_string(ErrorKind kind);
/// Whether a later attempt may succeed: timeout, connection, rate_limited, server, malformed_response.
bool is_retryable(ErrorKind kind);

/// Token counts as reported by the provider (zero when it reports none).
struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
};

/// The outcome of one attempt: text and metadata, or an error.
struct ChatResult {
  bool ok = false;
  std::string text;
  std::string finish_reason;
  std::string model; ///< the model that answered, as reported
  Usage usage;
  std::chrono::milliseconds latency{0};
  int http_status = 0; ///< 0 when no HTTP exchange happened
  ErrorKind error = ErrorKind::none;
  std::string error_message; ///< the provider's own message where it sent one; never contains the API key
  std::optional<std::chrono::milliseconds> retry_after; ///< from Retry-After / x-ratelimit-reset-*
  int attempts = 1;                                     ///< filled by the retry policy
  [[nodiscard]] bool retryable() const { return !ok && is_retryable(error); }
};

/// One image generation request.
struct ImageRequest {
  std::string prompt;
  std::string model; ///< empty: the provider's image model
  std::string size = "1024x1024";
  std::chrono::milliseconds timeout{300'000};
  Brief brief;
};

/// The outcome of one image attempt.
struct ImageResult {
  bool ok = false;
  std::string bytes;     ///< raw image bytes
  std::string mime_type; ///< "image/png", "image/svg+xml", ...
  std::chrono::milliseconds latency{0};
  int http_status = 0;
  ErrorKind error = ErrorKind::none;
  std::string error_message;
  std::optional<std::chrono::milliseconds> retry_after;
  int attempts = 1;
  [[nodiscard]] bool retryable() const { return !ok && is_retryable(error); }
};

/// The outcome of listing models (`provider test`).
struct ModelsResult {
  bool ok = false;
  std::vector<std::string> models;
  std::chrono::milliseconds latency{0};
  int http_status = 0;
  ErrorKind error = ErrorKind::none;
  std::string error_message;
};

/// Called with each piece of text as it arrives when streaming.
using DeltaCallback = std::function<void(std::string_view delta)>;

/// A configured provider as stored in the `providers` table (never holds the key itself).
struct ProviderConfig {
  std::string name;                                 ///< user-chosen name, e.g. "openrouter"
  std::string kind = "builtin";                     ///< "openai" or "builtin"
  std::string base_url;                             ///< e.g. https://api.openai.com/v1
  std::string model;                                ///< default chat model
  std::string image_model;                          ///< default image model (empty: provider default)
  std::string api_key_env = "OPENAI_API_KEY";       ///< environment variable holding the key; empty: no key
  std::map<std::string, std::string> extra_headers; ///< sent as they are; never a credential (see header_env)
  /// Credential headers: header name -> the NAME of the environment variable read for its value at each call.
  std::map<std::string, std::string> header_env;
  int max_concurrency = 4;
  int requests_per_minute = 0; ///< 0: unlimited
  int max_attempts = 5;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{300'000};
  /// A streamed answer that sends no byte for this long has stalled: the attempt fails as a timeout (and is retried).
  std::chrono::milliseconds stall_timeout{60'000};
  /// The largest answer read, streamed or not: a larger one fails instead of eating memory.
  std::size_t max_response_bytes = std::size_t{256} << 20;
  /// Same settings (a long-running worker rebuilds a provider whose stored configuration changed).
  bool operator==(const ProviderConfig&) const = default;
};

/// A text and image generator.
class Provider {
public:
  virtual ~Provider() = default;
  /// The configuration this provider was built from.
  [[nodiscard]] virtual const ProviderConfig& config() const = 0;
  /// One chat completion attempt. Streams deltas to `on_delta` when `request.stream` is set.
  virtual ChatResult chat(const ChatRequest& request, const DeltaCallback& on_delta, std::stop_token stop) = 0;
  /// One image generation attempt.
  virtual ImageResult image(const ImageRequest& request, std::stop_token stop) = 0;
  /// Lists the models the server offers (a cheap reachability check).
  virtual ModelsResult list_models() = 0;
};

} // namespace blogen::gen
