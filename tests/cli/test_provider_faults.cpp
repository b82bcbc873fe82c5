// Provider faults (issue 19 item 3): the fake server fails 30% of chat requests, every fault kind in turn (429 with
// Retry-After in seconds, as an HTTP date and without; 500/502/503; a connection reset; a hang past the timeout;
// truncated and invalid JSON; 200 with an error object; empty choices; for streams a stall and a cut stream).
// Every post ends completed within its attempt budget, or failed with a clear recorded reason; nothing crashes; no
// partial text is ever saved as a completed post (the fake's answers all end with the same sentence).
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

using blogen::testing::http_get;
using blogen::testing::read_bytes;
using blogen::testing::RunResult;
using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

constexpr int k_posts = 24;
constexpr int k_streamed = 4;
constexpr int k_provider_attempts = 5;
// Every answer of the fake ends with this sentence, so text that lacks it was cut short.
constexpr const char* k_answer_end = "you need to begin.";

bool has_library_text(const std::string& text) {
  for (const char* leak : {"json.exception", "parse_error", "type_error", "SQLite", "curl", "what():"})
    if (text.find(leak) != std::string::npos) return true;
  return false;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  return text;
}

} // namespace

TEST_CASE("30% provider faults of every kind: each post completed within its budget or failed with a reason") {
  // "ALWAYS" posts meet a 503 on every attempt (a rule wins over the random faults): their budget runs out.
  auto server = start_fake_server(FAKE_OPENAI_BINARY,
                                  {"--fault-rate", "0.3", "--fault-seed", "52", "--fault-hang-ms", "2500",
                                   "--latency-ms", "5", "--fail-when-contains", "ALWAYS", "--fail-status", "503"});
  auto streams = start_fake_server(FAKE_OPENAI_BINARY, {"--fault-rate", "0.5", "--fault-seed", "3", "--fault-kinds",
                                                        "stall,sse_cut", "--stream-chunk-chars", "200"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  for (const auto& [name, url] :
       {std::pair{std::string("fake"), server.base_url()}, std::pair{std::string("streams"), streams.base_url()}}) {
    REQUIRE(sandbox
                .run({"provider", "add", name, "--base-url", url, "--model", "m", "--no-key", "--concurrency", "8",
                      "--timeout", "1", "--stall-timeout", "1", "--max-attempts", std::to_string(k_provider_attempts)})
                .exit_code == 0);
  }
  for (int i = 0; i < k_posts; ++i) {
    REQUIRE(
        sandbox.run({"blog", "create", "--topic", "Fault " + std::to_string(i), "--provider", "fake", "--detach", "-q"})
            .exit_code == 0);
  }
  REQUIRE(sandbox
              .run({"provider", "add", "tight", "--base-url", server.base_url(), "--model", "m", "--no-key",
                    "--timeout", "1", "--max-attempts", "2"})
              .exit_code == 0);
  REQUIRE(
      sandbox.run({"blog", "create", "--topic", "ALWAYS down", "--provider", "tight", "--detach", "-q"}).exit_code ==
      0);
  const RunResult worker = sandbox.run({"worker", "--until-idle", "--concurrency", "8", "--no-progress"});
  INFO(worker.err);
  CHECK((worker.exit_code == 0 || worker.exit_code == 1)); // no crash, no signal
  CHECK_FALSE(has_library_text(worker.err));
  // Streamed generations meet a stall or a stream cut mid-way half of the time.
  for (int i = 0; i < k_streamed; ++i) {
    const RunResult streamed =
        sandbox.run({"blog", "create", "--topic", "Stream " + std::to_string(i), "--provider", "streams", "--stream"});
    INFO(streamed.err);
    CHECK((streamed.exit_code == 0 || streamed.exit_code == 1));
    CHECK_FALSE(has_library_text(streamed.err));
  }

  // Every post's final text and status, and its job's attempts.
  const auto out = sandbox.dir() / "export";
  REQUIRE(sandbox.run({"blog", "export", "--all", "--format", "json", "--out", out.string()}).exit_code == 0);
  const nlohmann::json jobs = sandbox.run({"job", "list", "--limit", "1000", "--json"}).json()["jobs"];
  std::map<std::int64_t, nlohmann::json> job_of_post;
  for (const auto& job : jobs)
    job_of_post[job["post_id"].get<std::int64_t>()] = job;
  const nlohmann::json posts = sandbox.run({"blog", "list", "--limit", "1000", "--json"}).json();
  REQUIRE(posts.size() == static_cast<std::size_t>(k_posts + k_streamed + 1));
  int completed = 0;
  int failed = 0;
  for (const auto& post : posts) {
    const auto id = post["id"].get<std::int64_t>();
    const nlohmann::json& job = job_of_post.at(id);
    INFO("post " << id << " " << post.dump() << "\njob " << job.dump());
    CHECK(post["status"] == job["status"]);
    CHECK(job["attempts"].get<int>() <= job["max_attempts"].get<int>());
    if (post["status"] == "completed") {
      ++completed;
      // Find its exported file: every completed text is a whole answer.
      bool found = false;
      for (const auto& entry : std::filesystem::directory_iterator(out)) {
        const auto document = nlohmann::json::parse(read_bytes(entry.path()));
        if (document["id"] != id) continue;
        found = true;
        const std::string content = document["content"].get<std::string>();
        CHECK_THAT(trimmed(content), Catch::EndsWith(k_answer_end));
      }
      CHECK(found);
    } else {
      ++failed;
      CHECK(post["status"] == "failed");
      const std::string error = post["error"].is_string() ? post["error"].get<std::string>() : "";
      CHECK(error.size() > 10);
      CHECK_FALSE(has_library_text(error));
    }
  }

  // The server saw each post at most its attempt budget; every non-stream fault kind was served at least once.
  const auto stats = nlohmann::json::parse(http_get(server.port, "/_stats"));
  const auto stream_stats = nlohmann::json::parse(http_get(streams.port, "/_stats"));
  std::map<std::string, int> per_topic;
  for (const auto& prompt : stats["prompts"])
    for (int i = 0; i < k_posts; ++i)
      if (prompt.get<std::string>().find("Fault " + std::to_string(i) + "\n") != std::string::npos ||
          trimmed(prompt.get<std::string>()).ends_with("Fault " + std::to_string(i)))
        ++per_topic["Fault " + std::to_string(i)];
  CHECK(per_topic.size() == static_cast<std::size_t>(k_posts));
  for (const auto& [topic, requests] : per_topic) {
    INFO(topic);
    CHECK(requests <= k_provider_attempts * 5);
  }
  int injected = 0;
  for (const auto& [kind, count] : stats["faults"].items())
    injected += count.get<int>();
  for (const auto& [kind, count] : stream_stats["faults"].items())
    injected += count.get<int>();
  for (const char* kind : {"429_retry_after_seconds", "429_retry_after_date", "429_bare", "500", "502", "503", "reset",
                           "hang", "truncated_json", "invalid_json", "error_in_ok", "empty_choices"}) {
    INFO(kind << " in " << stats["faults"].dump());
    CHECK(stats["faults"].value(kind, 0) >= 1);
  }
  CHECK(stream_stats["faults"].value("stall", 0) + stream_stats["faults"].value("sse_cut", 0) >= 1);
  CHECK(completed + failed == k_posts + k_streamed + 1);
  // The post whose every attempt failed: failed once its budget (2 attempts) was spent, saying why.
  int always = 0;
  for (const auto& prompt : stats["prompts"])
    if (prompt.get<std::string>().find("ALWAYS down") != std::string::npos) ++always;
  CHECK(always == 2);
  const auto spent = sandbox.run({"job", "show", std::to_string(k_posts + 1), "--json"}).json()["job"];
  CHECK(spent["status"] == "failed");
  CHECK_THAT(spent["error"].get<std::string>(), Catch::Contains("HTTP 503") && Catch::Contains("after 2 attempts"));
  CHECK(completed >= k_posts);    // at 30% a post fails only after five faults in a row: rare for this seed
  if (!sandbox.on_postgresql()) { // an SQLite file's integrity check; a server checks its own
    const RunResult check = sandbox.run({"store", "check"});
    CHECK(check.exit_code == 0);
  }
  WARN("provider faults: " << injected << " injected over "
                           << stats["total"].get<int>() + stream_stats["total"].get<int>()
                           << " requests; posts completed " << completed << ", failed with a reason " << failed);
}
