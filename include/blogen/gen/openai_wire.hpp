#pragma once
// The OpenAI chat-completions wire format, as pure functions: building request bodies (also as Batch API lines),
// reading answers, streamed answers and error bodies. No I/O here, so every shape is unit-testable.

#include <blogen/gen/provider.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace blogen::gen {

/// The chat-completions request body; `default_model` is used when the request names no model.
nlohmann::json to_openai_chat_json(const ChatRequest& request, const std::string& default_model);
/// One line (no newline) of an OpenAI Batch API input file: `{"custom_id","method","url","body"}`; never streams.
std::string to_batch_jsonl_line(const std::string& custom_id, const ChatRequest& request,
                                const std::string& default_model);

/// Reads a non-streaming chat-completions body: ok with text, or malformed_response saying what was wrong.
ChatResult parse_chat_completion(std::string_view body);

/// Builds a ChatResult from the `data:` payloads of a streamed completion, passing text deltas on as they come.
class ChatStreamAssembler {
public:
  ChatStreamAssembler(ChatResult& result, const DeltaCallback& on_delta);
  /// Takes one event's data; returns false once the stream is known to be broken (stop reading).
  bool on_data(std::string_view data);
  /// Settles the result after the body ended: ok, or malformed_response when the stream was cut or empty.
  void finish();
  /// Whether any event arrived (a server that ignored `stream` answers with plain JSON instead).
  [[nodiscard]] bool saw_events() const { return m_events > 0; }

private:
  void fail(std::string message);

  ChatResult& m_result;
  const DeltaCallback& m_on_delta;
  int m_events = 0;
  bool m_done = false;
  bool m_failed = false;
};

/// An HTTP error status turned into an error kind and the provider's message.
struct HttpFailure {
  ErrorKind kind = ErrorKind::server;
  std::string message;
};

/// Maps a non-2xx status and its body onto an ErrorKind (429 + insufficient_quota is quota, 404 is the model, ...).
HttpFailure classify_http_failure(int status, std::string_view body);
/// The provider's own message in an error body (`{"error":{"message"}}`, `{"error":"..."}`, `{"detail"}`), or "".
std::string provider_error_message(std::string_view body);
/// Reads a `GET /models` body into model ids; malformed_response when it is not a model list.
ModelsResult parse_models(std::string_view body);

} // namespace blogen::gen
