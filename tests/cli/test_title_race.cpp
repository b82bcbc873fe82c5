// A title set while the provider is writing is kept (found by the contention test of issue 19): the generation used
// to decide its title when it started, so `blog update --title` on a pending post, landing while the model wrote,
// was overwritten by the model's heading when the result was recorded.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

using blogen::testing::http_get;
using blogen::testing::RunResult;
using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

TEST_CASE("blog update --title while the generation runs: the writer's title wins over the model's heading") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--latency-ms", "1500"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(
      sandbox.run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "m", "--no-key"}).exit_code ==
      0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Tea", "--provider", "fake", "--detach", "-q"}).exit_code == 0);
  auto worker = sandbox.start({"worker", "--until-idle", "--no-progress"});
  // Wait until the provider has the request (the worker read the post without a title), then retitle.
  while (nlohmann::json::parse(http_get(server.port, "/_stats"))["in_flight"] == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const RunResult updated = sandbox.run({"blog", "update", "1", "--title", "My own title", "-q"});
  REQUIRE(updated.exit_code == 0);
  CHECK(nlohmann::json::parse(http_get(server.port, "/_stats"))["in_flight"] == 1); // still writing: a real race
  REQUIRE(worker.wait().exit_code == 0);
  const auto post = sandbox.run({"blog", "show", "1", "--json"}).json();
  CHECK(post["status"] == "completed");
  CHECK(post["title"] == "My own title");
  CHECK(sandbox.run({"blog", "history", "1", "--json"}).json()[0]["title"] == "My own title");
}
