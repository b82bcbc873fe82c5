#include <blogen/gen/openai_provider.hpp>

#include <blogen/core/clock.hpp>
#include <blogen/core/text.hpp>
#include <blogen/gen/credentials.hpp>
#include <blogen/gen/openai_wire.hpp>
#include <blogen/gen/rate_limit_headers.hpp>
#include <blogen/gen/sse_parser.hpp>

#include "base64.hpp"
#include "http_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace blogen::gen {
namespace {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

// `provider test` is a reachability check; it should not hang for the full generation timeout.
constexpr milliseconds k_models_timeout{30'000};
// Stream bytes kept in case the server ignored `stream` and answered with one JSON document.
constexpr std::size_t k_unstreamed_limit = std::size_t{16} << 20;

std::string endpoint(const ProviderConfig& config, const char* path) {
  auto base = config.base_url;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base + path;
}

bool has_header_line_break(const std::string& text) { return text.find_first_of("\r\n") != std::string::npos; }

std::vector<std::string> request_headers(const ProviderConfig& config, const Credentials& credentials,
                                         const char* accept) {
  std::vector<std::string> headers{"Content-Type: application/json", std::string("Accept: ") + accept};
  bool custom_authorization = false;
  const auto add = [&](const std::string& name, const std::string& value) {
    if (has_header_line_break(name) || has_header_line_break(value)) return; // never let a header smuggle another
    custom_authorization = custom_authorization || text::lower(name) == "authorization";
    headers.push_back(fmt::format("{}: {}", name, value));
  };
  for (const auto& [name, value] : config.extra_headers)
    add(name, value);
  for (const auto& [name, value] : credentials.headers)
    add(name, value);
  // No key (Ollama, llama.cpp) means no Authorization header at all rather than an empty bearer.
  if (!credentials.api_key.empty() && !custom_authorization) {
    headers.push_back("Authorization: Bearer " + credentials.api_key);
  }
  return headers;
}

milliseconds effective_timeout(milliseconds requested, milliseconds configured) {
  if (requested.count() <= 0) return configured;
  if (configured.count() <= 0) return requested;
  return std::min(requested, configured);
}

milliseconds since(Steady::time_point start) { return std::chrono::duration_cast<milliseconds>(Steady::now() - start); }

// Transport failures and HTTP errors land in the same four fields of every result type.
struct Outcome {
  ErrorKind error = ErrorKind::none;
  std::string message;
  std::optional<milliseconds> retry_after;
};

Outcome transport_outcome(const HttpResponse& response) {
  switch (response.error) {
  case TransportError::timeout:
    return {ErrorKind::timeout, response.error_message, std::nullopt};
  case TransportError::cancelled:
    return {ErrorKind::cancelled, "cancelled", std::nullopt};
  case TransportError::invalid_request:
    return {ErrorKind::bad_request, "invalid request: " + response.error_message, std::nullopt};
  case TransportError::unavailable: // libcurl is missing: no attempt can succeed until it is installed
    return {ErrorKind::bad_request, response.error_message, std::nullopt};
  case TransportError::too_large:
  case TransportError::aborted:
    return {ErrorKind::malformed_response, response.error_message, std::nullopt};
  case TransportError::connection:
  case TransportError::none:
    break;
  }
  return {ErrorKind::connection, response.error_message, std::nullopt};
}

Outcome http_outcome(const HttpResponse& response) {
  auto failure = classify_http_failure(response.status, response.body);
  return {failure.kind, std::move(failure.message),
          retry_after_from_headers(response.headers, SystemClock::instance().now_ms())};
}

template <typename Result> void apply(Result& result, Outcome&& outcome) {
  result.ok = false;
  result.error = outcome.error;
  result.error_message = std::move(outcome.message);
  if constexpr (requires { result.retry_after; }) result.retry_after = outcome.retry_after;
}

// Defence in depth: no secret goes into a URL or a message we build, but a server may echo one back.
template <typename Result> void scrub(Result& result, const Credentials& credentials) {
  for (const auto& secret : credentials.secrets()) {
    result.error_message = redact(std::move(result.error_message), secret);
    if constexpr (requires { result.text; }) result.text = redact(std::move(result.text), secret);
  }
}

// A variable that is not set stops the call before any request: sending none would earn a 401 that on a real
// service reads "Incorrect API key", hiding the real cause.
template <typename Result> bool refuse_without_credentials(Result& result, const Credentials& credentials) {
  if (credentials.problem.empty()) return false;
  apply(result, {ErrorKind::auth, credentials.problem, std::nullopt});
  return true;
}

std::string sniff_mime(std::string_view bytes, const std::string& declared) {
  if (bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0) return "image/png";
  if (bytes.rfind("\xFF\xD8\xFF", 0) == 0) return "image/jpeg";
  if (bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP") return "image/webp";
  if (bytes.rfind("GIF8", 0) == 0) return "image/gif";
  if (declared.rfind("image/", 0) == 0) return declared.substr(0, declared.find(';'));
  return "application/octet-stream";
}

} // namespace

std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  static const std::string k_mask = "[redacted]";
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + k_mask.size()))
    text.replace(at, secret.size(), k_mask);
  return text;
}

ProviderConfig openai_provider_config() {
  ProviderConfig config;
  config.name = "openai";
  config.kind = "openai";
  config.base_url = "https://api.openai.com/v1";
  config.model = "gpt-4o-mini";
  config.image_model = "gpt-image-1";
  config.api_key_env = "OPENAI_API_KEY";
  return config;
}

OpenAiProvider::OpenAiProvider(ProviderConfig config) : m_config(std::move(config)) {}

ChatResult OpenAiProvider::chat(const ChatRequest& request, const DeltaCallback& on_delta, std::stop_token stop) {
  const auto start = Steady::now();
  ChatResult result;
  const auto key = read_credentials(m_config);
  if (refuse_without_credentials(result, key)) return result;
  HttpRequest http;
  http.method = "POST";
  http.url = endpoint(m_config, "/chat/completions");
  http.headers = request_headers(m_config, key, request.stream ? "text/event-stream" : "application/json");
  http.body = to_openai_chat_json(request, m_config.model).dump();
  http.connect_timeout = m_config.connect_timeout;
  http.timeout = effective_timeout(request.timeout, m_config.request_timeout);
  http.max_body_bytes = m_config.max_response_bytes;
  // A whole answer may take minutes to compose before its first byte; a stream sends as it writes, so silence
  // there means it stalled.
  if (request.stream) http.stall_timeout = m_config.stall_timeout;

  ChatResult streamed;
  ChatStreamAssembler assembler(streamed, on_delta);
  SseParser parser([&assembler](const SseEvent& event) { assembler.on_data(event.data); });
  std::string unstreamed;
  bool stream_broken = false;
  if (request.stream) {
    http.on_success_body = [&](std::string_view chunk) {
      if (!assembler.saw_events() && unstreamed.size() < k_unstreamed_limit) unstreamed.append(chunk);
      parser.feed(chunk);
      // A broken event ends the stream: reading on would only deliver text after a gap.
      stream_broken = streamed.error == ErrorKind::malformed_response;
      return !stream_broken;
    };
  }

  auto response = perform_http(http, stop);
  result.latency = since(start);
  result.http_status = response.status;
  if (response.error != TransportError::none && !(stream_broken && response.error == TransportError::aborted)) {
    apply(result, transport_outcome(response));
  } else if (response.status < 200 || response.status >= 300) {
    apply(result, http_outcome(response));
  } else if (request.stream) {
    parser.finish();
    if (!assembler.saw_events() && !unstreamed.empty()) {
      streamed = parse_chat_completion(unstreamed);
    } else {
      assembler.finish();
    }
    streamed.latency = result.latency;
    streamed.http_status = result.http_status;
    result = std::move(streamed);
  } else {
    auto parsed = parse_chat_completion(response.body);
    parsed.latency = result.latency;
    parsed.http_status = result.http_status;
    result = std::move(parsed);
  }
  if (result.model.empty()) result.model = request.model.empty() ? m_config.model : request.model;
  scrub(result, key);
  return result;
}

ImageResult OpenAiProvider::image(const ImageRequest& request, std::stop_token stop) {
  const auto start = Steady::now();
  ImageResult result;
  const auto key = read_credentials(m_config);
  if (refuse_without_credentials(result, key)) return result;
  const auto model = request.model.empty() ? m_config.image_model : request.model;
  nlohmann::json body{{"prompt", request.prompt}, {"n", 1}, {"size", request.size}};
  if (!model.empty()) body["model"] = model;
  // gpt-image models always answer in base64 and reject the parameter; dall-e and most others need it.
  if (model.rfind("gpt-image", 0) != 0) body["response_format"] = "b64_json";

  HttpRequest http;
  http.method = "POST";
  http.url = endpoint(m_config, "/images/generations");
  http.headers = request_headers(m_config, key, "application/json");
  http.body = body.dump();
  http.connect_timeout = m_config.connect_timeout;
  http.timeout = effective_timeout(request.timeout, m_config.request_timeout);
  http.max_body_bytes = m_config.max_response_bytes;
  auto response = perform_http(http, stop);
  result.http_status = response.status;

  if (response.error != TransportError::none) {
    apply(result, transport_outcome(response));
  } else if (response.status < 200 || response.status >= 300) {
    apply(result, http_outcome(response));
  } else {
    const auto json = nlohmann::json::parse(response.body, nullptr, false);
    const auto data = json.is_object() ? json.find("data") : json.end();
    if (json.is_discarded() || !json.is_object()) {
      apply(result, {ErrorKind::malformed_response, "the image answer is not valid JSON", std::nullopt});
    } else if (json.contains("error") && !json["error"].is_null()) {
      apply(result, {ErrorKind::malformed_response,
                     "the server reported an error: " + provider_error_message(response.body), std::nullopt});
    } else if (data == json.end() || !data->is_array() || data->empty() || !data->front().is_object()) {
      apply(result, {ErrorKind::malformed_response, "the image answer has no data", std::nullopt});
    } else if (const auto& item = data->front(); item.contains("b64_json") && item["b64_json"].is_string()) {
      auto bytes = base64_decode(item["b64_json"].get<std::string>());
      if (!bytes || bytes->empty()) {
        apply(result, {ErrorKind::malformed_response, "the image is not valid base64", std::nullopt});
      } else {
        result.ok = true;
        result.mime_type = sniff_mime(*bytes, {});
        result.bytes = std::move(*bytes);
      }
    } else if (item.contains("url") && item["url"].is_string()) {
      // The URL points at storage, often another host: it gets no Authorization header, and may redirect.
      HttpRequest download;
      download.url = item["url"].get<std::string>();
      download.connect_timeout = m_config.connect_timeout;
      download.timeout = std::max(milliseconds(1), http.timeout - since(start));
      download.follow_redirects = true;
      download.max_body_bytes = m_config.max_response_bytes;
      auto file = perform_http(download, stop);
      result.http_status = file.status;
      if (file.error != TransportError::none) {
        apply(result, transport_outcome(file));
      } else if (file.status < 200 || file.status >= 300 || file.body.empty()) {
        apply(result,
              {ErrorKind::server, "the image download failed with HTTP " + std::to_string(file.status), std::nullopt});
      } else {
        result.ok = true;
        result.mime_type = sniff_mime(file.body, file.header("content-type"));
        result.bytes = std::move(file.body);
      }
    } else {
      apply(result, {ErrorKind::malformed_response, "the image answer has neither b64_json nor url", std::nullopt});
    }
  }
  result.latency = since(start);
  scrub(result, key);
  return result;
}

ModelsResult OpenAiProvider::list_models() {
  const auto start = Steady::now();
  ModelsResult result;
  const auto key = read_credentials(m_config);
  if (refuse_without_credentials(result, key)) return result;
  HttpRequest http;
  http.url = endpoint(m_config, "/models");
  http.headers = request_headers(m_config, key, "application/json");
  http.connect_timeout = m_config.connect_timeout;
  http.timeout = effective_timeout(k_models_timeout, m_config.request_timeout);
  http.max_body_bytes = m_config.max_response_bytes;
  auto response = perform_http(http, {});
  if (response.error != TransportError::none) {
    apply(result, transport_outcome(response));
  } else if (response.status < 200 || response.status >= 300) {
    apply(result, http_outcome(response));
  } else {
    result = parse_models(response.body);
  }
  result.http_status = response.status;
  result.latency = since(start);
  scrub(result, key);
  return result;
}

} // namespace blogen::gen
