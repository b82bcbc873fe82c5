// Crash recovery (issue 19 item 1, label `slow`): a 300-post batch against the fake server with latency; the
// worker is killed with SIGKILL at 10 random moments and started again (`worker --until-idle`) after each kill.
// At the end every post is completed with exactly one generated revision, each post's status is its job's, the
// server saw each post at most attempts + kills times, the store passes integrity_check, and the batch's counts
// are the posts' real statuses. The store is read directly (read-only) to check what the commands cannot show.
#include <support/cli_harness.hpp>
#include <support/store_query.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

using blogen::testing::Child;
using blogen::testing::http_get;
using blogen::testing::query_store;
using blogen::testing::RunResult;
using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

constexpr int k_posts = 300;
constexpr int k_kills = 10;
constexpr int k_max_attempts = 5;

} // namespace

TEST_CASE("a 300-post batch survives 10 SIGKILLs of its worker: all completed once, store and counts sound") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--latency-ms", "40"});
  Sandbox sandbox(BLOGEN_BINARY);
  sandbox.set_env("BLOGEN_LEASE_SECONDS", "1"); // a killed worker's jobs come back after a second
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox
              .run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "m", "--no-key",
                    "--concurrency", "8"})
              .exit_code == 0);
  REQUIRE(sandbox.run({"campaign", "create", "--name", "Crash", "--brand", "Zephyr", "-q"}).exit_code == 0);
  std::string rows = "topic\n";
  for (int i = 0; i < k_posts; ++i)
    rows += "Crash topic " + std::to_string(1000 + i) + "\n"; // unique, so requests can be counted per post
  const auto file = sandbox.write_file("posts.csv", rows);
  const RunResult queued =
      sandbox.run({"campaign", "run", "1", "--file", file.string(), "--provider", "fake", "--detach", "--json"});
  INFO(queued.err);
  REQUIRE(queued.exit_code == 0);
  const std::string batch = std::to_string(queued.json()["id"].get<std::int64_t>());

  std::mt19937 random(19); // the same moments on every run
  std::uniform_int_distribution<int> moment_ms(150, 700);
  int kills = 0;
  for (int round = 0; round < k_kills; ++round) {
    Child worker = sandbox.start({"worker", "--until-idle", "--concurrency", "8", "--no-progress"});
    std::this_thread::sleep_for(std::chrono::milliseconds(moment_ms(random)));
    worker.signal(SIGKILL);
    const RunResult killed = worker.wait();
    // A worker that had already finished everything exits 0 before the kill lands; that is not a kill survived.
    if (killed.exit_code == 128 + SIGKILL) ++kills;
  }
  const RunResult last = sandbox.run({"worker", "--until-idle", "--concurrency", "8", "--no-progress"});
  INFO(last.err);
  CHECK(last.exit_code == 0);

  const auto store = sandbox.store();
  const auto counts = sandbox.run({"batch", "show", batch, "--json"}).json()["counts"];
  CHECK(counts["completed"] == k_posts);
  CHECK(counts["failed"] == 0);
  // Batch counts equal the posts' real statuses.
  std::map<std::string, int> statuses;
  for (const auto& row :
       query_store(store, "SELECT status, count(*) FROM posts WHERE batch_id = " + batch + " GROUP BY 1"))
    statuses[row[0]] = std::stoi(row[1]);
  CHECK(statuses == std::map<std::string, int>{{"completed", k_posts}});
  // Exactly one generated revision per post, and each post's status is its (only) job's.
  CHECK(query_store(store, "SELECT p.id FROM posts p WHERE p.batch_id = " + batch +
                               " AND (SELECT count(*) FROM post_revisions r WHERE r.post_id = p.id AND r.source = "
                               "'generated') != 1")
            .empty());
  CHECK(query_store(store, "SELECT p.id FROM posts p JOIN jobs j ON j.post_id = p.id WHERE p.batch_id = " + batch +
                               " AND p.status != j.status")
            .empty());
  CHECK(query_store(store, "SELECT count(*) FROM jobs WHERE batch_id = " + batch)[0][0] == std::to_string(k_posts));
  const auto most_attempts = query_store(store, "SELECT max(attempts) FROM jobs WHERE batch_id = " + batch)[0][0];
  CHECK(std::stoi(most_attempts) <= k_max_attempts);
  // The server saw each post at most attempts + kills times.
  const auto stats = nlohmann::json::parse(http_get(server.port, "/_stats"));
  std::map<std::string, int> per_post;
  for (const auto& prompt : stats["prompts"]) {
    const std::string text = prompt.get<std::string>();
    const auto at = text.find("Crash topic ");
    if (at != std::string::npos) ++per_post[text.substr(at, 16)];
  }
  CHECK(per_post.size() == static_cast<std::size_t>(k_posts));
  int most_requests = 0;
  for (const auto& [topic, requests] : per_post)
    most_requests = std::max(most_requests, requests);
  CHECK(most_requests <= k_max_attempts + k_kills);
  CHECK(query_store(store, "PRAGMA integrity_check")[0][0] == "ok");
  CHECK(sandbox.run({"store", "check"}).exit_code == 0);
  CHECK(kills >= k_kills - 2); // (the last rounds may find nothing left to do)
  WARN("crash recovery: " << kills << " SIGKILLs survived; " << stats["total"].get<int>() << " requests for " << k_posts
                          << " posts; at most " << most_requests << " requests for one post");
}
