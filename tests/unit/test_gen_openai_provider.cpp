// The openai provider against the fake server over real sockets: success, streaming, every error mapping,
// timeouts, refused connections, cancellation, images, models and key redaction.

#include <blogen/gen/credentials.hpp>
#include <blogen/gen/openai_provider.hpp>
#include <blogen/gen/openai_wire.hpp>

#include "support/fake_openai.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <stop_token>
#include <string>
#include <thread>

using blogen::gen::ChatMessage;
using blogen::gen::ChatRequest;
using blogen::gen::ChatResult;
using blogen::gen::ErrorKind;
using blogen::gen::ImageRequest;
using blogen::gen::OpenAiProvider;
using blogen::gen::ProviderConfig;
using blogen::testing::FakeOpenAi;
using blogen::testing::FakeOpenAiOptions;
using blogen::testing::ReplyKind;
using blogen::testing::ScriptedReply;
using namespace std::chrono_literals;

namespace {

ProviderConfig config_at(const std::string& base_url, const std::string& key_env = "") {
  ProviderConfig config;
  config.name = "fake";
  config.kind = "openai";
  config.base_url = base_url;
  config.model = "fake-gpt";
  config.image_model = "fake-image";
  config.api_key_env = key_env;
  config.connect_timeout = 2s;
  config.request_timeout = 20s;
  return config;
}

ProviderConfig config_for(const FakeOpenAi& fake, const std::string& key_env = "") {
  return config_at(fake.base_url(), key_env);
}

ChatRequest request_for(const std::string& prompt, bool stream = false) {
  ChatRequest request;
  request.messages = {ChatMessage{"system", "You write blog posts."}, ChatMessage{"user", prompt}};
  request.stream = stream;
  request.timeout = 20s;
  return request;
}

ChatResult chat(OpenAiProvider& provider, const ChatRequest& request) {
  return provider.chat(request, {}, std::stop_token{});
}

// Waits (no deadline: ctest's timeout is the backstop) for the condition; no assertion depends on how long it took.
template <typename Condition> void wait_until(Condition condition) {
  while (!condition())
    std::this_thread::sleep_for(2ms);
}

struct Fixture {
  Fixture() { fake.start(); }
  FakeOpenAi fake;
};

} // namespace

TEST_CASE_METHOD(Fixture, "openai: a non-streaming completion returns text, model, usage and status", "[openai]") {
  OpenAiProvider provider(config_for(fake));
  const auto result = chat(provider, request_for("Topic: Bread baking"));
  REQUIRE(result.ok);
  CHECK(result.error == ErrorKind::none);
  CHECK(result.text == FakeOpenAi::answer_for("Topic: Bread baking"));
  CHECK(result.text.rfind("# Bread baking\n", 0) == 0);
  CHECK(result.model == "fake-gpt");
  CHECK(result.finish_reason == "stop");
  CHECK(result.http_status == 200);
  CHECK(result.usage.prompt_tokens == 7);
  CHECK(result.usage.completion_tokens > 10);

  const auto requests = fake.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].path == "/v1/chat/completions");
  CHECK(requests[0].header("Authorization").empty()); // no key configured: no header at all
  const auto body = nlohmann::json::parse(requests[0].body);
  CHECK(body["model"] == "fake-gpt");
  CHECK(body["messages"].size() == 2);
  CHECK_FALSE(body.contains("stream"));
}

TEST_CASE_METHOD(Fixture, "openai: the key goes in a bearer header and extra headers are sent", "[openai]") {
  setenv("BLOGEN_TEST_OPENAI_KEY_HEADER", "sk-header-test", 1);
  fake.set_required_api_key("sk-header-test");
  auto config = config_for(fake, "BLOGEN_TEST_OPENAI_KEY_HEADER");
  config.extra_headers = {{"HTTP-Referer", "https://blogen.example"}, {"X-Bad", "a\r\nInjected: yes"}};
  OpenAiProvider provider(config);
  auto request = request_for("Topic: Headers");
  request.model = "fake-gpt-mini";
  request.temperature = 0.5;
  request.max_tokens = 100;
  request.json_mode = true;
  REQUIRE(chat(provider, request).ok);
  const auto recorded = fake.requests().at(0);
  CHECK(recorded.header("Authorization") == "Bearer sk-header-test");
  CHECK(recorded.header("HTTP-Referer") == "https://blogen.example");
  CHECK(recorded.header("Injected").empty());
  const auto body = nlohmann::json::parse(recorded.body);
  CHECK(body["model"] == "fake-gpt-mini");
  CHECK(body["temperature"] == 0.5);
  CHECK(body["max_tokens"] == 100);
  CHECK(body["response_format"]["type"] == "json_object");
  unsetenv("BLOGEN_TEST_OPENAI_KEY_HEADER");
}

TEST_CASE_METHOD(Fixture, "openai: streaming passes deltas on and reads usage from the final chunk", "[openai]") {
  OpenAiProvider provider(config_for(fake));
  std::string streamed;
  int deltas = 0;
  const auto result = provider.chat(request_for("Topic: Streaming posts", true),
                                    [&](std::string_view delta) {
                                      streamed += delta;
                                      ++deltas;
                                    },
                                    {});
  REQUIRE(result.ok);
  CHECK(result.text == FakeOpenAi::answer_for("Topic: Streaming posts"));
  CHECK(streamed == result.text);
  CHECK(deltas > 5);
  CHECK(result.usage.prompt_tokens == 7);
  CHECK(result.usage.completion_tokens > 10);
  CHECK(result.finish_reason == "stop");
  const auto body = nlohmann::json::parse(fake.requests().at(0).body);
  CHECK(body["stream"] == true);
  CHECK(body["stream_options"]["include_usage"] == true);
}

TEST_CASE("openai: one-character stream chunks still assemble", "[openai]") {
  FakeOpenAiOptions options;
  options.stream_chunk_chars = 1;
  FakeOpenAi fake(options);
  fake.start();
  OpenAiProvider provider(config_for(fake));
  int deltas = 0;
  const auto result = provider.chat(request_for("Topic: Tiny", true), [&](std::string_view) { ++deltas; }, {});
  REQUIRE(result.ok);
  CHECK(deltas == static_cast<int>(result.text.size()));
}

TEST_CASE_METHOD(Fixture, "openai: HTTP errors map onto error kinds with the provider's message", "[openai]") {
  OpenAiProvider provider(config_for(fake));
  struct Case {
    ScriptedReply reply;
    ErrorKind kind;
    bool retryable;
  };
  const std::vector<Case> cases{
      {ScriptedReply::error_reply(401, "Invalid key", "invalid_request_error", "invalid_api_key"), ErrorKind::auth,
       false},
      {ScriptedReply::error_reply(403, "Country not supported"), ErrorKind::auth, false},
      {ScriptedReply::error_reply(400, "max_tokens is too large", "invalid_request_error"), ErrorKind::bad_request,
       false},
      {ScriptedReply::error_reply(404, "The model `nope` does not exist", "invalid_request_error", "model_not_found"),
       ErrorKind::not_found_model, false},
      {ScriptedReply::error_reply(429, "Rate limit reached", "requests", "rate_limit_exceeded"),
       ErrorKind::rate_limited, true},
      {ScriptedReply::error_reply(429, "You exceeded your current quota", "insufficient_quota", "insufficient_quota"),
       ErrorKind::quota, false},
      {ScriptedReply::error_reply(500, "The server had an error"), ErrorKind::server, true},
      {ScriptedReply::error_reply(503, "Overloaded"), ErrorKind::server, true},
  };
  for (const auto& entry : cases) {
    INFO("status " << entry.reply.status << " " << entry.reply.message);
    fake.enqueue(entry.reply);
    const auto result = chat(provider, request_for("Topic: errors"));
    CHECK_FALSE(result.ok);
    CHECK(result.error == entry.kind);
    CHECK(result.retryable() == entry.retryable);
    CHECK(result.http_status == entry.reply.status);
    CHECK(result.error_message == entry.reply.message);
  }
}

TEST_CASE_METHOD(Fixture, "openai: error bodies that are not OpenAI-shaped still give a message", "[openai]") {
  OpenAiProvider provider(config_for(fake));
  fake.enqueue(ScriptedReply::raw_reply(502, "<html><body>Bad gateway</body></html>", "text/html"));
  const auto html = chat(provider, request_for("x"));
  CHECK(html.error == ErrorKind::server);
  CHECK_THAT(html.error_message, Catch::Contains("HTTP 502") && Catch::Contains("Bad gateway"));
  fake.enqueue(ScriptedReply::raw_reply(400, R"({"error":"model is required"})"));
  const auto ollama = chat(provider, request_for("x"));
  CHECK(ollama.error == ErrorKind::bad_request);
  CHECK(ollama.error_message == "model is required");
  fake.enqueue(ScriptedReply::raw_reply(404, ""));
  const auto not_found = chat(provider, request_for("x"));
  CHECK(not_found.error == ErrorKind::not_found_model);
  CHECK_THAT(not_found.error_message, Catch::Contains("base URL"));
}

TEST_CASE_METHOD(Fixture, "openai: Retry-After and x-ratelimit-reset become retry_after", "[openai]") {
  OpenAiProvider provider(config_for(fake));
  fake.enqueue(ScriptedReply::rate_limited(2));
  const auto seconds = chat(provider, request_for("x"));
  CHECK(seconds.error == ErrorKind::rate_limited);
  REQUIRE(seconds.retry_after);
  CHECK(*seconds.retry_after == 2000ms);

  auto reset = ScriptedReply::error_reply(429, "slow down", "tokens", "rate_limit_exceeded");
  reset.headers = {{"x-ratelimit-reset-requests", "20ms"},
                   {"x-ratelimit-reset-tokens", "6m0s"},
                   {"x-ratelimit-remaining-tokens", "0"},
                   {"x-ratelimit-remaining-requests", "12"}};
  fake.enqueue(reset);
  const auto tokens = chat(provider, request_for("x"));
  REQUIRE(tokens.retry_after);
  CHECK(*tokens.retry_after == 360'000ms);

  fake.enqueue(ScriptedReply::error_reply(500, "no hint"));
  CHECK_FALSE(chat(provider, request_for("x")).retry_after);
}

TEST_CASE_METHOD(Fixture, "openai: broken 200 answers are retryable malformed responses", "[openai]") {
  OpenAiProvider provider(config_for(fake));
  for (const bool stream : {false, true}) {
    for (const auto kind : {ReplyKind::truncated, ReplyKind::invalid_json, ReplyKind::error_in_ok,
                            ReplyKind::empty_choices, ReplyKind::empty_content}) {
      INFO("kind " << static_cast<int>(kind) << (stream ? " streamed" : ""));
      fake.enqueue(ScriptedReply::of_kind(kind));
      const auto result = chat(provider, request_for("Topic: broken", stream));
      CHECK_FALSE(result.ok);
      CHECK(result.http_status == 200);
      CHECK(result.error == ErrorKind::malformed_response);
      CHECK(result.retryable());
      CHECK_FALSE(result.error_message.empty());
      if (kind == ReplyKind::error_in_ok) CHECK_THAT(result.error_message, Catch::Contains("The server had an error"));
    }
  }
  fake.enqueue(ScriptedReply::raw_reply(200, R"({"choices": [{"index": 0, "message": {"role": "assistant", )"));
  CHECK(chat(provider, request_for("x")).error == ErrorKind::malformed_response);
}

TEST_CASE_METHOD(Fixture, "openai: a server that ignores `stream` still yields the answer", "[openai]") {
  OpenAiProvider provider(config_for(fake));
  const auto body = nlohmann::json{{"model", "plain"},
                                   {"choices",
                                    {{{"index", 0},
                                      {"message", {{"role", "assistant"}, {"content", "# Plain\n\nText"}}},
                                      {"finish_reason", "stop"}}}}};
  fake.enqueue(ScriptedReply::raw_reply(200, body.dump()));
  const auto result = chat(provider, request_for("x", true));
  REQUIRE(result.ok);
  CHECK(result.text == "# Plain\n\nText");
  CHECK(result.model == "plain");
}

TEST_CASE_METHOD(Fixture, "openai: a dropped connection is a retryable connection error", "[openai]") {
  OpenAiProvider provider(config_for(fake));
  fake.enqueue(ScriptedReply::of_kind(ReplyKind::drop_connection));
  const auto result = chat(provider, request_for("x"));
  CHECK(result.error == ErrorKind::connection);
  CHECK(result.retryable());
}

TEST_CASE_METHOD(Fixture, "openai: a hang beyond the timeout is a retryable timeout", "[openai]") {
  OpenAiProvider provider(config_for(fake));
  fake.enqueue(ScriptedReply::hang(30s)); // stop() in the fixture wakes the handler
  auto request = request_for("x");
  request.timeout = 300ms;
  const auto result = chat(provider, request);
  CHECK(result.error == ErrorKind::timeout);
  CHECK(result.retryable());
  CHECK(result.http_status == 0);
}

TEST_CASE("openai: a refused connection is a retryable connection error", "[openai]") {
  // Port 1, where nothing listens, as in the other tests of a refused connection. Not a stopped fake server's port:
  // the tests run in parallel, and another test's server was given that port and answered this test's requests (its
  // own count of calls then came out one too many).
  OpenAiProvider provider(config_at("http://127.0.0.1:1/v1"));
  const auto result = chat(provider, request_for("x"));
  CHECK(result.error == ErrorKind::connection);
  CHECK(result.retryable());
  CHECK_FALSE(result.error_message.empty());
  const auto models = provider.list_models();
  CHECK(models.error == ErrorKind::connection);
}

TEST_CASE("openai: a stop request aborts a transfer in progress", "[openai]") {
  for (const bool stream : {false, true}) {
    FakeOpenAi fake;
    fake.start();
    fake.set_latency(60s); // the fake's stop() at scope end frees its sleeping handler
    OpenAiProvider provider(config_for(fake));
    std::stop_source stop;
    ChatResult result;
    std::thread caller([&] { result = provider.chat(request_for("x", stream), {}, stop.get_token()); });
    // Counted and in flight: the request reached the server before the stop.
    wait_until([&] { return fake.stats().in_flight >= 1 && fake.stats().count("chat") == 1; });
    stop.request_stop();
    caller.join();
    CHECK(result.error == ErrorKind::cancelled);
    CHECK_FALSE(result.retryable());
    std::stop_source already;
    already.request_stop();
    CHECK(provider.chat(request_for("x"), {}, already.get_token()).error == ErrorKind::cancelled);
    CHECK(fake.stats().count("chat") == 1); // an already-stopped call never reaches the network
  }
}

TEST_CASE_METHOD(Fixture, "openai: an exception from the delta callback reaches the caller", "[openai]") {
  OpenAiProvider provider(config_for(fake));
  CHECK_THROWS_AS(
      provider.chat(request_for("x", true), [](std::string_view) { throw std::runtime_error("consumer failed"); }, {}),
      std::runtime_error);
  CHECK(chat(provider, request_for("Topic: still works")).ok); // the thread's handle is reusable afterwards
}

TEST_CASE_METHOD(Fixture, "openai: images arrive as base64 or by URL", "[openai]") {
  setenv("BLOGEN_TEST_OPENAI_IMAGE_KEY", "sk-image-key", 1);
  OpenAiProvider provider(config_for(fake, "BLOGEN_TEST_OPENAI_IMAGE_KEY"));
  ImageRequest request;
  request.prompt = "a lighthouse at dawn";
  request.size = "512x512";
  const auto b64 = provider.image(request, {});
  REQUIRE(b64.ok);
  CHECK(b64.bytes == FakeOpenAi::tiny_png());
  CHECK(b64.mime_type == "image/png");
  const auto body = nlohmann::json::parse(fake.requests().at(0).body);
  CHECK(body["response_format"] == "b64_json");
  CHECK(body["model"] == "fake-image");
  CHECK(body["size"] == "512x512");

  fake.set_image_as_url(true);
  const auto url = provider.image(request, {});
  REQUIRE(url.ok);
  CHECK(url.bytes == FakeOpenAi::tiny_png());
  CHECK(url.mime_type == "image/png");
  CHECK(fake.stats().count("files") == 1);
  // The image URL may live on another host: it must not receive the key.
  CHECK(fake.requests().back().path.rfind("/files/", 0) == 0);
  CHECK(fake.requests().back().header("Authorization").empty());
  CHECK(fake.requests().at(0).header("Authorization") == "Bearer sk-image-key");

  fake.set_image_as_url(false);
  request.model = "gpt-image-1";
  REQUIRE(provider.image(request, {}).ok);
  const auto last = fake.requests().back();
  REQUIRE(last.path == "/v1/images/generations");
  CHECK_FALSE(nlohmann::json::parse(last.body).contains("response_format"));
  unsetenv("BLOGEN_TEST_OPENAI_IMAGE_KEY");
}

TEST_CASE_METHOD(Fixture, "openai: image failures map like chat failures", "[openai]") {
  OpenAiProvider provider(config_for(fake));
  ImageRequest request;
  request.prompt = "Your request was rejected by the safety system";
  fake.fail_when_prompt_contains("safety", ScriptedReply::error_reply(400, "rejected", "invalid_request_error"));
  const auto rejected = provider.image(request, {});
  CHECK(rejected.error == ErrorKind::bad_request);
  CHECK(rejected.error_message == "rejected");
  request.prompt = "fine";
  fake.enqueue(ScriptedReply::of_kind(ReplyKind::empty_choices));
  CHECK(provider.image(request, {}).error == ErrorKind::malformed_response);
  fake.enqueue(ScriptedReply::rate_limited(3));
  const auto limited = provider.image(request, {});
  CHECK(limited.error == ErrorKind::rate_limited);
  REQUIRE(limited.retry_after);
  CHECK(*limited.retry_after == 3000ms);
  fake.enqueue(ScriptedReply::raw_reply(200, R"({"data":[{"b64_json":"%%%not base64%%%"}]})"));
  CHECK(provider.image(request, {}).error == ErrorKind::malformed_response);
}

TEST_CASE_METHOD(Fixture, "openai: listing models", "[openai]") {
  OpenAiProvider provider(config_for(fake));
  const auto models = provider.list_models();
  REQUIRE(models.ok);
  CHECK(models.models == std::vector<std::string>{"fake-gpt", "fake-gpt-mini", "fake-image"});
  CHECK(models.http_status == 200);
  fake.enqueue(ScriptedReply::error_reply(401, "no"));
  CHECK(provider.list_models().error == ErrorKind::auth);
}

TEST_CASE_METHOD(Fixture, "openai: the API key never appears in results, even when the server echoes it", "[openai]") {
  const std::string key = "sk-blogen-secret-7f3a9c";
  setenv("BLOGEN_TEST_OPENAI_SECRET", key.c_str(), 1);
  OpenAiProvider provider(config_for(fake, "BLOGEN_TEST_OPENAI_SECRET"));
  const auto clean = [&](const auto& result) {
    CHECK(result.error_message.find(key) == std::string::npos);
    if constexpr (requires { result.text; }) {
      CHECK(result.text.find(key) == std::string::npos);
      CHECK(result.model.find(key) == std::string::npos);
    }
  };

  fake.set_required_api_key("sk-a-different-one"); // the fake answers "Incorrect API key provided: <ours>"
  const auto rejected = chat(provider, request_for("x"));
  CHECK(rejected.error == ErrorKind::auth);
  CHECK_THAT(rejected.error_message, Catch::Contains("[redacted]"));
  clean(rejected);
  clean(provider.list_models());
  ImageRequest image;
  image.prompt = "x";
  clean(provider.image(image, {}));

  fake.set_required_api_key("");
  fake.enqueue(ScriptedReply::error_reply(500, "upstream said " + key));
  clean(chat(provider, request_for("x")));
  fake.enqueue(ScriptedReply::raw_reply(502, "proxy saw Authorization: Bearer " + key, "text/plain"));
  clean(chat(provider, request_for("x")));
  fake.enqueue(ScriptedReply::raw_reply(200, "{\"oops\": \"" + key));
  clean(chat(provider, request_for("x", true)));
  fake.fail_when_prompt_contains("echo", ScriptedReply::error_reply(400, key));
  clean(chat(provider, request_for("echo")));
  auto timeout = request_for("x");
  timeout.timeout = 200ms;
  fake.enqueue(ScriptedReply::hang(30s));
  clean(chat(provider, timeout));

  // The key was sent, so the redaction above was not vacuous.
  CHECK(fake.requests().at(0).header("Authorization") == "Bearer " + key);
  unsetenv("BLOGEN_TEST_OPENAI_SECRET");
}

TEST_CASE("openai: redact replaces every occurrence", "[openai]") {
  CHECK(blogen::gen::redact("a KEY b KEYKEY", "KEY") == "a [redacted] b [redacted][redacted]");
  CHECK(blogen::gen::redact("nothing", "") == "nothing");
}

TEST_CASE("openai: a request serialises to one Batch API JSONL line", "[openai]") {
  auto request = request_for("Topic: Batch\nline two", true);
  request.temperature = 0.2;
  const auto line = blogen::gen::to_batch_jsonl_line("post-42", request, "gpt-4o-mini");
  CHECK(line.find('\n') == std::string::npos);
  const auto json = nlohmann::json::parse(line);
  CHECK(json["custom_id"] == "post-42");
  CHECK(json["method"] == "POST");
  CHECK(json["url"] == "/v1/chat/completions");
  CHECK(json["body"]["model"] == "gpt-4o-mini");
  CHECK(json["body"]["messages"][1]["content"] == "Topic: Batch\nline two");
  CHECK(json["body"]["temperature"] == 0.2);
  CHECK_FALSE(json["body"].contains("stream"));
}

// Issue 16 item 7: a stream that goes silent mid-answer ends at the provider's stall timeout, not at the request
// timeout minutes later. The fake sends half the answer and then nothing, with the connection open.
TEST_CASE_METHOD(Fixture, "openai: a stream that stalls mid-answer fails as a retryable stall", "[openai]") {
  auto config = config_for(fake);
  config.stall_timeout = 300ms;
  OpenAiProvider provider(config);
  fake.enqueue(ScriptedReply::of_kind(ReplyKind::stall));
  std::string deltas;
  const auto result =
      provider.chat(request_for("Topic: Silence", true), [&](std::string_view delta) { deltas += delta; }, {});
  CHECK_FALSE(result.ok);
  CHECK(result.error == ErrorKind::timeout);
  CHECK(result.retryable());
  CHECK_THAT(result.error_message, Catch::Contains("stalled") && Catch::Contains("300 ms"));
  CHECK_FALSE(deltas.empty()); // it did stall mid-stream, after text had arrived
}

// Issue 16 item 7: the body-size cap holds for streams too (it once applied only to buffered bodies).
TEST_CASE_METHOD(Fixture, "openai: a streamed answer larger than the response cap fails", "[openai]") {
  auto config = config_for(fake);
  config.max_response_bytes = 2048;
  OpenAiProvider provider(config);
  const auto big = provider.chat(request_for("Topic: A long stream", true), {}, {});
  CHECK_FALSE(big.ok);
  CHECK(big.error == ErrorKind::malformed_response);
  CHECK_THAT(big.error_message, Catch::Contains("larger than 2048 bytes"));
  config.max_response_bytes = 256; // the same setting caps a buffered answer
  OpenAiProvider tight(config);
  const auto buffered = chat(tight, request_for("Topic: A long answer"));
  CHECK_FALSE(buffered.ok);
  CHECK_THAT(buffered.error_message, Catch::Contains("larger than 256 bytes"));
  config.max_response_bytes = std::size_t{1} << 20;
  OpenAiProvider roomy(config);
  CHECK(roomy.chat(request_for("Topic: A long stream", true), {}, {}).ok);
}

// Issue 16 item 4: a key variable that is not set stops the call before any request, naming the variable.
TEST_CASE_METHOD(Fixture, "openai: an unset key variable fails before any request, naming it", "[openai]") {
  unsetenv("BLOGEN_TEST_UNSET_KEY");
  OpenAiProvider provider(config_for(fake, "BLOGEN_TEST_UNSET_KEY"));
  const auto result = chat(provider, request_for("Topic: Keys"));
  CHECK_FALSE(result.ok);
  CHECK(result.error == ErrorKind::auth);
  CHECK_FALSE(result.retryable());
  CHECK(result.error_message == "BLOGEN_TEST_UNSET_KEY is not set: provider fake reads its API key from it (export "
                                "BLOGEN_TEST_UNSET_KEY=...)");
  CHECK(provider.image(ImageRequest{"a cat", {}, "1024x1024", 20s, {}}, {}).error == ErrorKind::auth);
  CHECK(provider.list_models().error == ErrorKind::auth);
  setenv("BLOGEN_TEST_UNSET_KEY", "  ", 1); // blank is not a key either
  CHECK(chat(provider, request_for("Topic: Keys")).error == ErrorKind::auth);
  unsetenv("BLOGEN_TEST_UNSET_KEY");
  CHECK(fake.stats().total == 0);
}

// Issue 16 item 8: a credential header's value is read from its variable at each call and never echoed back.
TEST_CASE_METHOD(Fixture, "openai: --header-env headers are read at each call and redacted from answers", "[openai]") {
  auto config = config_for(fake);
  config.header_env = {{"X-Api-Key", "BLOGEN_TEST_HEADER_SECRET"}};
  OpenAiProvider provider(config);
  unsetenv("BLOGEN_TEST_HEADER_SECRET");
  const auto missing = chat(provider, request_for("Topic: Headers"));
  CHECK(missing.error == ErrorKind::auth);
  CHECK_THAT(missing.error_message, Catch::StartsWith("BLOGEN_TEST_HEADER_SECRET is not set: provider fake reads its "
                                                      "X-Api-Key header from it"));
  CHECK(fake.stats().total == 0);
  setenv("BLOGEN_TEST_HEADER_SECRET", "hdr-secret-1", 1);
  REQUIRE(chat(provider, request_for("Topic: Headers")).ok);
  setenv("BLOGEN_TEST_HEADER_SECRET", "hdr-secret-2", 1); // rotated: the next call sends the new value
  fake.enqueue(ScriptedReply::error_reply(400, "bad header hdr-secret-2", "invalid_request_error"));
  const auto echoed = chat(provider, request_for("Topic: Headers"));
  CHECK(echoed.error_message.find("hdr-secret-2") == std::string::npos);
  CHECK_THAT(echoed.error_message, Catch::Contains("[redacted]"));
  const auto requests = fake.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].header("X-Api-Key") == "hdr-secret-1");
  CHECK(requests[1].header("X-Api-Key") == "hdr-secret-2");
  unsetenv("BLOGEN_TEST_HEADER_SECRET");
}

// Issue 16 item 8: a value read from the environment goes into a header as it is, so it must be one.
TEST_CASE("credentials: a key or header variable holding a control character is refused, naming the variable",
          "[openai]") {
  ProviderConfig config;
  config.name = "hdr";
  config.kind = "openai";
  config.api_key_env = "BLOGEN_TEST_CTRL_KEY";
  config.header_env = {{"X-Api-Key", "BLOGEN_TEST_CTRL_HEADER"}};
  setenv("BLOGEN_TEST_CTRL_KEY", "sk-fine\tpart", 1); // a tab is allowed in a header value
  setenv("BLOGEN_TEST_CTRL_HEADER", "fine value", 1);
  CHECK(blogen::gen::read_credentials(config).problem.empty());
  for (const char* bad : {"sk-\x1b[31mred", "sk-\x07", "sk-\x7f", "sk-\x01x"}) {
    INFO(static_cast<int>(std::string(bad)[3]));
    setenv("BLOGEN_TEST_CTRL_HEADER", bad, 1);
    const auto read = blogen::gen::read_credentials(config);
    CHECK(read.problem == "BLOGEN_TEST_CTRL_HEADER contains a control character: provider hdr cannot send its "
                          "X-Api-Key header from it (check how the variable was exported)");
    CHECK(read.api_key.empty()); // nothing half-read is sent
    CHECK(read.headers.empty());
    CHECK(read.problem.find(bad) == std::string::npos);
  }
  setenv("BLOGEN_TEST_CTRL_HEADER", "fine value", 1);
  setenv("BLOGEN_TEST_CTRL_KEY", "sk-\x1b", 1);
  CHECK_THAT(
      blogen::gen::read_credentials(config).problem,
      Catch::StartsWith("BLOGEN_TEST_CTRL_KEY contains a control character: provider hdr cannot send its API key"));
  unsetenv("BLOGEN_TEST_CTRL_KEY");
  unsetenv("BLOGEN_TEST_CTRL_HEADER");
}
