// Issue 21: what calls cost. Against the fake server, whose usage is known (prompt tokens = words sent, completion
// tokens = words answered): the ledger sums at the price in force, a later price does not rewrite history, unpriced
// calls stay unpriced, streamed calls are counted, and the show commands print their cost.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

std::int64_t nanos(const nlohmann::json& total) { return total["cost_nanos"].get<std::int64_t>(); }

} // namespace

TEST_CASE("the cost ledger prices each call when it is made, streamed or not, and keeps unpriced calls apart") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY);
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  sandbox.set_env("FAKE_KEY", "k");
  REQUIRE(sandbox
              .run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "m", "--api-key-env",
                    "FAKE_KEY"})
              .exit_code == 0);

  // Unpriced: a keyed provider with no price counts tokens, and says "unpriced" instead of $0.
  REQUIRE(sandbox.run({"blog", "create", "--topic", "tea", "--provider", "fake", "-q"}).exit_code == 0);
  auto unpriced = sandbox.run({"cost", "--json"}).json()["total"];
  CHECK(unpriced["calls"] == 1);
  CHECK(unpriced["prompt_tokens"].get<int>() > 0);
  CHECK(unpriced["cost_usd"].is_null());
  CHECK(unpriced["unpriced_calls"] == 1);
  CHECK(sandbox.run({"cost"}).out.find("unpriced") != std::string::npos);
  CHECK(sandbox.run({"provider", "list", "--json"}).json()[0]["price"].is_null());

  // $1 / $2 per million tokens: the streamed call's usage arrives in its last chunk and is priced at it.
  REQUIRE(sandbox.run({"provider", "price", "fake", "--input", "1", "--output", "2"}).exit_code == 0);
  const auto created = sandbox.run({"blog", "create", "--topic", "coffee", "--provider", "fake", "--stream", "--json"});
  REQUIRE(created.exit_code == 0);
  const auto post_id = std::to_string(created.json()["id"].get<std::int64_t>());
  const auto shown = sandbox.run({"blog", "show", post_id, "--json"}).json()["cost"];
  REQUIRE(shown["calls"] == 1);
  const auto prompt = shown["prompt_tokens"].get<std::int64_t>();
  const auto completion = shown["completion_tokens"].get<std::int64_t>();
  CHECK(prompt > 0);
  CHECK(completion > 0);
  CHECK(nanos(shown) == prompt * 1000 + completion * 2000); // $1/1M = 1000 nano-dollars a token

  // A tenfold price later does not change what was spent; the next call costs the new price.
  REQUIRE(sandbox.run({"provider", "price", "fake", "--input", "10", "--output", "20"}).exit_code == 0);
  CHECK(nanos(sandbox.run({"blog", "show", post_id, "--json"}).json()["cost"]) == prompt * 1000 + completion * 2000);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "coffee", "--provider", "fake", "-q"}).exit_code == 0);

  const auto report = sandbox.run({"cost", "--by", "provider", "--json"}).json();
  CHECK(report["total"]["calls"] == 3);
  CHECK(report["total"]["unpriced_calls"] == 1);
  CHECK(nanos(report["total"]) == (prompt * 1000 + completion * 2000) * 11); // same usage, 1x then 10x
  REQUIRE(report["groups"].size() == 1);
  CHECK(report["groups"][0]["key"] == "fake");
  CHECK(sandbox.run({"cost", "-q"}).out.find("+ 1 unpriced call") != std::string::npos);
  const auto shown_text = sandbox.run({"provider", "show", "fake"});
  CHECK(shown_text.out.find("$10.00 in / $20.00 out per 1M tokens") != std::string::npos);
  CHECK(sandbox.run({"provider", "show", "fake", "--json"}).json()["prices"].size() == 2);

  // Ranges are UTC days; nothing was spent before today.
  CHECK(sandbox.run({"cost", "--until", "2000-01-01", "--json"}).json()["total"]["calls"] == 0);
  CHECK(sandbox.run({"cost", "--since", "2000-13-01"}).exit_code == 2);
  CHECK(sandbox.run({"cost", "--all-users", "--json"}).json()["total"]["calls"] == 3);
}

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
