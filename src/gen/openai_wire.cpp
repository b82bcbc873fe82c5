#include <blogen/gen/openai_wire.hpp>

#include <algorithm>

namespace blogen::gen {
namespace {

constexpr std::size_t k_snippet_chars = 200;

// A short, single-line excerpt of a body for messages (HTML error pages from proxies, say).
std::string snippet(std::string_view body) {
  std::string out(body.substr(0, k_snippet_chars));
  std::replace_if(
      out.begin(), out.end(), [](unsigned char c) { return c < 0x20 || c == 0x7F; }, ' ');
  if (body.size() > k_snippet_chars) out += "...";
  return out;
}

std::string string_field(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return {};
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

void read_usage(const nlohmann::json& usage, Usage& out) {
  if (!usage.is_object()) return;
  if (const auto prompt = usage.find("prompt_tokens"); prompt != usage.end() && prompt->is_number_integer())
    out.prompt_tokens = prompt->get<std::int64_t>();
  if (const auto completion = usage.find("completion_tokens");
      completion != usage.end() && completion->is_number_integer())
    out.completion_tokens = completion->get<std::int64_t>();
}

// The message of an `error` member, whatever its shape; "" when there is none.
std::string error_member_message(const nlohmann::json& error) {
  if (error.is_string()) return error.get<std::string>();
  if (error.is_object()) {
    auto message = string_field(error, "message");
    if (message.empty()) message = string_field(error, "code");
    return message.empty() ? error.dump() : message;
  }
  return {};
}

bool has_error_member(const nlohmann::json& json) {
  if (!json.is_object()) return false;
  const auto error = json.find("error");
  return error != json.end() && !error->is_null();
}

ChatResult malformed(std::string message) {
  ChatResult result;
  result.error = ErrorKind::malformed_response;
  result.error_message = std::move(message);
  return result;
}

} // namespace

nlohmann::json to_openai_chat_json(const ChatRequest& request, const std::string& default_model) {
  nlohmann::json body;
  body["model"] = request.model.empty() ? default_model : request.model;
  auto& messages = body["messages"] = nlohmann::json::array();
  for (const auto& message : request.messages)
    messages.push_back({{"role", message.role}, {"content", message.content}});
  if (request.temperature) body["temperature"] = *request.temperature;
  // max_tokens rather than max_completion_tokens: the one every OpenAI-compatible server (Ollama, vLLM) accepts.
  if (request.max_tokens) body["max_tokens"] = *request.max_tokens;
  if (request.json_mode) body["response_format"] = {{"type", "json_object"}};
  if (request.stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  return body;
}

std::string to_batch_jsonl_line(const std::string& custom_id, const ChatRequest& request,
                                const std::string& default_model) {
  auto unstreamed = request;
  unstreamed.stream = false;
  const nlohmann::json line{{"custom_id", custom_id},
                            {"method", "POST"},
                            {"url", "/v1/chat/completions"},
                            {"body", to_openai_chat_json(unstreamed, default_model)}};
  return line.dump();
}

ChatResult parse_chat_completion(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded()) return malformed("the answer is not valid JSON: " + snippet(body));
  if (!json.is_object()) return malformed("the answer is not a JSON object: " + snippet(body));
  if (has_error_member(json)) return malformed("the server reported an error: " + error_member_message(json["error"]));
  const auto choices = json.find("choices");
  if (choices == json.end() || !choices->is_array() || choices->empty()) return malformed("the answer has no choices");
  const auto& choice = choices->front();
  ChatResult result;
  result.model = string_field(json, "model");
  result.finish_reason = string_field(choice, "finish_reason");
  if (const auto usage = json.find("usage"); usage != json.end()) read_usage(*usage, result.usage);
  const auto message = choice.is_object() ? choice.find("message") : choice.end();
  if (message == choice.end() || !message->is_object()) return malformed("the answer's choice has no message");
  result.text = string_field(*message, "content");
  if (result.text.empty()) {
    const auto refusal = string_field(*message, "refusal");
    auto failed = malformed(refusal.empty() ? "the answer is empty (finish_reason " +
                                                  (result.finish_reason.empty() ? "none" : result.finish_reason) + ")"
                                            : "the model refused: " + refusal);
    failed.model = result.model;
    failed.usage = result.usage;
    return failed;
  }
  result.ok = true;
  return result;
}

ChatStreamAssembler::ChatStreamAssembler(ChatResult& result, const DeltaCallback& on_delta)
    : m_result(result), m_on_delta(on_delta) {}

void ChatStreamAssembler::fail(std::string message) {
  m_failed = true;
  m_result.ok = false;
  m_result.error = ErrorKind::malformed_response;
  m_result.error_message = std::move(message);
}

bool ChatStreamAssembler::on_data(std::string_view data) {
  if (m_failed) return false;
  ++m_events;
  if (data == "[DONE]") {
    m_done = true;
    return true;
  }
  const auto json = nlohmann::json::parse(data, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    fail("the stream sent an event that is not JSON: " + snippet(data));
    return false;
  }
  if (has_error_member(json)) {
    fail("the server reported an error mid-stream: " + error_member_message(json["error"]));
    return false;
  }
  if (auto model = string_field(json, "model"); !model.empty()) m_result.model = std::move(model);
  if (const auto usage = json.find("usage"); usage != json.end()) read_usage(*usage, m_result.usage);
  const auto choices = json.find("choices");
  if (choices == json.end() || !choices->is_array() || choices->empty()) return true; // the usage-only final chunk
  const auto& choice = choices->front();
  if (auto reason = string_field(choice, "finish_reason"); !reason.empty()) m_result.finish_reason = std::move(reason);
  if (const auto delta = choice.is_object() ? choice.find("delta") : choice.end(); delta != choice.end()) {
    const auto piece = string_field(*delta, "content");
    if (!piece.empty()) {
      m_result.text += piece;
      if (m_on_delta) m_on_delta(piece);
    }
  }
  return true;
}

void ChatStreamAssembler::finish() {
  if (m_failed) return;
  if (m_result.text.empty()) {
    fail(m_events == 0 ? "the stream carried no events" : "the stream carried no text");
  } else if (!m_done && m_result.finish_reason.empty()) {
    fail("the stream ended before the answer was complete");
  } else {
    m_result.ok = true;
    m_result.error = ErrorKind::none;
  }
}

std::string provider_error_message(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return {};
  if (has_error_member(json)) return error_member_message(json["error"]);
  if (auto message = string_field(json, "message"); !message.empty()) return message;
  if (const auto detail = json.find("detail"); detail != json.end())
    return detail->is_string() ? detail->get<std::string>() : detail->dump();
  return {};
}

HttpFailure classify_http_failure(int status, std::string_view body) {
  HttpFailure failure;
  const auto json = nlohmann::json::parse(body, nullptr, false);
  std::string code;
  std::string type;
  if (has_error_member(json) && json["error"].is_object()) {
    code = string_field(json["error"], "code");
    type = string_field(json["error"], "type");
  }
  const bool quota = code == "insufficient_quota" || type == "insufficient_quota";
  if (status == 401 || status == 403) {
    failure.kind = ErrorKind::auth;
  } else if (status == 404 || code == "model_not_found") {
    failure.kind = ErrorKind::not_found_model;
  } else if (status == 402 || quota) {
    failure.kind = ErrorKind::quota;
  } else if (status == 429) {
    failure.kind = ErrorKind::rate_limited;
  } else if (status == 408) {
    failure.kind = ErrorKind::timeout;
  } else if (status >= 500 || status == 409 || status < 400) {
    failure.kind = ErrorKind::server;
  } else {
    failure.kind = ErrorKind::bad_request;
  }
  failure.message = provider_error_message(body);
  if (failure.message.empty()) {
    failure.message = "HTTP " + std::to_string(status);
    if (failure.kind == ErrorKind::not_found_model) failure.message += " (check the base URL and the model name)";
    if (!body.empty()) failure.message += ": " + snippet(body);
  }
  return failure;
}

ModelsResult parse_models(std::string_view body) {
  ModelsResult result;
  const auto json = nlohmann::json::parse(body, nullptr, false);
  const auto data = json.is_object() ? json.find("data") : json.end();
  if (json.is_discarded() || data == json.end() || !data->is_array()) {
    result.error = ErrorKind::malformed_response;
    result.error_message = "the model list is not valid: " + snippet(body);
    return result;
  }
  for (const auto& model : *data)
    if (auto id = string_field(model, "id"); !id.empty()) result.models.push_back(std::move(id));
  result.ok = true;
  return result;
}

} // namespace blogen::gen
