// Issue 21: what calls cost. Against the fake server, whose usage is known (prompt tokens = words sent, completion
// tokens = words answered): the ledger sums at the price in force, a later price does not rewrite history, unpriced
// calls stay unpriced, streamed calls are counted, and the show commands print their cost.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

std::int64_t nanos(const nlohmann::json& total) { return total["cost_nanos"].get<std::int64_t>(); }

int fake_stats_total(int port) {
  return nlohmann::json::parse(blogen::testing::http_get(port, "/_stats"))["total"].get<int>();
}

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

TEST_CASE("blog create --dry-run estimates the call a following run makes, and writes nothing") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY);
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(
      sandbox.run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "m", "--no-key"}).exit_code ==
      0);
  REQUIRE(sandbox.run({"provider", "price", "fake", "--input", "1", "--output", "2"}).exit_code == 0);
  const std::vector<std::string> create{"blog",    "create", "--topic",    "Winter cycling",
                                        "--words", "300",    "--provider", "fake"};
  auto dry = create;
  dry.insert(dry.end(), {"--dry-run", "--json"});
  const auto estimate = sandbox.run(dry).json();
  CHECK(estimate["dry_run"] == true);
  CHECK(estimate["calls"] == 1);
  CHECK(estimate["images"] == 0);
  CHECK(estimate["completion_tokens"] == 400); // 300 words at 4/3 tokens a word
  CHECK(estimate["cost_nanos"].get<std::int64_t>() > 0);
  CHECK(fake_stats_total(server.port) == 0);                     // no call
  CHECK(sandbox.run({"blog", "list", "--json"}).json().empty()); // nothing stored

  auto real = create;
  real.push_back("--json");
  const auto created = sandbox.run(real);
  REQUIRE(created.exit_code == 0);
  const auto actual =
      sandbox.run({"blog", "show", std::to_string(created.json()["id"].get<std::int64_t>()), "--json"}).json()["cost"];
  CHECK(actual["calls"] == estimate["calls"]);
  // Prompt tokens are estimated at four characters a token from the rendered prompt; the fake counts words
  // (about six characters each), so the estimate runs about 1.5x high here and close to real tokenizers.
  const double ratio = estimate["prompt_tokens"].get<double>() / actual["prompt_tokens"].get<double>();
  CHECK(ratio > 0.8);
  CHECK(ratio < 2.5);
}

TEST_CASE(
    "campaign run --dry-run estimates the whole input and writes nothing, and schedule show estimates the next run") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY);
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox
              .run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "m", "--image-model", "img",
                    "--no-key", "--concurrency", "2"})
              .exit_code == 0);
  // Images of the size blogen asks for (1024x1024) cost $0.05, other sizes $0.04 unless listed.
  CHECK(sandbox.run({"provider", "price", "fake", "--input", "1", "--output", "2", "--image-size", "big=0.1"})
            .exit_code == 2);
  REQUIRE(sandbox
              .run({"provider", "price", "fake", "--input", "1", "--output", "2", "--image", "0.04", "--image-size",
                    "1024x1024=0.05", "--image-size", "1792x1024=0.08"})
              .exit_code == 0);
  const auto price = sandbox.run({"provider", "show", "fake", "--json"}).json()["prices"][0];
  CHECK(price["image_size_nanos"]["1792x1024"] == 80'000'000);
  CHECK(sandbox.run({"provider", "show", "fake"}).out.find("$0.04 (1024x1024 $0.05, 1792x1024 $0.08)") !=
        std::string::npos);
  const auto campaign = sandbox.run({"campaign", "create", "--name", "Spring", "--brand", "Zephyr", "--json"});
  REQUIRE(campaign.exit_code == 0);
  const std::string id = std::to_string(campaign.json()["id"].get<std::int64_t>());
  const std::vector<std::string> run{"campaign",
                                     "run",
                                     id,
                                     "--topic",
                                     "Rainy commutes",
                                     "--topic",
                                     "Night rides",
                                     "--topic",
                                     "Folding in five seconds",
                                     "--images",
                                     "--provider",
                                     "fake",
                                     "--json"};

  const std::string before = blogen::testing::read_bytes(sandbox.store());
  auto dry = run;
  dry.push_back("--dry-run");
  const auto dry_run = sandbox.run(dry);
  REQUIRE(dry_run.exit_code == 0);
  const auto estimate = dry_run.json();
  CHECK(estimate["dry_run"] == true);
  CHECK(estimate["provider"] == "fake");
  CHECK(estimate["calls"] == 6); // a caption and an image per post
  CHECK(estimate["images"] == 3);
  CHECK(estimate["completion_tokens"] == 3 * 134); // a caption is taken as 100 words
  const auto prompt = estimate["prompt_tokens"].get<std::int64_t>();
  CHECK(estimate["cost_nanos"].get<std::int64_t>() == prompt * 1000 + 3 * 134 * 2000 + 3 * 50'000'000);
  CHECK(estimate["wall_seconds"].get<int>() >= 3); // six calls two at a time, about a second each
  CHECK(fake_stats_total(server.port) == 0);
  CHECK(blogen::testing::read_bytes(sandbox.store()) == before);
  CHECK(sandbox.run({"campaign", "batches", id, "--json"}).json().empty());
  CHECK(sandbox.run({"campaign", "run", id, "--count", "0", "--dry-run"}).exit_code == 2); // checked like a run
  const auto text = sandbox.run({"campaign", "run", id, "--count", "4", "--provider", "fake", "--dry-run"});
  CHECK(text.out.find("would take 4 calls, 0 images") != std::string::npos);

  // The run that follows makes the calls estimated; its tokens are within the estimator's error.
  const auto real = sandbox.run(run);
  REQUIRE(real.exit_code == 0);
  const auto batch = std::to_string(real.json()["id"].get<std::int64_t>());
  const auto actual = sandbox.run({"batch", "show", batch, "--json"}).json()["cost"];
  CHECK(actual["calls"] == 6);
  CHECK(actual["images"] == 3);
  CHECK(nanos(actual) == actual["prompt_tokens"].get<std::int64_t>() * 1000 +
                             actual["completion_tokens"].get<std::int64_t>() * 2000 + 3 * 50'000'000);
  const double ratio = static_cast<double>(prompt) / actual["prompt_tokens"].get<double>();
  CHECK(ratio > 0.8);
  CHECK(ratio < 2.5);

  // schedule add --max-cost caps each run; schedule show estimates the next run without a call.
  const int calls_so_far = fake_stats_total(server.port);
  const auto added = sandbox.run({"schedule", "add", "--cron", "0 9 * * *", "--tz", "UTC", "--topic", "Winter cycling",
                                  "--words", "300", "--provider", "fake", "--max-cost", "0.5", "-q"});
  REQUIRE(added.exit_code == 0);
  const std::string schedule = added.out.substr(0, added.out.find('\n'));
  const auto shown = sandbox.run({"schedule", "show", schedule, "--json"}).json();
  CHECK(shown["payload"]["max_cost"] == "0.5");
  CHECK(shown["target"] == "post \"Winter cycling\", at most $0.50 a run");
  CHECK(shown["estimate"]["calls"] == 1);
  CHECK(shown["estimate"]["completion_tokens"] == 400);
  CHECK(shown["estimate"]["cost_nanos"].get<std::int64_t>() > 400 * 2000);
  CHECK(shown["estimate_error"].is_null());
  CHECK(sandbox.run({"schedule", "show", schedule}).out.find("next run:  1 call, 0 images") != std::string::npos);
  const auto batch_schedule = sandbox.run({"schedule", "add", "--cron", "0 9 * * *", "--tz", "UTC", "--campaign", id,
                                           "--count", "2", "--provider", "fake", "-q"});
  REQUIRE(batch_schedule.exit_code == 0);
  const auto batch_shown =
      sandbox.run({"schedule", "show", batch_schedule.out.substr(0, batch_schedule.out.find('\n')), "--json"}).json();
  CHECK(batch_shown["estimate"]["calls"] == 2);
  CHECK(batch_shown["estimate"]["completion_tokens"] == 2 * 134);
  CHECK(fake_stats_total(server.port) == calls_so_far);
}
