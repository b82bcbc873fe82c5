#include "fake_openai.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <ctime>
#include <sstream>
#include <stdexcept>

namespace blogen::testing {
namespace {

constexpr std::int64_t k_created = 1'700'000'000;
constexpr std::string_view k_png_bytes{"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
                                       "\0\0\0\nIDATx\x9c"
                                       "c\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xae"
                                       "B`\x82",
                                       67};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n\"'*#");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n\"'.!?:;,*");
  return std::string(text.substr(first, last - first + 1));
}

std::int64_t count_words(std::string_view text) {
  std::int64_t words = 0;
  bool in_word = false;
  for (const char c : text) {
    const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

// The title a writer's prompt asks for: an explicit "Title:" or "Topic:" line, else what follows "about", else the
// first line, cut to ten words. Deterministic so CLI tests can predict it.
std::string derive_title(std::string_view prompt) {
  std::istringstream lines{std::string(prompt)};
  std::string line;
  std::string first_line;
  std::string topic;
  while (std::getline(lines, line)) {
    const auto clean = trim(line);
    if (clean.empty()) continue;
    if (first_line.empty()) first_line = clean;
    const auto low = lower(clean);
    if (low.rfind("title:", 0) == 0) return trim(clean.substr(6));
    if (topic.empty() && low.rfind("topic:", 0) == 0) topic = trim(clean.substr(6));
  }
  if (!topic.empty()) return topic;
  auto candidate = first_line;
  const auto about = lower(candidate).find(" about ");
  if (about != std::string::npos) candidate = trim(candidate.substr(about + 7));
  std::istringstream words{candidate};
  std::string word;
  std::string title;
  for (int i = 0; i < 10 && words >> word; ++i)
    title += (title.empty() ? "" : " ") + word;
  title = trim(title);
  if (title.empty()) return "Untitled";
  title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  return title;
}

std::string base64_encode(std::string_view in) {
  static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += k_alphabet[(n >> 6) & 63];
    out += k_alphabet[n & 63];
  }
  if (i < in.size()) {
    const bool two = i + 1 < in.size();
    const auto n = (static_cast<unsigned char>(in[i]) << 16) | (two ? static_cast<unsigned char>(in[i + 1]) << 8 : 0);
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += two ? k_alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

nlohmann::json error_body(const ScriptedReply& reply) {
  nlohmann::json error{{"message", reply.message}, {"type", reply.type}, {"param", nullptr}};
  error["code"] = reply.code.empty() ? nlohmann::json(nullptr) : nlohmann::json(reply.code);
  return {{"error", error}};
}

// The user-visible prompt of a chat body: every user message, text parts included, joined by newlines.
std::string chat_prompt(const nlohmann::json& body) {
  std::string prompt;
  const auto messages = body.find("messages");
  if (messages == body.end() || !messages->is_array()) return prompt;
  for (const auto& message : *messages) {
    if (!message.is_object() || message.value("role", "") != "user") continue;
    const auto content = message.find("content");
    if (content == message.end()) continue;
    if (content->is_string()) {
      prompt += (prompt.empty() ? "" : "\n") + content->get<std::string>();
    } else if (content->is_array()) {
      for (const auto& part : *content)
        if (part.is_object() && part.value("type", "") == "text")
          prompt += (prompt.empty() ? "" : "\n") + part.value("text", "");
    }
  }
  return prompt;
}

std::int64_t all_message_words(const nlohmann::json& body) {
  std::int64_t words = 0;
  if (const auto messages = body.find("messages"); messages != body.end() && messages->is_array())
    for (const auto& message : *messages)
      if (message.is_object() && message.contains("content") && message["content"].is_string())
        words += count_words(message["content"].get<std::string>());
  return words;
}

ReplyKind kind_from_string(const std::string& name) {
  static const std::map<std::string, ReplyKind> k_kinds{{"ok", ReplyKind::ok},
                                                        {"hang", ReplyKind::ok},
                                                        {"error", ReplyKind::error},
                                                        {"raw", ReplyKind::raw},
                                                        {"error_in_ok", ReplyKind::error_in_ok},
                                                        {"empty_choices", ReplyKind::empty_choices},
                                                        {"empty_content", ReplyKind::empty_content},
                                                        {"truncated", ReplyKind::truncated},
                                                        {"invalid_json", ReplyKind::invalid_json},
                                                        {"drop_connection", ReplyKind::drop_connection},
                                                        {"stall", ReplyKind::stall}};
  const auto found = k_kinds.find(name);
  if (found == k_kinds.end()) throw std::runtime_error("fake_openai: unknown reply kind '" + name + "'");
  return found->second;
}

std::string sse_event(const nlohmann::json& payload) { return "data: " + payload.dump() + "\n\n"; }

// An HTTP date (IMF-fixdate) `seconds` from now, as a server's Retry-After may be written.
std::string http_date_in(int seconds) {
  const std::time_t when = std::time(nullptr) + seconds;
  std::tm parts{};
  ::gmtime_r(&when, &parts);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return text;
}

bool stream_only(const std::string& kind) { return kind == "stall" || kind == "sse_cut"; }

// The reply one injected fault serves.
ScriptedReply fault_reply(const std::string& kind, std::chrono::milliseconds hang) {
  if (kind == "429_retry_after_seconds") return ScriptedReply::rate_limited(1);
  if (kind == "429_retry_after_date" || kind == "429_bare") {
    auto reply = ScriptedReply::error_reply(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded");
    if (kind == "429_retry_after_date") reply.headers["Retry-After"] = http_date_in(1);
    return reply;
  }
  if (kind == "500" || kind == "502" || kind == "503") {
    return ScriptedReply::error_reply(std::stoi(kind), "The server had an error while processing your request.");
  }
  if (kind == "reset") return ScriptedReply::of_kind(ReplyKind::drop_connection);
  if (kind == "hang") return ScriptedReply::hang(hang);
  if (kind == "stall") return ScriptedReply::of_kind(ReplyKind::stall);
  if (kind == "truncated_json" || kind == "sse_cut") return ScriptedReply::of_kind(ReplyKind::truncated);
  if (kind == "invalid_json") return ScriptedReply::of_kind(ReplyKind::invalid_json);
  if (kind == "error_in_ok") return ScriptedReply::of_kind(ReplyKind::error_in_ok);
  if (kind == "empty_choices") return ScriptedReply::of_kind(ReplyKind::empty_choices);
  throw std::runtime_error("fake_openai: unknown fault kind '" + kind + "'");
}

} // namespace

const std::vector<std::string>& fault_kind_names() {
  static const std::vector<std::string> k_names{"429_retry_after_seconds",
                                                "429_retry_after_date",
                                                "429_bare",
                                                "500",
                                                "502",
                                                "503",
                                                "reset",
                                                "hang",
                                                "truncated_json",
                                                "invalid_json",
                                                "error_in_ok",
                                                "empty_choices",
                                                "stall",
                                                "sse_cut"};
  return k_names;
}

// Counts a request as in flight for as long as this object lives; streams keep it alive until their last byte.
struct FakeOpenAi::InFlight {
  explicit InFlight(FakeOpenAi& owner) : m_owner(owner) {
    std::lock_guard lock(m_owner.m_mutex);
    ++m_owner.m_stats.in_flight;
    m_owner.m_stats.max_in_flight = std::max(m_owner.m_stats.max_in_flight, m_owner.m_stats.in_flight);
  }
  ~InFlight() {
    std::lock_guard lock(m_owner.m_mutex);
    --m_owner.m_stats.in_flight;
  }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  FakeOpenAi& m_owner;
};

struct FakeOpenAi::Decision {
  bool unauthorized = false;
  std::string presented_key;
  std::optional<ScriptedReply> reply;
  std::chrono::milliseconds latency{0};
};

ScriptedReply ScriptedReply::error_reply(int status, std::string message, std::string type, std::string code) {
  ScriptedReply reply;
  reply.kind = ReplyKind::error;
  reply.status = status;
  reply.message = std::move(message);
  reply.type = std::move(type);
  reply.code = std::move(code);
  return reply;
}

ScriptedReply ScriptedReply::rate_limited(int retry_after_seconds) {
  auto reply = error_reply(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded");
  reply.headers["Retry-After"] = std::to_string(retry_after_seconds);
  return reply;
}

ScriptedReply ScriptedReply::raw_reply(int status, std::string body, std::string content_type) {
  ScriptedReply reply;
  reply.kind = ReplyKind::raw;
  reply.status = status;
  reply.body = std::move(body);
  reply.content_type = std::move(content_type);
  return reply;
}

ScriptedReply ScriptedReply::hang(std::chrono::milliseconds delay) {
  ScriptedReply reply;
  reply.delay = delay;
  return reply;
}

ScriptedReply ScriptedReply::of_kind(ReplyKind kind) {
  ScriptedReply reply;
  reply.kind = kind;
  if (kind == ReplyKind::error_in_ok) reply.message = "The server had an error while processing your request.";
  return reply;
}

ScriptedReply ScriptedReply::from_json(const nlohmann::json& json) {
  ScriptedReply reply;
  const auto status = json.value("status", 200);
  reply.kind = kind_from_string(json.value("kind", status >= 400 ? std::string("error") : std::string("ok")));
  if (json.contains("body") && !json.contains("kind")) reply.kind = ReplyKind::raw;
  reply.endpoint = json.value("endpoint", std::string("any"));
  reply.status = status;
  reply.body = json.value("body", std::string());
  reply.content_type = json.value("content_type", std::string("application/json"));
  reply.message = json.value("message", reply.message);
  reply.type = json.value("type", reply.type);
  reply.code = json.value("code", std::string());
  reply.delay = std::chrono::milliseconds(json.value("delay_ms", 0));
  if (json.contains("retry_after")) reply.headers["Retry-After"] = std::to_string(json["retry_after"].get<int>());
  if (const auto headers = json.find("headers"); headers != json.end() && headers->is_object())
    for (const auto& [name, value] : headers->items())
      reply.headers[name] = value.get<std::string>();
  return reply;
}

std::string RecordedRequest::header(const std::string& name) const {
  const auto wanted = lower(name);
  for (const auto& [key, value] : headers)
    if (lower(key) == wanted) return value;
  return {};
}

nlohmann::json FakeStats::to_json() const {
  return {{"total", total},
          {"by_endpoint", by_endpoint},
          {"in_flight", in_flight},
          {"max_in_flight", max_in_flight},
          {"unauthorized", unauthorized},
          {"prompts", prompts},
          {"faults", faults}};
}

int FakeStats::count(const std::string& endpoint) const {
  const auto found = by_endpoint.find(endpoint);
  return found == by_endpoint.end() ? 0 : found->second;
}

FakeOpenAi::FakeOpenAi(FakeOpenAiOptions options) : m_options(std::move(options)) {
  if (m_options.fault_kinds.empty()) m_options.fault_kinds = fault_kind_names();
  for (const auto& kind : m_options.fault_kinds)
    (void)fault_reply(kind, m_options.fault_hang); // an unknown kind fails here, not at the first request
  m_fault_state = m_options.fault_seed;
}

std::optional<ScriptedReply> FakeOpenAi::inject_fault(bool stream) {
  if (m_options.fault_rate <= 0.0) return std::nullopt;
  // splitmix64: small, and the same sequence for a seed on every platform.
  std::uint64_t z = (m_fault_state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  if (static_cast<double>(z >> 11) / static_cast<double>(1ULL << 53) >= m_options.fault_rate) return std::nullopt;
  const auto& kinds = m_options.fault_kinds;
  for (std::size_t tried = 0; tried < kinds.size(); ++tried) {
    const std::string& kind = kinds[m_next_fault++ % kinds.size()];
    if (stream_only(kind) && !stream) continue;
    ++m_stats.faults[kind];
    return fault_reply(kind, m_options.fault_hang);
  }
  return std::nullopt;
}

FakeOpenAi::~FakeOpenAi() { stop(); }

std::string FakeOpenAi::base_url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/v1"; }

void FakeOpenAi::start(int port) {
  if (m_server) throw std::runtime_error("fake_openai: already started");
  m_server = std::make_unique<httplib::Server>();
  const int threads = std::max(1, m_options.threads);
  m_server->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  m_server->set_keep_alive_max_count(m_options.keep_alive ? 100 : 1);
  m_server->set_keep_alive_timeout(1);
  // The server writes a response's headers and its body separately. With Nagle's algorithm on, the body waited for
  // the client to acknowledge the headers, which a client delays 40 ms (delayed ACK): every call took 40 ms longer
  // than its --latency-ms, for blogen and for curl alike (bench/ measured it as blogen's time). Real servers (nginx,
  // uvicorn, llama.cpp) set TCP_NODELAY.
  m_server->set_tcp_nodelay(true);
  // cpp-httplib (Debian's is a shared library, so its compile-time CPPHTTPLIB_LISTEN_BACKLOG cannot be raised here)
  // listens with a backlog of 5: fifty clients connecting at once had their surplus SYNs dropped, and each tried
  // again after the kernel's 1 s SYN timeout (a batch at concurrency 50 waited a second for some of its first calls).
  // Listening again on the bound socket raises the backlog to what real servers use.
  int listening = -1;
  m_server->set_socket_options([&listening](socket_t socket) {
    httplib::default_socket_options(socket);
    listening = socket;
  });
  install_routes();
  if (port == 0) {
    m_port = m_server->bind_to_any_port("127.0.0.1");
  } else {
    m_port = m_server->bind_to_port("127.0.0.1", port) ? port : -1;
  }
  if (m_port > 0 && listening >= 0) ::listen(listening, 1024);
  if (m_port <= 0) {
    m_server.reset();
    m_port = 0;
    throw std::runtime_error("fake_openai: cannot bind 127.0.0.1:" + std::to_string(port));
  }
  {
    std::lock_guard lock(m_mutex);
    m_stopping = false;
  }
  m_thread = std::thread([this] { m_server->listen_after_bind(); });
  // stop() only shuts a server down once it runs; wait for that so a quick stop() cannot leave listen() blocked.
  while (!m_server->is_running())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void FakeOpenAi::stop() {
  if (!m_server) return;
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  m_server->stop();
  if (m_thread.joinable()) m_thread.join();
  m_server.reset();
}

void FakeOpenAi::set_latency(std::chrono::milliseconds latency) {
  std::lock_guard lock(m_mutex);
  m_options.latency = latency;
}

void FakeOpenAi::set_required_api_key(std::string key) {
  std::lock_guard lock(m_mutex);
  m_options.required_api_key = std::move(key);
}

void FakeOpenAi::set_image_as_url(bool on) {
  std::lock_guard lock(m_mutex);
  m_options.image_as_url = on;
}

void FakeOpenAi::enqueue(ScriptedReply reply) {
  std::lock_guard lock(m_mutex);
  m_queue.push_back(std::move(reply));
}

void FakeOpenAi::fail_when_prompt_contains(std::string marker, ScriptedReply reply) {
  std::lock_guard lock(m_mutex);
  m_rules.push_back({std::move(marker), std::move(reply)});
}

void FakeOpenAi::apply_script(const nlohmann::json& script) {
  if (!script.is_object()) throw std::runtime_error("fake_openai: a script must be a JSON object");
  if (script.contains("latency_ms")) set_latency(std::chrono::milliseconds(script["latency_ms"].get<int>()));
  if (script.contains("api_key")) set_required_api_key(script["api_key"].get<std::string>());
  if (script.contains("image_as_url")) set_image_as_url(script["image_as_url"].get<bool>());
  if (const auto responses = script.find("responses"); responses != script.end())
    for (const auto& reply : *responses)
      enqueue(ScriptedReply::from_json(reply));
  if (const auto rules = script.find("rules"); rules != script.end())
    for (const auto& rule : *rules) {
      auto reply = rule.contains("reply") ? ScriptedReply::from_json(rule["reply"]) : ScriptedReply::from_json(rule);
      if (!rule.contains("reply") && !rule.contains("status") && !rule.contains("kind"))
        reply = ScriptedReply::error_reply(400, "prompt rejected by rule", "invalid_request_error");
      fail_when_prompt_contains(rule.at("contains").get<std::string>(), std::move(reply));
    }
}

FakeStats FakeOpenAi::stats() const {
  std::lock_guard lock(m_mutex);
  return m_stats;
}

std::vector<RecordedRequest> FakeOpenAi::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

void FakeOpenAi::reset() {
  std::lock_guard lock(m_mutex);
  const int in_flight = m_stats.in_flight;
  m_stats = {};
  m_stats.in_flight = in_flight;
  m_requests.clear();
  m_queue.clear();
  m_rules.clear();
}

std::string FakeOpenAi::tiny_png() { return std::string(k_png_bytes); }

std::string FakeOpenAi::answer_for(std::string_view prompt) {
  const auto title = derive_title(prompt);
  const auto subject = lower(title);
  static constexpr std::array<std::string_view, 3> k_openings{
      "Most people meet {} by accident. This post walks through what matters and what to try first.",
      "If you have ever wondered where to start with {}, you are in good company.",
      "{} sounds simple until you try it. Here is a short, practical guide."};
  auto opening = std::string(k_openings[fnv1a(prompt) % k_openings.size()]);
  const bool starts_sentence = opening.rfind("{}", 0) == 0;
  opening.replace(opening.find("{}"), 2, starts_sentence ? title : subject);
  std::string text = "# " + title + "\n\n" + opening + "\n\n";
  text += "## Why " + subject + " matters\n\nSmall, steady steps beat big plans. Start with one habit and keep it.\n\n";
  text += "## Three practical steps\n\n1. Decide what good looks like.\n2. Try it for a week.\n3. Keep what works.\n\n";
  text += "## Wrapping up\n\nYou do not need to be perfect with " + subject + "; you need to begin.\n";
  return text;
}

bool FakeOpenAi::wait_or_stop(std::chrono::milliseconds delay) {
  std::unique_lock lock(m_mutex);
  if (delay.count() > 0) m_wake.wait_for(lock, delay, [this] { return m_stopping; });
  return !m_stopping;
}

void FakeOpenAi::record(const httplib::Request& request, const std::string& endpoint, const std::string& prompt) {
  RecordedRequest recorded;
  recorded.method = request.method;
  recorded.path = request.path;
  recorded.headers.insert(request.headers.begin(), request.headers.end());
  recorded.body = request.body;
  recorded.prompt = prompt;
  std::lock_guard lock(m_mutex);
  ++m_stats.total;
  ++m_stats.by_endpoint[endpoint];
  if (endpoint == "chat" || endpoint == "images") m_stats.prompts.push_back(prompt);
  m_requests.push_back(std::move(recorded));
}

FakeOpenAi::Decision FakeOpenAi::decide(const std::string& endpoint, const std::string& prompt,
                                        const httplib::Request& request) {
  Decision decision;
  std::lock_guard lock(m_mutex);
  decision.latency = m_options.latency;
  if (!m_options.required_api_key.empty()) {
    const auto authorization = request.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    decision.presented_key = authorization.rfind(prefix, 0) == 0 ? authorization.substr(prefix.size()) : authorization;
    if (decision.presented_key != m_options.required_api_key) {
      decision.unauthorized = true;
      ++m_stats.unauthorized;
      return decision;
    }
  }
  for (const auto& rule : m_rules)
    if (!rule.marker.empty() && prompt.find(rule.marker) != std::string::npos &&
        (rule.reply.endpoint == "any" || rule.reply.endpoint == endpoint)) {
      decision.reply = rule.reply;
      return decision;
    }
  const auto queued = std::find_if(m_queue.begin(), m_queue.end(), [&](const ScriptedReply& reply) {
    return reply.endpoint == "any" || reply.endpoint == endpoint;
  });
  if (queued != m_queue.end()) {
    decision.reply = *queued;
    m_queue.erase(queued);
  }
  return decision;
}

void FakeOpenAi::install_routes() {
  auto& server = *m_server;
  server.Post("/v1/chat/completions",
              [this](const httplib::Request& request, httplib::Response& response) { handle_chat(request, response); });
  server.Post("/v1/images/generations", [this](const httplib::Request& request, httplib::Response& response) {
    handle_images(request, response);
  });
  server.Get("/v1/models", [this](const httplib::Request& request, httplib::Response& response) {
    handle_models(request, response);
  });
  server.Get(R"(/files/([A-Za-z0-9_.-]+))",
             [this](const httplib::Request& request, httplib::Response& response) { handle_file(request, response); });
  server.Get("/_stats", [this](const httplib::Request&, httplib::Response& response) {
    response.set_content(stats().to_json().dump(), "application/json");
  });
  server.Post("/_script", [this](const httplib::Request& request, httplib::Response& response) {
    try {
      apply_script(nlohmann::json::parse(request.body));
      response.set_content(R"({"ok":true})", "application/json");
    } catch (const std::exception& error) {
      response.status = 400;
      response.set_content(nlohmann::json{{"error", error.what()}}.dump(), "application/json");
    }
  });
  server.Post("/_reset", [this](const httplib::Request&, httplib::Response& response) {
    reset();
    response.set_content(R"({"ok":true})", "application/json");
  });
}

void FakeOpenAi::send_scripted(const ScriptedReply& reply, bool stream, httplib::Response& response,
                               std::shared_ptr<InFlight> in_flight) {
  for (const auto& [name, value] : reply.headers)
    response.set_header(name, value);
  switch (reply.kind) {
  case ReplyKind::error:
    response.status = reply.status;
    response.set_content(error_body(reply).dump(), "application/json");
    return;
  case ReplyKind::raw:
    response.status = reply.status;
    response.set_content(reply.body, reply.content_type);
    return;
  case ReplyKind::error_in_ok:
    response.status = 200;
    if (stream) {
      response.set_content(sse_event(error_body(reply)), "text/event-stream");
    } else {
      response.set_content(error_body(reply).dump(), "application/json");
    }
    return;
  case ReplyKind::invalid_json:
    response.status = 200;
    if (stream) {
      response.set_content("data: {\"choices\": [ this is not json\n\n", "text/event-stream");
    } else {
      response.set_content("<html><body>502 Bad Gateway</body></html>", "application/json");
    }
    return;
  case ReplyKind::drop_connection: {
    response.status = 200;
    response.set_chunked_content_provider(
        stream ? "text/event-stream" : "application/json", [in_flight](std::size_t, httplib::DataSink& sink) {
          const std::string partial = "{\"id\":\"chatcmpl-fake\",\"choices\":[{\"index\":0,\"mess";
          sink.write(partial.data(), partial.size());
          return false; // httplib closes the socket mid-body
        });
    return;
  }
  case ReplyKind::ok:
  case ReplyKind::empty_choices:
  case ReplyKind::empty_content:
  case ReplyKind::truncated:
  case ReplyKind::stall:
    break; // shaped by the endpoint handler
  }
}

void FakeOpenAi::send_stream(const std::string& text, const std::string& model, bool include_usage,
                             std::int64_t prompt_tokens, ReplyKind kind, httplib::Response& response,
                             std::shared_ptr<InFlight> in_flight) {
  std::size_t chunk_chars;
  std::chrono::milliseconds chunk_delay;
  {
    std::lock_guard lock(m_mutex);
    chunk_chars = std::max<std::size_t>(1, m_options.stream_chunk_chars);
    chunk_delay = m_options.stream_chunk_delay;
  }
  const auto chunk = [&](nlohmann::json delta, nlohmann::json finish_reason) {
    nlohmann::json payload{
        {"id", "chatcmpl-fake"},
        {"object", "chat.completion.chunk"},
        {"created", k_created},
        {"model", model},
        {"choices", {{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", finish_reason}}}}};
    if (include_usage) payload["usage"] = nullptr;
    return sse_event(payload);
  };
  std::vector<std::string> events;
  events.push_back(chunk({{"role", "assistant"}, {"content", ""}}, nullptr));
  events.emplace_back(": keep-alive\n\n");
  const std::string body = kind == ReplyKind::empty_choices || kind == ReplyKind::empty_content ? "" : text;
  for (std::size_t at = 0; at < body.size(); at += chunk_chars)
    events.push_back(chunk({{"content", body.substr(at, chunk_chars)}}, nullptr));
  if (kind == ReplyKind::truncated || kind == ReplyKind::stall) {
    events.resize(std::max<std::size_t>(2, events.size() / 2));
  } else {
    events.push_back(chunk(nlohmann::json::object(), "stop"));
    if (include_usage) {
      const auto completion = count_words(body);
      events.push_back(sse_event({{"id", "chatcmpl-fake"},
                                  {"object", "chat.completion.chunk"},
                                  {"created", k_created},
                                  {"model", model},
                                  {"choices", nlohmann::json::array()},
                                  {"usage",
                                   {{"prompt_tokens", prompt_tokens},
                                    {"completion_tokens", completion},
                                    {"total_tokens", prompt_tokens + completion}}}}));
    }
    events.emplace_back("data: [DONE]\n\n");
  }
  response.status = 200;
  response.set_header("Cache-Control", "no-cache");
  response.set_chunked_content_provider("text/event-stream", [this, events = std::move(events), chunk_delay, kind,
                                                              in_flight](std::size_t, httplib::DataSink& sink) {
    for (const auto& event : events) {
      if (!sink.write(event.data(), event.size())) return false;
      if (chunk_delay.count() > 0 && !wait_or_stop(chunk_delay)) return false;
    }
    if (kind == ReplyKind::stall) {
      wait_or_stop(std::chrono::hours(1)); // silence with the connection open, until the client gives up or stop()
      return false;
    }
    sink.done();
    return true;
  });
}

void FakeOpenAi::handle_chat(const httplib::Request& request, httplib::Response& response) {
  auto in_flight = std::make_shared<InFlight>(*this);
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  const std::string prompt = body.is_discarded() ? std::string() : chat_prompt(body);
  record(request, "chat", prompt);
  auto decision = decide("chat", prompt, request);
  if (!wait_or_stop(decision.latency + (decision.reply ? decision.reply->delay : std::chrono::milliseconds(0)))) {
    response.status = 503;
    return;
  }
  if (decision.unauthorized) {
    response.status = 401;
    ScriptedReply reply = ScriptedReply::error_reply(401, "Incorrect API key provided: " + decision.presented_key,
                                                     "invalid_request_error", "invalid_api_key");
    response.set_content(error_body(reply).dump(), "application/json");
    return;
  }
  if (body.is_discarded() || !body.is_object() || !body.contains("messages")) {
    response.status = 400;
    response.set_content(
        error_body(ScriptedReply::error_reply(400, "could not parse the JSON body", "invalid_request_error")).dump(),
        "application/json");
    return;
  }
  std::string model = body.value("model", std::string());
  {
    std::lock_guard lock(m_mutex);
    if (model.empty()) model = m_options.model;
    if (m_options.strict_models &&
        std::find(m_options.models.begin(), m_options.models.end(), model) == m_options.models.end()) {
      decision.reply = ScriptedReply::error_reply(404, "The model `" + model + "` does not exist",
                                                  "invalid_request_error", "model_not_found");
    }
  }
  const bool stream = body.value("stream", false);
  if (!decision.reply) {
    std::unique_lock lock(m_mutex);
    decision.reply = inject_fault(stream);
    lock.unlock();
    if (decision.reply && decision.reply->delay.count() > 0 && !wait_or_stop(decision.reply->delay)) {
      response.status = 503;
      return;
    }
  }
  const auto kind = decision.reply ? decision.reply->kind : ReplyKind::ok;
  if (decision.reply && kind != ReplyKind::ok && kind != ReplyKind::empty_choices && kind != ReplyKind::empty_content &&
      kind != ReplyKind::truncated && kind != ReplyKind::stall) {
    send_scripted(*decision.reply, stream, response, in_flight);
    return;
  }
  if (decision.reply)
    for (const auto& [name, value] : decision.reply->headers)
      response.set_header(name, value);
  const auto text = answer_for(prompt);
  const auto prompt_tokens = all_message_words(body);
  if (stream) {
    bool include_usage = false;
    if (const auto options = body.find("stream_options"); options != body.end() && options->is_object())
      include_usage = options->value("include_usage", false);
    send_stream(text, model, include_usage, prompt_tokens, kind, response, in_flight);
    return;
  }
  nlohmann::json choices = nlohmann::json::array();
  const std::string content = kind == ReplyKind::empty_content ? "" : text;
  if (kind != ReplyKind::empty_choices)
    choices.push_back(
        {{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}});
  const auto completion = count_words(content);
  const nlohmann::json answer{{"id", "chatcmpl-fake"},
                              {"object", "chat.completion"},
                              {"created", k_created},
                              {"model", model},
                              {"choices", choices},
                              {"usage",
                               {{"prompt_tokens", prompt_tokens},
                                {"completion_tokens", completion},
                                {"total_tokens", prompt_tokens + completion}}}};
  auto dumped = answer.dump();
  if (kind == ReplyKind::truncated) dumped.resize(dumped.size() / 2);
  response.status = 200;
  response.set_content(dumped, "application/json");
}

void FakeOpenAi::handle_images(const httplib::Request& request, httplib::Response& response) {
  auto in_flight = std::make_shared<InFlight>(*this);
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  const std::string prompt = body.is_object() && body.contains("prompt") && body["prompt"].is_string()
                                 ? body["prompt"].get<std::string>()
                                 : std::string();
  record(request, "images", prompt);
  auto decision = decide("images", prompt, request);
  if (!wait_or_stop(decision.latency + (decision.reply ? decision.reply->delay : std::chrono::milliseconds(0)))) {
    response.status = 503;
    return;
  }
  if (decision.unauthorized) {
    response.status = 401;
    response.set_content(
        error_body(ScriptedReply::error_reply(401, "Incorrect API key provided: " + decision.presented_key,
                                              "invalid_request_error", "invalid_api_key"))
            .dump(),
        "application/json");
    return;
  }
  if (body.is_discarded() || prompt.empty()) {
    response.status = 400;
    response.set_content(
        error_body(ScriptedReply::error_reply(400, "'prompt' is a required property", "invalid_request_error")).dump(),
        "application/json");
    return;
  }
  const auto kind = decision.reply ? decision.reply->kind : ReplyKind::ok;
  if (decision.reply && (kind == ReplyKind::error || kind == ReplyKind::raw || kind == ReplyKind::error_in_ok ||
                         kind == ReplyKind::invalid_json || kind == ReplyKind::drop_connection)) {
    send_scripted(*decision.reply, false, response, in_flight);
    return;
  }
  nlohmann::json data = nlohmann::json::array();
  bool as_url = body.value("response_format", std::string()) == "url";
  {
    std::lock_guard lock(m_mutex);
    as_url = as_url || m_options.image_as_url;
  }
  if (kind != ReplyKind::empty_choices) {
    if (as_url) {
      std::string name;
      {
        std::lock_guard lock(m_mutex);
        name = "image-" + std::to_string(m_files.size() + 1) + ".png";
        m_files[name] = tiny_png();
      }
      data.push_back({{"url", "http://127.0.0.1:" + std::to_string(m_port) + "/files/" + name}});
    } else {
      data.push_back({{"b64_json", base64_encode(tiny_png())}, {"revised_prompt", prompt}});
    }
  }
  auto dumped = nlohmann::json{{"created", k_created}, {"data", data}}.dump();
  if (kind == ReplyKind::truncated) dumped.resize(dumped.size() / 2);
  response.status = 200;
  response.set_content(dumped, "application/json");
}

void FakeOpenAi::handle_models(const httplib::Request& request, httplib::Response& response) {
  auto in_flight = std::make_shared<InFlight>(*this);
  record(request, "models", {});
  auto decision = decide("models", {}, request);
  if (!wait_or_stop(decision.latency + (decision.reply ? decision.reply->delay : std::chrono::milliseconds(0)))) {
    response.status = 503;
    return;
  }
  if (decision.unauthorized) {
    response.status = 401;
    response.set_content(
        error_body(ScriptedReply::error_reply(401, "Incorrect API key provided: " + decision.presented_key,
                                              "invalid_request_error", "invalid_api_key"))
            .dump(),
        "application/json");
    return;
  }
  if (decision.reply && decision.reply->kind != ReplyKind::ok) {
    if (decision.reply->kind == ReplyKind::error || decision.reply->kind == ReplyKind::raw ||
        decision.reply->kind == ReplyKind::error_in_ok || decision.reply->kind == ReplyKind::drop_connection) {
      send_scripted(*decision.reply, false, response, in_flight);
    } else {
      response.set_content("{\"object\":\"list\",\"data\":[", "application/json");
    }
    return;
  }
  nlohmann::json data = nlohmann::json::array();
  {
    std::lock_guard lock(m_mutex);
    for (const auto& model : m_options.models)
      data.push_back({{"id", model}, {"object", "model"}, {"created", k_created}, {"owned_by", "fake"}});
  }
  response.set_content(nlohmann::json{{"object", "list"}, {"data", data}}.dump(), "application/json");
}

void FakeOpenAi::handle_file(const httplib::Request& request, httplib::Response& response) {
  record(request, "files", {});
  std::lock_guard lock(m_mutex);
  const auto found = m_files.find(request.matches[1].str());
  if (found == m_files.end()) {
    response.status = 404;
    return;
  }
  response.set_content(found->second, "image/png");
}

} // namespace blogen::testing
