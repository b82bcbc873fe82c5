// Several processes on one store at once (label `slow`): four worker processes drain a detached batch while a
// fifth writes, updates and lists posts. Nothing may fail, no job may complete twice, and the store must stay sound.
// This is the scenario that once damaged the store: a connection opened by one thread closed a descriptor of the
// store file and so dropped the POSIX locks the other threads of the process held.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using blogen::testing::Child;
using blogen::testing::RunResult;
using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

constexpr int k_posts = 1000;
constexpr int k_workers = 4;

void require_clean(const RunResult& result, const std::string& what) {
  INFO(what << " exit " << result.exit_code << "\nstderr: " << result.err);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.err, !Catch::Contains("malformed") && !Catch::Contains("locked") &&
                             !Catch::Contains("unexpected failure") && !Catch::Contains("damaged"));
}

} // namespace

TEST_CASE("four workers and a writer on one store: every job completed exactly once, the store sound") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--latency-ms", "5"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox
              .run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "m", "--no-key",
                    "--concurrency", "16", "--max-attempts", "1"})
              .exit_code == 0);
  const RunResult campaign = sandbox.run({"campaign", "create", "--name", "Load", "--brand", "Zephyr", "--json"});
  REQUIRE(campaign.exit_code == 0);
  const RunResult queued =
      sandbox.run({"campaign", "run", std::to_string(campaign.json()["id"].get<std::int64_t>()), "--count",
                   std::to_string(k_posts), "--provider", "fake", "--detach", "--json"});
  INFO(queued.err);
  REQUIRE(queued.exit_code == 0);
  const std::string batch = std::to_string(queued.json()["id"].get<std::int64_t>());

  std::vector<Child> workers;
  for (int i = 0; i < k_workers; ++i) {
    workers.push_back(sandbox.start({"worker", "--concurrency", "4", "--until-idle", "--json", "--no-progress"}));
  }

  // The fifth process: what a writer does meanwhile, each command its own process, until the batch is drained.
  int writes = 0;
  for (int round = 0; round < 200; ++round) {
    const RunResult created =
        sandbox.run({"blog", "create", "--topic", "Writer " + std::to_string(round), "--provider", "builtin", "-q"});
    require_clean(created, "blog create");
    const std::string id = created.out.substr(0, created.out.find('\n'));
    require_clean(sandbox.run({"blog", "update", id, "--title", "Edited " + std::to_string(round), "-q"}),
                  "blog update");
    require_clean(sandbox.run({"blog", "list", "--limit", "5"}), "blog list");
    ++writes;
    const RunResult counts = sandbox.run({"batch", "show", batch, "--json"});
    require_clean(counts, "batch show");
    if (counts.json()["counts"]["completed"].get<int>() == k_posts && round >= 10) break;
  }

  int completed = 0;
  for (auto& worker : workers) {
    const RunResult result = worker.wait(600'000);
    require_clean(result, "worker");
    completed += result.json()["completed"].get<int>();
    CHECK(result.json()["failed"] == 0);
  }
  // The workers' own accounts add up to the batch: no job was completed twice, none was lost.
  CHECK(completed == k_posts);
  const RunResult shown = sandbox.run({"batch", "show", batch, "--json"});
  require_clean(shown, "batch show");
  CHECK(shown.json()["counts"]["completed"] == k_posts);
  CHECK(shown.json()["counts"]["failed"] == 0);
  // One request per post reached the provider (max attempts 1): nothing ran twice.
  const auto stats = nlohmann::json::parse(blogen::testing::http_get(server.port, "/_stats"));
  CHECK(stats["total"] == k_posts);

  // Every post the writer created and retitled meanwhile is there, completed, with its new title.
  const RunResult mine = sandbox.run({"blog", "list", "--search", "Edited", "--limit", "1000", "--json"});
  require_clean(mine, "blog list");
  int edited = 0;
  for (const auto& post : mine.json()) {
    if (post["title"].get<std::string>().rfind("Edited ", 0) != 0) continue;
    ++edited;
    CHECK(post["status"] == "completed");
  }
  CHECK(edited == writes);

  const RunResult check = sandbox.run({"store", "check", "--json"});
  require_clean(check, "store check");
  CHECK(check.json()["ok"] == true);
}
