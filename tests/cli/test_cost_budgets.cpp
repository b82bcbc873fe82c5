// Issue 21 (label `slow`): budgets that hold. Images priced at exactly their estimate and captions free make the
// point where a budget stops exact: a run's --max-cost under 4 workers, then a monthly budget across two processes.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

// A campaign and a file of `count` topics; returns the campaign id.
std::string campaign_with_topics(const Sandbox& sandbox, int count, std::string& file) {
  std::string topics = "topic\n";
  for (int i = 0; i < count; ++i)
    topics += "Topic number " + std::to_string(100 + i) + "\n";
  file = sandbox.write_file("topics.csv", topics).string();
  const auto campaign = sandbox.run({"campaign", "create", "--name", "Budget", "--brand", "Zephyr", "--json"});
  REQUIRE(campaign.exit_code == 0);
  return std::to_string(campaign.json()["id"].get<std::int64_t>());
}

// Images cost exactly their price (an estimate without error), captions nothing: where a budget stops is exact.
void priced_images(const Sandbox& sandbox, const std::string& base_url) {
  REQUIRE(sandbox
              .run({"provider", "add", "fake", "--base-url", base_url, "--model", "m", "--image-model", "img",
                    "--no-key", "--concurrency", "4"})
              .exit_code == 0);
  REQUIRE(sandbox.run({"provider", "price", "fake", "--input", "0", "--output", "0", "--image", "0.01"}).exit_code ==
          0);
}

nlohmann::json fake_stats(int port) { return nlohmann::json::parse(blogen::testing::http_get(port, "/_stats")); }

} // namespace

TEST_CASE("a run's --max-cost stops a 50-post batch under 4 workers at the right post, and batch retry resumes") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--latency-ms", "20"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  priced_images(sandbox, server.base_url());
  std::string file;
  const auto campaign = campaign_with_topics(sandbox, 50, file);

  const auto run = sandbox.run({"campaign", "run", campaign, "--file", file, "--images", "--provider", "fake",
                                "--concurrency", "4", "--max-cost", "0.10", "--json"});
  CHECK(run.exit_code == 1); // some posts failed
  const auto batch = std::to_string(run.json()["id"].get<std::int64_t>());
  const auto shown = sandbox.run({"batch", "show", batch, "--posts", "--json"}).json();
  CHECK(shown["counts"]["completed"] == 10); // $0.10 at $0.01 an image: ten, never an eleventh in flight
  CHECK(shown["counts"]["failed"] == 40);
  CHECK(fake_stats(server.port)["by_endpoint"]["images"] == 10);
  CHECK(shown["cost"]["cost_nanos"] == 100'000'000);
  for (const auto& post : shown["posts"]) {
    if (post["status"] == "failed")
      CHECK(post["error"].get<std::string>().find("budget reached: spent $0.10 of $0.10") != std::string::npos);
  }

  const auto retried = sandbox.run({"batch", "retry", batch, "--max-cost", "0.15", "--concurrency", "4", "--json"});
  CHECK(retried.exit_code == 1);
  const auto after = sandbox.run({"batch", "show", batch, "--json"}).json();
  CHECK(after["counts"]["completed"] == 15);
  CHECK(after["cost"]["cost_nanos"] == 150'000'000);
  CHECK(fake_stats(server.port)["by_endpoint"]["images"] == 15);
}

TEST_CASE("a monthly budget holds across two worker processes") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--latency-ms", "20"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  priced_images(sandbox, server.base_url());
  REQUIRE(sandbox.run({"config", "set", "budget.monthly", "0.07"}).exit_code == 0);
  std::string file;
  const auto campaign = campaign_with_topics(sandbox, 20, file);
  REQUIRE(sandbox.run({"campaign", "run", campaign, "--file", file, "--images", "--provider", "fake", "--detach"})
              .exit_code == 0);

  std::vector<blogen::testing::Child> workers;
  for (int i = 0; i < 2; ++i)
    workers.push_back(sandbox.start({"worker", "--until-idle", "--concurrency", "2", "--no-progress"}));
  for (auto& worker : workers)
    CHECK(worker.wait().exit_code == 0);

  CHECK(fake_stats(server.port)["by_endpoint"]["images"] == 7);
  const auto report = sandbox.run({"cost", "--json"}).json()["total"];
  CHECK(report["cost_nanos"] == 70'000'000);
  CHECK(report["images"] == 7);
  CHECK(sandbox.run({"config", "get", "budget.monthly"}).out.find("$0.07 (spent $0.07 this month)") !=
        std::string::npos);
}
