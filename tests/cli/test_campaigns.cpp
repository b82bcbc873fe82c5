// Campaigns and starting batch runs through the real binary: CRUD, soft delete, ownership, and input validation
// that rejects a whole file before anything is written.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <string>

using blogen::testing::read_bytes;
using blogen::testing::RunResult;
using blogen::testing::Sandbox;

namespace {

std::string create_campaign(const Sandbox& sandbox, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"campaign",      "create",        "--name",
                                "Spring launch", "--brand",       "Acme Bakery",
                                "--audience",    "busy parents",  "--tone",
                                "witty",         "--description", "Fresh sourdough delivered before breakfast.",
                                "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const RunResult result = sandbox.run(args);
  REQUIRE(result.exit_code == 0);
  return std::to_string(result.json()["id"].get<std::int64_t>());
}

// Whether text occurs anywhere in the store files (database and write-ahead log).
bool store_contains(const Sandbox& sandbox, const std::string& text) {
  const auto db = sandbox.store();
  auto wal = db;
  wal += "-wal";
  return read_bytes(db).find(text) != std::string::npos || read_bytes(wal).find(text) != std::string::npos;
}

void check_nothing_written(const Sandbox& sandbox, const std::string& campaign, const std::string& marker) {
  const RunResult batches = sandbox.run({"campaign", "batches", campaign, "--json"});
  REQUIRE(batches.exit_code == 0);
  CHECK(batches.json() == nlohmann::json::array());
  CHECK_FALSE(store_contains(sandbox, marker));
}

} // namespace

TEST_CASE("campaign create, list, show and update") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string id = create_campaign(sandbox);

  const RunResult shown = sandbox.run({"campaign", "show", id, "--json"});
  REQUIRE(shown.exit_code == 0);
  const auto campaign = shown.json();
  CHECK(campaign["name"] == "Spring launch");
  CHECK(campaign["brand"] == "Acme Bakery");
  CHECK(campaign["audience"] == "busy parents");
  CHECK(campaign["tone"] == "witty");
  CHECK(campaign["status"] == "draft");
  CHECK(campaign["created_at"].get<std::string>().back() == 'Z');

  const RunResult updated = sandbox.run({"campaign", "update", id, "--status", "active", "--tone", "Formal", "--json"});
  REQUIRE(updated.exit_code == 0);
  CHECK(updated.json()["status"] == "active");
  CHECK(updated.json()["tone"] == "formal");
  CHECK(updated.json()["name"] == "Spring launch");

  const RunResult listed = sandbox.run({"campaign", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  REQUIRE(listed.json().size() == 1);
  CHECK(listed.json()[0]["id"].get<std::int64_t>() == std::stoll(id));

  const RunResult human = sandbox.run({"campaign", "list"});
  CHECK(human.exit_code == 0);
  CHECK_THAT(human.out, Catch::Contains("Spring launch"));
  CHECK(sandbox.run({"campaign", "list", "-q"}).out == id + "\n");
}

TEST_CASE("campaign flags are validated with usage errors") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  RunResult result = sandbox.run({"campaign", "create", "--name", "x", "--brand", "y", "--tone", "grumpy"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--tone: unknown tone 'grumpy'; use one of: friendly,"));
  CHECK_THAT(result.err, Catch::Contains("witty"));
  CHECK(sandbox.run({"campaign", "create", "--brand", "y"}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "create", "--name", "x"}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "create", "--name", " ", "--brand", "y"}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "create", "--name", std::string(256, 'n'), "--brand", "y"}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "create", "--name", std::string(255, 'n'), "--brand", "y"}).exit_code == 0);
  result = sandbox.run({"campaign", "create", "--name", "x", "--brand", "y", "--status", "live"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("draft, active, archived"));
  const std::string id = create_campaign(sandbox);
  CHECK(sandbox.run({"campaign", "update", id}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "show", "9999"}).exit_code == 3);
}

TEST_CASE("campaign commands need a session") {
  Sandbox sandbox(BLOGEN_BINARY);
  CHECK(sandbox.run({"campaign", "list"}).exit_code == 4);
  CHECK(sandbox.run({"campaign", "create", "--name", "x", "--brand", "y"}).exit_code == 4);
}

TEST_CASE("a deleted campaign is hidden and not found until restored, deleting cancels its queued posts") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string id = create_campaign(sandbox);
  const RunResult queued = sandbox.run(
      {"campaign", "run", id, "--topic", "one", "--topic", "two", "--topic", "three", "--detach", "--json"});
  REQUIRE(queued.exit_code == 0);
  CHECK(queued.json()["counts"]["pending"] == 3);
  const std::string batch = std::to_string(queued.json()["id"].get<std::int64_t>());

  const RunResult deleted = sandbox.run({"campaign", "delete", id, "--json"});
  REQUIRE(deleted.exit_code == 0);
  CHECK(deleted.json()["cancelled_jobs"] == 3);
  CHECK(sandbox.run({"campaign", "list", "--json"}).json() == nlohmann::json::array());
  CHECK(sandbox.run({"campaign", "show", id}).exit_code == 3);
  CHECK(sandbox.run({"campaign", "update", id, "--name", "x"}).exit_code == 3);
  CHECK(sandbox.run({"campaign", "run", id, "--topic", "x"}).exit_code == 3);
  CHECK(sandbox.run({"campaign", "delete", id}).exit_code == 3);
  const RunResult status = sandbox.run({"batch", "show", batch, "--json"});
  REQUIRE(status.exit_code == 0);
  CHECK(status.json()["status"] == "cancelled");
  CHECK(status.json()["counts"]["cancelled"] == 3);

  CHECK(sandbox.run({"campaign", "restore", id}).exit_code == 0);
  CHECK(sandbox.run({"campaign", "restore", id}).exit_code == 3);
  CHECK(sandbox.run({"campaign", "show", id}).exit_code == 0);
  CHECK(sandbox.run({"campaign", "list", "--json"}).json().size() == 1);
}

TEST_CASE("another user's campaign is not found and running it writes nothing") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string id = create_campaign(sandbox);
  REQUIRE(sandbox.login_as("bob") == 0);
  CHECK(sandbox.run({"campaign", "show", id}).exit_code == 3);
  CHECK(sandbox.run({"campaign", "update", id, "--name", "mine"}).exit_code == 3);
  CHECK(sandbox.run({"campaign", "delete", id}).exit_code == 3);
  CHECK(sandbox.run({"campaign", "restore", id}).exit_code == 3);
  CHECK(sandbox.run({"campaign", "batches", id}).exit_code == 3);
  const RunResult run = sandbox.run({"campaign", "run", id, "--topic", "BOB-WAS-HERE-7741"});
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.err, Catch::Contains("campaign " + id + " not found"));
  CHECK(sandbox.run({"campaign", "list", "--json"}).json() == nlohmann::json::array());
  REQUIRE(sandbox.login_as("ann") == 0);
  check_nothing_written(sandbox, id, "BOB-WAS-HERE-7741");
  CHECK(sandbox.run({"campaign", "show", id, "--json"}).json()["name"] == "Spring launch");
}

TEST_CASE("campaign run with --topic and --count writes posts with the builtin provider") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string id = create_campaign(sandbox);

  RunResult run = sandbox.run({"campaign", "run", id, "--topic", "Weekend brunch", "--topic", "Gluten-free loaf",
                               "--platform", "twitter", "--name", "First", "--json"});
  REQUIRE(run.exit_code == 0);
  auto batch = run.json();
  CHECK(batch["name"] == "First");
  CHECK(batch["status"] == "completed");
  CHECK(batch["counts"]["total"] == 2);
  CHECK(batch["counts"]["completed"] == 2);
  CHECK(batch["started_at"].is_string());
  CHECK(batch["finished_at"].is_string());
  REQUIRE(batch["posts"].size() == 2);
  for (const auto& post : batch["posts"]) {
    CHECK(post["status"] == "completed");
    CHECK(post["platform"] == "twitter");
    CHECK(post["tone"] == "witty");
    CHECK(post["brand"] == "Acme Bakery");
    CHECK(post["audience"] == "busy parents");
    CHECK_FALSE(post["caption"].get<std::string>().empty());
    CHECK(post["caption"].get<std::string>().size() <= 280);
    CHECK_FALSE(post["hashtags"].empty());
  }

  run = sandbox.run({"campaign", "run", id, "--count", "4", "--json"});
  REQUIRE(run.exit_code == 0);
  batch = run.json();
  CHECK(batch["counts"]["completed"] == 4);
  CHECK(batch["name"].get<std::string>().rfind("Batch 20", 0) == 0);
  CHECK(batch["posts"][0]["topic"] == "Introducing Acme Bakery: Fresh sourdough delivered before breakfast");
  CHECK(batch["posts"][1]["topic"] == "Why busy parents choose Acme Bakery");
  CHECK(batch["platform"] == "generic");

  const RunResult batches = sandbox.run({"campaign", "batches", id, "--json"});
  REQUIRE(batches.exit_code == 0);
  REQUIRE(batches.json().size() == 2);
  CHECK(batches.json()[0]["counts"]["total"] == 4); // newest first
  CHECK(batches.json()[1]["name"] == "First");
}

TEST_CASE("campaign run reads CSV files with quoting, CRLF and a BOM, and JSON from stdin") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string id = create_campaign(sandbox);
  const auto csv = sandbox.write_file(
      "posts.csv", "\xEF\xBB\xBFtopic,brief,tone,target_audience,brand_name,platform\r\n"
                   "\"Croissants, warm\",\"Say \"\"fresh\"\"\nand local\",formal,students,Acme Cafe,linkedin\r\n"
                   "Bagels,,,,,\r\n");
  RunResult run = sandbox.run({"campaign", "run", id, "--file", csv.string(), "--platform", "instagram", "--json"});
  REQUIRE(run.exit_code == 0);
  auto posts = run.json()["posts"];
  REQUIRE(posts.size() == 2);
  CHECK(posts[0]["topic"] == "Croissants, warm");
  CHECK(posts[0]["tone"] == "formal");
  CHECK(posts[0]["audience"] == "students");
  CHECK(posts[0]["brand"] == "Acme Cafe");
  CHECK(posts[0]["platform"] == "linkedin");
  CHECK(posts[1]["tone"] == "witty");            // from the campaign
  CHECK(posts[1]["audience"] == "busy parents"); // from the campaign
  CHECK(posts[1]["brand"] == "Acme Bakery");     // from the campaign
  CHECK(posts[1]["platform"] == "instagram");    // from --platform

  run = sandbox.run({"campaign", "run", id, "--file", "-", "--json"},
                    R"([{"topic": "From stdin", "platform": "twitter"}])");
  REQUIRE(run.exit_code == 0);
  CHECK(run.json()["posts"][0]["topic"] == "From stdin");
  CHECK(run.json()["posts"][0]["platform"] == "twitter");

  run = sandbox.run({"campaign", "run", id, "--file", "-", "--json"}, "topic\nCSV on stdin\n");
  REQUIRE(run.exit_code == 0);
  CHECK(run.json()["posts"][0]["topic"] == "CSV on stdin");
}

TEST_CASE("bad input files are rejected with exit 6 naming file, line and field, and nothing is written") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string id = create_campaign(sandbox);
  const std::string marker = "NEVER-STORED-5521";

  const auto unterminated = sandbox.write_file("broken.csv", "topic\n" + marker + "\n\"open quote\n");
  RunResult run = sandbox.run({"campaign", "run", id, "--file", unterminated.string()});
  CHECK(run.exit_code == 6);
  CHECK_THAT(run.err, Catch::Contains("broken.csv:3: unterminated quoted field"));

  const auto bad_platform = sandbox.write_file("platform.csv", "topic,platform\n" + marker + ",twitter\nx,myspace\n");
  run = sandbox.run({"campaign", "run", id, "--file", bad_platform.string()});
  CHECK(run.exit_code == 6);
  CHECK_THAT(run.err, Catch::Contains("platform.csv:3: platform: unknown platform 'myspace'"));

  const auto bad_tone = sandbox.write_file("tone.csv", "topic,tone\n" + marker + ",grumpy\n");
  run = sandbox.run({"campaign", "run", id, "--file", bad_tone.string()});
  CHECK(run.exit_code == 6);
  CHECK_THAT(run.err, Catch::Contains("tone.csv:2: tone: unknown tone 'grumpy'"));

  const auto unknown = sandbox.write_file("unknown.csv", "topic,colour\n" + marker + ",red\n");
  run = sandbox.run({"campaign", "run", id, "--file", unknown.string()});
  CHECK(run.exit_code == 6);
  CHECK_THAT(run.err, Catch::Contains("unknown column 'colour'"));

  const auto empty = sandbox.write_file("empty.csv", "");
  run = sandbox.run({"campaign", "run", id, "--file", empty.string()});
  CHECK(run.exit_code == 6);
  CHECK_THAT(run.err, Catch::Contains("empty.csv: the file is empty"));

  const auto header_only = sandbox.write_file("header.csv", "topic\n");
  CHECK(sandbox.run({"campaign", "run", id, "--file", header_only.string()}).exit_code == 6);

  const auto json = sandbox.write_file("posts.json", "[\n  {\"topic\": \"" + marker + "\"},\n  {\"topic\": oops}\n]");
  run = sandbox.run({"campaign", "run", id, "--file", json.string()});
  CHECK(run.exit_code == 6);
  CHECK_THAT(run.err, Catch::Contains("posts.json:3:"));
  CHECK_THAT(run.err, Catch::Contains("invalid JSON"));

  const auto json_field = sandbox.write_file("field.json", "[{\"topic\": \"" + marker + "\"},\n {\"topic\": 7}]");
  run = sandbox.run({"campaign", "run", id, "--file", json_field.string(), "--json"});
  CHECK(run.exit_code == 6);
  CHECK(run.json()["error"]["code"] == 6);
  CHECK_THAT(run.json()["error"]["message"].get<std::string>(),
             Catch::Contains("field.json:2:2: topic: must be a string"));

  run = sandbox.run({"campaign", "run", id, "--file", "-"}, "");
  CHECK(run.exit_code == 6);
  CHECK(sandbox.run({"campaign", "run", id, "--file", (sandbox.dir() / "missing.csv").string()}).exit_code == 6);

  check_nothing_written(sandbox, id, marker);
}

TEST_CASE("campaign run flags are checked before anything is written") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string id = create_campaign(sandbox);
  CHECK(sandbox.run({"campaign", "run", id}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "run", id, "--topic", "a", "--count", "2"}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "run", id, "--count", "0"}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "run", id, "--count", "50001"}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "run", id, "--topic", "a", "--concurrency", "0"}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "run", id, "--topic", "a", "--platform", "myspace"}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "run", id, "--topic", "a", "--provider", "nope"}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "run", id, "--topic", " "}).exit_code == 2);
  REQUIRE(sandbox.run({"campaign", "update", id, "--status", "archived"}).exit_code == 0);
  CHECK(sandbox.run({"campaign", "run", id, "--topic", "a"}).exit_code == 2);
  CHECK(sandbox.run({"campaign", "batches", id, "--json"}).json() == nlohmann::json::array());
}

TEST_CASE("a large file is validated and queued in one go") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string id = create_campaign(sandbox);
  std::string text = "topic,platform\n";
  for (int i = 0; i < 5000; ++i)
    text += "Topic number " + std::to_string(i) + ",twitter\n";
  const auto file = sandbox.write_file("big.csv", text);
  const RunResult run = sandbox.run({"campaign", "run", id, "--file", file.string(), "--detach", "--json"});
  REQUIRE(run.exit_code == 0);
  CHECK(run.json()["counts"]["total"] == 5000);
  CHECK(run.json()["counts"]["pending"] == 5000);
  CHECK(run.json()["status"] == "pending");
}
