// The fake OpenAI server is itself tested: the provider and CLI tests are only as trustworthy as its behaviour.

#include "support/fake_openai.hpp"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using blogen::testing::FakeOpenAi;
using blogen::testing::FakeOpenAiOptions;
using blogen::testing::ReplyKind;
using blogen::testing::ScriptedReply;

namespace {

nlohmann::json chat_body(const std::string& prompt, bool stream = false) {
  nlohmann::json body{
      {"model", "fake-gpt"},
      {"messages", {{{"role", "system"}, {"content", "You write blogs."}}, {{"role", "user"}, {"content", prompt}}}}};
  if (stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  return body;
}

httplib::Result post_chat(httplib::Client& client, const std::string& prompt, bool stream = false) {
  return client.Post("/v1/chat/completions", chat_body(prompt, stream).dump(), "application/json");
}

// Waits (without a deadline: ctest's timeout is the backstop) until the condition holds.
template <typename Condition> void wait_until(Condition condition) {
  while (!condition())
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

} // namespace

TEST_CASE("the fake binds a free port and lists models", "[fake]") {
  FakeOpenAi fake;
  fake.start();
  REQUIRE(fake.port() > 0);
  CHECK(fake.base_url() == "http://127.0.0.1:" + std::to_string(fake.port()) + "/v1");
  httplib::Client client("127.0.0.1", fake.port());
  const auto result = client.Get("/v1/models");
  REQUIRE(result);
  REQUIRE(result->status == 200);
  const auto body = nlohmann::json::parse(result->body);
  REQUIRE(body["data"].size() == 3);
  CHECK(body["data"][0]["id"] == "fake-gpt");
  CHECK(fake.stats().count("models") == 1);
}

TEST_CASE("the answer is deterministic Markdown titled from the prompt", "[fake]") {
  CHECK(FakeOpenAi::answer_for("Topic: Sourdough at home\nTone: warm").rfind("# Sourdough at home\n", 0) == 0);
  CHECK(FakeOpenAi::answer_for("Title: Ten Tips\nTopic: something else").rfind("# Ten Tips\n", 0) == 0);
  CHECK(FakeOpenAi::answer_for("Write a blog post about rust ownership.").rfind("# Rust ownership\n", 0) == 0);
  CHECK(FakeOpenAi::answer_for("").rfind("# Untitled\n", 0) == 0);
  CHECK(FakeOpenAi::answer_for("Topic: a") == FakeOpenAi::answer_for("Topic: a"));

  FakeOpenAi fake;
  fake.start();
  httplib::Client client("127.0.0.1", fake.port());
  const auto result = post_chat(client, "Topic: Growing tomatoes");
  REQUIRE(result);
  REQUIRE(result->status == 200);
  const auto body = nlohmann::json::parse(result->body);
  CHECK(body["choices"][0]["message"]["content"] == FakeOpenAi::answer_for("Topic: Growing tomatoes"));
  CHECK(body["usage"]["prompt_tokens"].get<int>() == 6); // "You write blogs." + "Topic: Growing tomatoes"
  CHECK(body["usage"]["completion_tokens"].get<int>() > 10);
  const auto requests = fake.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].prompt == "Topic: Growing tomatoes");
  CHECK(requests[0].header("content-type") == "application/json");
}

TEST_CASE("the fake streams server-sent events with usage and [DONE]", "[fake]") {
  FakeOpenAi fake;
  fake.start();
  httplib::Client client("127.0.0.1", fake.port());
  const auto result = post_chat(client, "Topic: Streams", true);
  REQUIRE(result);
  REQUIRE(result->status == 200);
  CHECK(result->get_header_value("Content-Type").rfind("text/event-stream", 0) == 0);
  const auto& sse = result->body;
  CHECK(sse.find(": keep-alive\n\n") != std::string::npos);
  CHECK(sse.find("\"usage\":{\"completion_tokens\"") != std::string::npos);
  CHECK(sse.size() > 14);
  CHECK(sse.substr(sse.size() - 14) == "data: [DONE]\n\n");
}

TEST_CASE("scripted replies are served in order, then normal answers resume", "[fake]") {
  FakeOpenAi fake;
  fake.start();
  fake.enqueue(ScriptedReply::error_reply(500, "boom"));
  fake.enqueue(ScriptedReply::rate_limited(7));
  ScriptedReply models_only = ScriptedReply::error_reply(503, "models down");
  models_only.endpoint = "models";
  fake.enqueue(models_only);
  httplib::Client client("127.0.0.1", fake.port());

  const auto first = post_chat(client, "a");
  REQUIRE(first);
  CHECK(first->status == 500);
  CHECK(nlohmann::json::parse(first->body)["error"]["message"] == "boom");
  const auto second = post_chat(client, "b");
  REQUIRE(second);
  CHECK(second->status == 429);
  CHECK(second->get_header_value("Retry-After") == "7");
  const auto third = post_chat(client, "c"); // the models-only reply is skipped
  REQUIRE(third);
  CHECK(third->status == 200);
  const auto models = client.Get("/v1/models");
  REQUIRE(models);
  CHECK(models->status == 503);
  CHECK(fake.stats().count("chat") == 3);
  CHECK(fake.stats().total == 4);
}

TEST_CASE("body-shape replies break the JSON the way real servers do", "[fake]") {
  FakeOpenAi fake;
  fake.start();
  httplib::Client client("127.0.0.1", fake.port());
  fake.enqueue(ScriptedReply::of_kind(ReplyKind::truncated));
  fake.enqueue(ScriptedReply::of_kind(ReplyKind::empty_choices));
  fake.enqueue(ScriptedReply::of_kind(ReplyKind::error_in_ok));
  fake.enqueue(ScriptedReply::of_kind(ReplyKind::invalid_json));

  const auto truncated = post_chat(client, "x");
  REQUIRE(truncated);
  CHECK(truncated->status == 200);
  CHECK(nlohmann::json::parse(truncated->body, nullptr, false).is_discarded());
  const auto empty = post_chat(client, "x");
  REQUIRE(empty);
  CHECK(nlohmann::json::parse(empty->body)["choices"].empty());
  const auto error = post_chat(client, "x");
  REQUIRE(error);
  CHECK(error->status == 200);
  CHECK(nlohmann::json::parse(error->body).contains("error"));
  const auto invalid = post_chat(client, "x");
  REQUIRE(invalid);
  CHECK(nlohmann::json::parse(invalid->body, nullptr, false).is_discarded());
}

TEST_CASE("prompt rules fail only the matching requests", "[fake]") {
  FakeOpenAi fake;
  fake.start();
  fake.fail_when_prompt_contains("POISON", ScriptedReply::error_reply(400, "bad post", "invalid_request_error"));
  httplib::Client client("127.0.0.1", fake.port());
  for (int i = 0; i < 3; ++i) {
    const auto bad = post_chat(client, "Topic: POISON apple");
    REQUIRE(bad);
    CHECK(bad->status == 400);
    const auto good = post_chat(client, "Topic: apple");
    REQUIRE(good);
    CHECK(good->status == 200);
  }
}

TEST_CASE("a required API key rejects other keys with 401", "[fake]") {
  FakeOpenAiOptions options;
  options.required_api_key = "sk-right";
  FakeOpenAi fake(options);
  fake.start();
  httplib::Client client("127.0.0.1", fake.port());
  const auto missing = post_chat(client, "x");
  REQUIRE(missing);
  CHECK(missing->status == 401);
  client.set_bearer_token_auth("sk-wrong");
  const auto wrong = post_chat(client, "x");
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  CHECK(nlohmann::json::parse(wrong->body)["error"]["code"] == "invalid_api_key");
  client.set_bearer_token_auth("sk-right");
  const auto right = post_chat(client, "x");
  REQUIRE(right);
  CHECK(right->status == 200);
  CHECK(fake.stats().unauthorized == 2);
}

TEST_CASE("images come back as base64 or as a URL the fake serves", "[fake]") {
  FakeOpenAi fake;
  fake.start();
  httplib::Client client("127.0.0.1", fake.port());
  const nlohmann::json request{{"prompt", "a cat"}, {"response_format", "b64_json"}};
  const auto b64 = client.Post("/v1/images/generations", request.dump(), "application/json");
  REQUIRE(b64);
  REQUIRE(b64->status == 200);
  CHECK(nlohmann::json::parse(b64->body)["data"][0]["b64_json"].get<std::string>().rfind("iVBORw0KGgo", 0) == 0);

  fake.set_image_as_url(true);
  const auto url = client.Post("/v1/images/generations", request.dump(), "application/json");
  REQUIRE(url);
  const auto link = nlohmann::json::parse(url->body)["data"][0]["url"].get<std::string>();
  const auto path = link.substr(link.find("/files/"));
  const auto file = client.Get(path);
  REQUIRE(file);
  CHECK(file->status == 200);
  CHECK(file->body == FakeOpenAi::tiny_png());
  CHECK(fake.stats().count("images") == 2);
  CHECK(fake.stats().count("files") == 1);
}

TEST_CASE("in-flight requests are counted while they run", "[fake]") {
  FakeOpenAi fake;
  fake.start();
  fake.set_latency(std::chrono::seconds(30)); // released by stop()
  std::vector<std::thread> clients;
  for (int i = 0; i < 3; ++i)
    clients.emplace_back([&fake] {
      httplib::Client client("127.0.0.1", fake.port());
      client.set_read_timeout(std::chrono::seconds(60));
      post_chat(client, "slow");
    });
  wait_until([&] { return fake.stats().in_flight == 3; });
  CHECK(fake.stats().max_in_flight == 3);
  fake.stop(); // wakes the sleeping handlers
  for (auto& thread : clients)
    thread.join();
  CHECK(fake.stats().in_flight == 0);
  CHECK(fake.stats().max_in_flight == 3);
}

TEST_CASE("/_stats, /_script and /_reset drive the fake over HTTP", "[fake]") {
  FakeOpenAi fake;
  fake.start();
  httplib::Client client("127.0.0.1", fake.port());
  const nlohmann::json script{{"rules", {{{"contains", "MARK"}, {"status", 418}, {"message", "teapot"}}}},
                              {"responses", {{{"kind", "empty_content"}}}}};
  const auto scripted = client.Post("/_script", script.dump(), "application/json");
  REQUIRE(scripted);
  REQUIRE(scripted->status == 200);
  const auto empty = post_chat(client, "one");
  REQUIRE(empty);
  CHECK(nlohmann::json::parse(empty->body)["choices"][0]["message"]["content"] == "");
  const auto marked = post_chat(client, "MARK two");
  REQUIRE(marked);
  CHECK(marked->status == 418);

  const auto stats = client.Get("/_stats");
  REQUIRE(stats);
  const auto json = nlohmann::json::parse(stats->body);
  CHECK(json["total"] == 2);
  CHECK(json["by_endpoint"]["chat"] == 2);
  CHECK(json["max_in_flight"] == 1);
  CHECK(json["prompts"] == nlohmann::json::array({"one", "MARK two"}));

  REQUIRE(client.Post("/_reset", "", "application/json"));
  CHECK(fake.stats().total == 0);
  const auto after = post_chat(client, "MARK three");
  REQUIRE(after);
  CHECK(after->status == 200);
}

TEST_CASE("the fake_openai binary prints its port, applies flags and stops on SIGTERM or stdin EOF", "[fake]") {
  for (const bool by_signal : {true, false}) {
    int out_pipe[2];
    int in_pipe[2];
    REQUIRE(pipe(out_pipe) == 0);
    REQUIRE(pipe(in_pipe) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(out_pipe[1], STDOUT_FILENO);
      dup2(in_pipe[0], STDIN_FILENO);
      close(out_pipe[0]);
      close(in_pipe[1]);
      execl(FAKE_OPENAI_BINARY, FAKE_OPENAI_BINARY, "--port", "0", "--fail-when-contains", "BROKEN", "--fail-status",
            "503", "--api-key", "sk-bin", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out_pipe[1]);
    close(in_pipe[0]);
    FILE* out = fdopen(out_pipe[0], "r");
    REQUIRE(out != nullptr);
    char line[64] = {};
    REQUIRE(fgets(line, sizeof line, out) != nullptr);
    int port = 0;
    REQUIRE(std::sscanf(line, "PORT %d", &port) == 1);
    REQUIRE(port > 0);

    httplib::Client client("127.0.0.1", port);
    client.set_bearer_token_auth("sk-bin");
    const auto broken = post_chat(client, "Topic: BROKEN");
    REQUIRE(broken);
    CHECK(broken->status == 503);
    const auto fine = post_chat(client, "Topic: fine");
    REQUIRE(fine);
    CHECK(fine->status == 200);
    const auto stats = client.Get("/_stats");
    REQUIRE(stats);
    CHECK(nlohmann::json::parse(stats->body)["by_endpoint"]["chat"] == 2);

    if (by_signal) kill(pid, SIGTERM);
    close(in_pipe[1]); // EOF on the server's stdin
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    fclose(out);
  }
}

TEST_CASE("fault injection serves its kinds in turn at the given rate, streams-only kinds only to streams", "[fake]") {
  FakeOpenAiOptions options;
  options.fault_rate = 1.0;
  options.fault_kinds = {"503", "429_retry_after_date", "stall", "empty_choices"};
  FakeOpenAi fake(options);
  fake.start();
  httplib::Client client("127.0.0.1", fake.port());
  auto first = post_chat(client, "one");
  REQUIRE(first);
  CHECK(first->status == 503);
  auto second = post_chat(client, "two");
  REQUIRE(second);
  CHECK(second->status == 429);
  CHECK_THAT(second->get_header_value("Retry-After"), Catch::EndsWith(" GMT")); // an HTTP date
  auto third = post_chat(client, "three"); // "stall" is skipped for a request that does not stream
  REQUIRE(third);
  CHECK(third->status == 200);
  CHECK(nlohmann::json::parse(third->body)["choices"].empty());
  CHECK(fake.stats().faults ==
        std::map<std::string, int>{{"503", 1}, {"429_retry_after_date", 1}, {"empty_choices", 1}});
  CHECK(fake.stats().to_json()["faults"]["503"] == 1);

  FakeOpenAiOptions none;
  none.fault_rate = 0.0;
  FakeOpenAi quiet(none);
  quiet.start();
  httplib::Client plain("127.0.0.1", quiet.port());
  for (int i = 0; i < 5; ++i) {
    auto reply = post_chat(plain, "fine");
    REQUIRE(reply);
    CHECK(reply->status == 200);
  }
  CHECK(quiet.stats().faults.empty());
  FakeOpenAiOptions unknown;
  unknown.fault_kinds = {"meteor"};
  CHECK_THROWS_WITH(FakeOpenAi(unknown), Catch::Contains("unknown fault kind"));
}
