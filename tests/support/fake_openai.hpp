#pragma once
// A fake OpenAI-compatible server for tests and benchmarks: real HTTP on 127.0.0.1, scriptable failures, and
// counters (requests, requests in flight) that tests assert on. Used in-process (FakeOpenAi) and as the
// `fake_openai` binary (fake_openai_main.cpp) for CLI tests and benchmarks.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace httplib {
class Server;
struct Request;
struct Response;
} // namespace httplib

namespace blogen::testing {

/// What a scripted reply does instead of (or before) the normal answer.
enum class ReplyKind {
  ok,              ///< the normal answer (after `delay`)
  error,           ///< `status` with an OpenAI error body built from message/type/code
  raw,             ///< `status` with `body` verbatim (content type `content_type`)
  error_in_ok,     ///< 200 whose body is `{"error":{...}}`
  empty_choices,   ///< 200 with `"choices": []`
  empty_content,   ///< 200 with an empty message content
  truncated,       ///< 200 with the normal JSON cut in half (streams: cut without finish or [DONE])
  invalid_json,    ///< 200 with a body that is not JSON
  drop_connection, ///< starts a chunked body then closes the socket
  stall,           ///< streams: the first half of the events, then nothing (the socket stays open) until stop()
};

/// One reply the fake serves instead of its normal answer: queued (consumed once) or attached to a rule.
struct ScriptedReply {
  ReplyKind kind = ReplyKind::ok;
  std::string endpoint = "any"; ///< "chat", "images", "models" or "any": which requests it applies to
  int status = 200;
  std::map<std::string, std::string> headers; ///< e.g. {"Retry-After", "2"}
  std::string body;                           ///< for ReplyKind::raw
  std::string content_type = "application/json";
  std::string message = "scripted failure"; ///< error message for error / error_in_ok
  std::string type = "server_error";        ///< OpenAI error type
  std::string code;                         ///< OpenAI error code, e.g. "insufficient_quota"
  std::chrono::milliseconds delay{0};       ///< extra wait before replying (a "hang" is a long delay)

  /// An OpenAI-style error: `status` with `{"error":{"message","type","code"}}`.
  static ScriptedReply error_reply(int status, std::string message, std::string type = "server_error",
                                   std::string code = {});
  /// A 429 with `Retry-After: <seconds>`.
  static ScriptedReply rate_limited(int retry_after_seconds);
  /// A raw body with a status (for invalid or truncated payloads of your own).
  static ScriptedReply raw_reply(int status, std::string body, std::string content_type = "application/json");
  /// The normal answer after `delay` (a hang when `delay` exceeds the client's timeout).
  static ScriptedReply hang(std::chrono::milliseconds delay);
  /// A reply of a body-shape kind (error_in_ok, empty_choices, empty_content, truncated, invalid_json, ...).
  static ScriptedReply of_kind(ReplyKind kind);
  /// Parses the JSON form used by `--script` files and `POST /_script` (see fake_openai_main.cpp).
  static ScriptedReply from_json(const nlohmann::json& json);
};

/// A reply served to every request whose prompt contains `marker` (never consumed).
struct PromptRule {
  std::string marker;
  ScriptedReply reply;
};

/// How the fake behaves when nothing is scripted.
struct FakeOpenAiOptions {
  std::chrono::milliseconds latency{0}; ///< added to every request before answering
  std::string required_api_key;         ///< non-empty: requests without `Authorization: Bearer <key>` get 401
  std::string model = "fake-gpt";       ///< the model reported in answers (unless the request names one)
  std::vector<std::string> models = {"fake-gpt", "fake-gpt-mini", "fake-image"}; ///< GET /v1/models
  bool strict_models = false;                      ///< true: a chat request naming an unknown model gets 404
  bool image_as_url = false;                       ///< true: images come back as a URL served by the fake (/files/...)
  std::size_t stream_chunk_chars = 12;             ///< characters per SSE delta
  std::chrono::milliseconds stream_chunk_delay{0}; ///< pause between SSE events
  int threads = 128;                               ///< server worker threads (bounds how many requests run at once)
  bool keep_alive = false; ///< false: `Connection: close`, so stop() never waits on idle sockets
  /// Fault injection (chat requests only, when nothing scripted applies): each request fails with this
  /// probability, the kinds taken in turn from `fault_kinds` so every kind is served (see k_fault_kinds).
  double fault_rate = 0.0;
  std::uint64_t fault_seed = 1;               ///< the injection is the same on every run for one seed
  std::vector<std::string> fault_kinds;       ///< empty: all of fault_kind_names()
  std::chrono::milliseconds fault_hang{3000}; ///< how long a "hang" waits before answering
};

/// The fault kinds `FakeOpenAiOptions::fault_kinds` accepts: 429 (Retry-After in seconds, as an HTTP date, or
/// none), 500, 502, 503, reset (the connection closed mid-body), hang, truncated_json, invalid_json, error_in_ok,
/// empty_choices, and for streamed requests only stall (silence mid-stream) and sse_cut (the stream ends early).
const std::vector<std::string>& fault_kind_names();

/// A request as the fake received it.
struct RecordedRequest {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> headers; ///< names as sent (httplib compares case-insensitively)
  std::string body;
  std::string prompt; ///< the user messages (chat) or the prompt (images) extracted from the body
  [[nodiscard]] std::string header(const std::string& name) const; ///< first value, case-insensitive; "" if none
};

/// Counters since start (or the last reset).
struct FakeStats {
  int total = 0;
  std::map<std::string, int> by_endpoint; ///< "chat", "images", "models", "files", "other"
  int in_flight = 0;
  int max_in_flight = 0;
  int unauthorized = 0;
  std::vector<std::string> prompts;  ///< in arrival order
  std::map<std::string, int> faults; ///< injected faults by kind (see FakeOpenAiOptions::fault_rate)
  /// The same counters as served by `GET /_stats`.
  [[nodiscard]] nlohmann::json to_json() const;
  /// Requests seen for one endpoint (0 when none).
  [[nodiscard]] int count(const std::string& endpoint) const;
};

/// The fake server, run on its own threads inside the test process.
class FakeOpenAi {
public:
  explicit FakeOpenAi(FakeOpenAiOptions options = {});
  ~FakeOpenAi();
  FakeOpenAi(const FakeOpenAi&) = delete;
  FakeOpenAi& operator=(const FakeOpenAi&) = delete;

  /// Binds 127.0.0.1 (`port` 0: a free port) and serves on background threads; throws std::runtime_error on failure.
  void start(int port = 0);
  /// Stops serving, wakes any hanging handler and joins the threads. Idempotent.
  void stop();
  /// The bound port (0 before start).
  [[nodiscard]] int port() const { return m_port; }
  /// `http://127.0.0.1:<port>/v1`, the base URL a provider is configured with.
  [[nodiscard]] std::string base_url() const;

  /// Adds latency to every following request.
  void set_latency(std::chrono::milliseconds latency);
  /// Requires `Authorization: Bearer <key>` (empty: no key required).
  void set_required_api_key(std::string key);
  /// Serves images as URLs on the fake itself instead of b64_json.
  void set_image_as_url(bool on);
  /// Queues a reply for the next matching request (FIFO).
  void enqueue(ScriptedReply reply);
  /// Serves `reply` to every request whose prompt contains `marker`.
  void fail_when_prompt_contains(std::string marker, ScriptedReply reply);
  /// Applies a script document: {"latency_ms", "api_key", "image_as_url", "responses": [...], "rules": [...]}.
  void apply_script(const nlohmann::json& script);

  /// The counters so far.
  [[nodiscard]] FakeStats stats() const;
  /// Every request received so far, in arrival order.
  [[nodiscard]] std::vector<RecordedRequest> requests() const;
  /// Clears counters, recordings, queued replies and rules.
  void reset();

  /// The deterministic Markdown answer for a prompt: `# <Title>` derived from the prompt, then a short post.
  static std::string answer_for(std::string_view prompt);
  /// The tiny valid PNG the images endpoint returns.
  static std::string tiny_png();

private:
  struct Decision;
  struct InFlight;

  void install_routes();
  Decision decide(const std::string& endpoint, const std::string& prompt, const httplib::Request& request);
  std::optional<ScriptedReply> inject_fault(bool stream); // under m_mutex
  bool wait_or_stop(std::chrono::milliseconds delay);     // false when stopping
  void record(const httplib::Request& request, const std::string& endpoint, const std::string& prompt);
  void handle_chat(const httplib::Request& request, httplib::Response& response);
  void handle_images(const httplib::Request& request, httplib::Response& response);
  void handle_models(const httplib::Request& request, httplib::Response& response);
  void handle_file(const httplib::Request& request, httplib::Response& response);
  void send_scripted(const ScriptedReply& reply, bool stream, httplib::Response& response,
                     std::shared_ptr<InFlight> in_flight);
  void send_stream(const std::string& text, const std::string& model, bool include_usage, std::int64_t prompt_tokens,
                   ReplyKind kind, httplib::Response& response, std::shared_ptr<InFlight> in_flight);

  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  FakeOpenAiOptions m_options;
  std::deque<ScriptedReply> m_queue;
  std::vector<PromptRule> m_rules;
  FakeStats m_stats;
  std::vector<RecordedRequest> m_requests;
  std::map<std::string, std::string> m_files; // path under /files/ -> bytes
  std::uint64_t m_fault_state = 0;            // the injection's random state (splitmix64)
  std::size_t m_next_fault = 0;               // the next kind to serve, in turn
  bool m_stopping = false;
  int m_port = 0;
  std::unique_ptr<httplib::Server> m_server;
  std::thread m_thread;
};

} // namespace blogen::testing
