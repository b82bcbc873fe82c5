// Issue 16 item 14 (label `slow`): a provider's limits hold across processes. Two `blogen worker` processes share
// one provider limited to 4 calls in flight and 60 a minute; the fake server counts what actually arrives.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <thread>

using blogen::testing::Child;
using blogen::testing::http_get;
using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;
using namespace std::chrono_literals;

namespace {

nlohmann::json stats(int port) { return nlohmann::json::parse(http_get(port, "/_stats")); }

// Queues `count` social posts for `provider` in one detached batch.
void queue_batch(const Sandbox& sandbox, int count, const std::string& provider) {
  const auto campaign = sandbox.run({"campaign", "create", "--name", "Limits", "--brand", "Zephyr", "--json"});
  REQUIRE(campaign.exit_code == 0);
  const auto queued = sandbox.run({"campaign", "run", std::to_string(campaign.json()["id"].get<std::int64_t>()),
                                   "--count", std::to_string(count), "--provider", provider, "--detach", "--json"});
  INFO(queued.err);
  REQUIRE(queued.exit_code == 0);
}

} // namespace

TEST_CASE("two worker processes together never pass a provider's concurrency or requests per minute") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--latency-ms", "150"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox
              .run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "m", "--no-key",
                    "--concurrency", "4", "--rpm", "60", "--max-attempts", "1"})
              .exit_code == 0);
  queue_batch(sandbox, 70, "fake");

  // Each process alone would allow 4 in flight and 60 a minute: together, before the fix, 8 and 120.
  std::vector<Child> workers;
  for (int i = 0; i < 2; ++i)
    workers.push_back(sandbox.start({"worker", "--concurrency", "4", "--json", "--no-progress"}));

  // Wait (no deadline but ctest's) for the minute's 60 calls, then give the workers a few seconds to overstep.
  while (stats(server.port)["total"].get<int>() < 60)
    std::this_thread::sleep_for(20ms);
  std::this_thread::sleep_for(3s);
  const auto seen = stats(server.port);
  for (auto& worker : workers)
    worker.signal(SIGINT);
  for (auto& worker : workers)
    CHECK(worker.wait().exit_code == 130);

  CHECK(seen["total"] == 60); // the 61st waits for the first to leave the minute window
  CHECK(seen["max_in_flight"].get<int>() <= 4);
  CHECK(seen["max_in_flight"].get<int>() >= 1);
}

TEST_CASE("slots held by a worker process that was killed are taken over at once, not after their lease") {
  Sandbox sandbox(BLOGEN_BINARY);
  // The first call hangs for a minute; the rest are answered at once.
  const auto script = sandbox.write_file("script.json", R"({"responses": [{"kind": "ok", "delay_ms": 60000}]})");
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--script", script.string()});
  REQUIRE(sandbox.login_as("ann") == 0);
  sandbox.set_env("BLOGEN_LEASE_SECONDS", "2");
  REQUIRE(sandbox
              .run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "m", "--no-key",
                    "--concurrency", "1"})
              .exit_code == 0);
  queue_batch(sandbox, 2, "fake");

  Child first = sandbox.start({"worker", "--concurrency", "1", "--no-progress"});
  while (stats(server.port)["in_flight"].get<int>() < 1)
    std::this_thread::sleep_for(20ms);
  first.signal(SIGKILL); // it dies holding the provider's only slot (its lease: the request timeout and more)
  first.wait();

  // The job comes back after its 2 s lease; the slot must come back with it, or this worker waits minutes.
  const auto second = sandbox.run({"worker", "--until-idle", "--json", "--no-progress"});
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(second.json()["completed"] == 2);
}
