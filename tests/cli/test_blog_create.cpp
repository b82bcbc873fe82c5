// blog create, list, show; blogen init; generation through the builtin provider and the fake OpenAI server.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <thread>

using blogen::testing::FakeServer;
using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

nlohmann::json list_json(const Sandbox& sandbox, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"blog", "list", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto result = sandbox.run(args);
  REQUIRE(result.exit_code == 0);
  return result.json();
}

std::int64_t create_detached(const Sandbox& sandbox, const std::string& topic) {
  const auto result = sandbox.run({"blog", "create", "--topic", topic, "--detach", "-q"});
  REQUIRE(result.exit_code == 0);
  return std::stoll(result.out);
}

void add_fake_provider(const Sandbox& sandbox, const FakeServer& server, const std::string& max_attempts = "1") {
  REQUIRE(sandbox
              .run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "fake-gpt", "--no-key",
                    "--max-attempts", max_attempts})
              .exit_code == 0);
}

} // namespace

TEST_CASE("init creates a local account once, logs it in, and a first post is written by the builtin provider") {
  Sandbox sandbox(BLOGEN_BINARY);
  auto init = sandbox.run({"init", "--username", "writer"});
  REQUIRE(init.exit_code == 0);
  CHECK_THAT(init.err, Catch::Contains("Password for writer"));
  CHECK(init.out.empty());
  init = sandbox.run({"init", "--json"});
  REQUIRE(init.exit_code == 0);
  CHECK(init.json()["created"] == false);
  CHECK(init.json()["username"] == "writer");

  const auto created = sandbox.run({"blog", "create", "--topic", "Sourdough for beginners", "--keyword", "starter"});
  REQUIRE(created.exit_code == 0);
  CHECK_THAT(created.out, Catch::Contains("Sourdough") && Catch::Contains("written by builtin / builtin-drafter"));
  const auto posts = list_json(sandbox);
  REQUIRE(posts.size() == 1);
  CHECK(posts[0]["status"] == "completed");
  CHECK(posts[0]["provider"] == "builtin");
  CHECK(posts[0]["revision"] == 1);
  CHECK(posts[0]["words"].get<int>() > 100);
}

TEST_CASE("init refuses a store that has accounts when this machine is not logged in") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"logout"}).exit_code == 0);
  const auto result = sandbox.run({"init"});
  CHECK(result.exit_code == 4);
  CHECK_THAT(result.err, Catch::Contains("blogen login"));
}

TEST_CASE("blog commands need a login") {
  Sandbox sandbox(BLOGEN_BINARY);
  CHECK(sandbox.run({"blog", "list"}).exit_code == 4);
  CHECK(sandbox.run({"blog", "create", "--topic", "x"}).exit_code == 4);
}

TEST_CASE("create --json prints the whole post, --detach prints ids, -q prints the post id") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  auto result = sandbox.run({"blog", "create", "--topic", "Cold brew", "--title", "My cold brew", "--category",
                             "Drinks", "--tone", "Casual", "--words", "300", "--seed", "7", "--json"});
  REQUIRE(result.exit_code == 0);
  auto post = result.json();
  CHECK(post["title"] == "My cold brew");
  CHECK(post["category"] == "Drinks");
  CHECK(post["tone"] == "casual");
  CHECK(post["target_words"] == 300);
  CHECK(post["status"] == "completed");
  CHECK(post["model"] == "builtin-drafter");
  CHECK_FALSE(post["content"].get<std::string>().empty());

  result = sandbox.run({"blog", "create", "--topic", "Later", "--detach", "--json"});
  REQUIRE(result.exit_code == 0);
  const auto ids = result.json();
  CHECK(ids["status"] == "pending");
  CHECK(ids["post_id"] == 2);
  CHECK(ids["job_id"].get<int>() > 0);
  CHECK(sandbox.run({"blog", "show", "2", "--json"}).json()["status"] == "pending");
  result = sandbox.run({"blog", "create", "--topic", "Quiet", "--detach", "-q"});
  CHECK(result.out == "3\n");
  // A worker picks the queued posts up later.
  REQUIRE(sandbox.run({"worker", "--until-idle"}).exit_code == 0);
  CHECK(sandbox.run({"blog", "show", "2", "--json"}).json()["status"] == "completed");
}

TEST_CASE("invalid create flags exit 2, name the flag and store nothing") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"blog", "create"}, "--topic"},
      {{"blog", "create", "--topic", "   "}, "--topic"},
      {{"blog", "create", "--topic", std::string(501, 'x')}, "--topic"},
      {{"blog", "create", "--topic", "ok", "--title", std::string(201, 't')}, "--title"},
      {{"blog", "create", "--prompt", std::string(20'001, 'p')}, "--prompt"},
      {{"blog", "create", "--topic", "ok", "--words", "49"}, "--words"},
      {{"blog", "create", "--topic", "ok", "--words", "10001"}, "--words"},
      {{"blog", "create", "--topic", "ok", "--words", "many"}, "--words"},
      {{"blog", "create", "--topic", "ok", "--tone", "grumpy"}, "--tone"},
      {{"blog", "create", "--topic", "ok", "--template", "nope"}, "--template"},
      {{"blog", "create", "--topic", "ok", "--provider", "nope"}, "--provider"},
      {{"blog", "create", "--topic", "ok", "--keyword", " "}, "--keyword"},
      {{"blog", "create", "--topic", "ok", "--prompt", "both"}, "--prompt"},
  };
  for (const auto& [args, flag] : cases) {
    const auto result = sandbox.run(args);
    INFO(flag << ": " << result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(flag));
  }
  CHECK(list_json(sandbox) == nlohmann::json::array());
  CHECK(sandbox.run({"job", "list", "--json"}).json()["jobs"].empty());
}

TEST_CASE("a prompt-only post takes its title from the answer, else from the prompt") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto result = sandbox.run({"blog", "create", "--prompt", "Write about winter cycling, with a packing list",
                                   "--template", "listicle", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK_FALSE(result.json()["title"].get<std::string>().empty());
  CHECK(result.json()["template"] == "listicle");
}

TEST_CASE("list: empty is [], filters, sort, paging, limits, and someone else's posts stay hidden") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  CHECK(list_json(sandbox) == nlohmann::json::array());
  const auto empty = sandbox.run({"blog", "list"});
  CHECK(empty.exit_code == 0);
  CHECK(empty.out.empty());

  REQUIRE(sandbox.run({"blog", "create", "--topic", "Banana bread", "--title", "Banana bread", "--category", "Baking"})
              .exit_code == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Apple pie", "--title", "Apple pie", "--category", "baking"})
              .exit_code == 0);
  create_detached(sandbox, "Zucchini");
  CHECK(list_json(sandbox).size() == 3);
  CHECK(list_json(sandbox, {"--status", "pending"}).size() == 1);
  CHECK(list_json(sandbox, {"--category", "BAKING"}).size() == 2);
  CHECK(list_json(sandbox, {"--sort", "title", "--status", "completed"})[0]["title"] == "Apple pie");
  CHECK(list_json(sandbox, {"--sort", "created"})[0]["id"] == 1);
  CHECK(list_json(sandbox, {"--limit", "2", "--page", "2"}).size() == 1);
  CHECK(list_json(sandbox, {"--search", "apple"}).size() == 1);
  for (const auto& bad : std::vector<std::vector<std::string>>{
           {"--limit", "0"}, {"--limit", "1001"}, {"--page", "0"}, {"--sort", "size"}, {"--status", "done"}}) {
    std::vector<std::string> args{"blog", "list"};
    args.insert(args.end(), bad.begin(), bad.end());
    const auto result = sandbox.run(args);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains(bad[0]));
  }
  const auto table = sandbox.run({"blog", "list"});
  CHECK_THAT(table.out, Catch::Contains("ID") && Catch::Contains("STATUS") && Catch::Contains("Apple pie"));

  REQUIRE(sandbox.login_as("bob") == 0);
  CHECK(list_json(sandbox) == nlohmann::json::array());
  CHECK(sandbox.run({"blog", "list", "--all-users"}).exit_code == 4); // bob is not an admin
  CHECK(sandbox.run({"blog", "show", "1"}).exit_code == 3);
  REQUIRE(sandbox.run({"login", "--username", "ann", "--password-stdin"}, "correct horse battery\n").exit_code == 0);
  CHECK(list_json(sandbox, {"--all-users"}).size() == 3);
}

TEST_CASE("show: text, markdown with front matter, json, a revision, and missing posts") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(
      sandbox.run({"blog", "create", "--topic", "Tea", "--title", "All about tea", "--category", "Drinks"}).exit_code ==
      0);
  const auto text = sandbox.run({"blog", "show", "1"});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::StartsWith("All about tea\n") && Catch::Contains("written by builtin / builtin-drafter"));
  const auto markdown = sandbox.run({"blog", "show", "1", "--format", "markdown"});
  CHECK_THAT(markdown.out, Catch::StartsWith("---\nid: 1\ntitle: \"All about tea\"\n") &&
                               Catch::Contains("\n---\n\n# All about tea\n"));
  const auto json = sandbox.run({"blog", "show", "1", "--format", "json"}).json();
  for (const char* field : {"id", "title", "topic", "content", "status", "provider", "model", "keywords", "revision",
                            "created_at", "updated_at", "prompt_tokens", "completion_tokens", "tone", "category"}) {
    CHECK(json.contains(field));
  }
  CHECK(sandbox.run({"blog", "show", "1", "--revision", "1", "--json"}).json()["revision_source"] == "generated");
  CHECK(sandbox.run({"blog", "show", "1", "--revision", "9"}).exit_code == 3);
  CHECK(sandbox.run({"blog", "show", "99"}).exit_code == 3);
  CHECK(sandbox.run({"blog", "show", "abc"}).exit_code == 2);
  CHECK(sandbox.run({"blog", "show", "1", "--format", "pdf"}).exit_code == 2);
}

TEST_CASE("model text with terminal escapes and shell syntax is printed inert") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string title = "Evil \x1b]0;pwned\x07 title $(touch pwned) `touch pwned2`";
  REQUIRE(sandbox.run({"blog", "create", "--topic", "escapes", "--title", title}).exit_code == 0);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"blog", "show", "1"}, {"blog", "list"}, {"blog", "history", "1"}, {"blog", "search", "evil"}}) {
    const auto result = sandbox.run(args);
    CHECK(result.exit_code == 0);
    CHECK(result.out.find('\x1b') == std::string::npos);
    CHECK(result.out.find('\x07') == std::string::npos);
  }
  CHECK(sandbox.run({"blog", "show", "1", "--json"}).json()["title"] == title);
  CHECK_FALSE(std::filesystem::exists(sandbox.dir() / "pwned"));
  CHECK_FALSE(std::filesystem::exists(sandbox.home() / "pwned"));
}

TEST_CASE("create with --stream prints the text as it arrives and the call is logged") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--stream-chunk-chars", "5"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  add_fake_provider(sandbox, server);
  const auto result = sandbox.run({"blog", "create", "--topic", "Streaming soup", "--provider", "fake", "--stream"});
  REQUIRE(result.exit_code == 0);
  const auto post = sandbox.run({"blog", "show", "1", "--json"}).json();
  CHECK(post["provider"] == "fake");
  CHECK(post["status"] == "completed");
  const std::string content = post["content"];
  CHECK(result.out.find(content.substr(0, std::min<std::size_t>(40, content.size()))) != std::string::npos);
  CHECK_THAT(result.err, Catch::Contains("written by fake /"));
  const auto log = sandbox.run({"log", "--json"});
  REQUIRE(log.exit_code == 0);
  CHECK(log.out.find("Streaming soup") != std::string::npos);
}

TEST_CASE("a permanent provider error fails at once with exit 5, a transient one retries, then exits 1") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--fail-when-contains", "REJECT-ME", "--fail-status", "401"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  add_fake_provider(sandbox, server, "3");
  auto result = sandbox.run({"blog", "create", "--topic", "REJECT-ME please", "--provider", "fake"});
  CHECK(result.exit_code == 5);
  auto post = sandbox.run({"blog", "show", "1", "--json"}).json();
  CHECK(post["status"] == "failed");
  CHECK_THAT(post["error"].get<std::string>(), Catch::Contains("auth"));
  const auto stats = nlohmann::json::parse(blogen::testing::http_get(server.port, "/_stats"));
  CHECK(stats["by_endpoint"]["chat"] == 1); // not retried

  auto transient = start_fake_server(FAKE_OPENAI_BINARY, {"--fail-when-contains", "FLAKY", "--fail-status", "500"});
  REQUIRE(sandbox
              .run({"provider", "add", "flaky", "--base-url", transient.base_url(), "--model", "m", "--no-key",
                    "--max-attempts", "2"})
              .exit_code == 0);
  result = sandbox.run({"blog", "create", "--topic", "FLAKY topic", "--provider", "flaky"});
  CHECK(result.exit_code == 1);
  post = sandbox.run({"blog", "show", "2", "--json"}).json();
  CHECK(post["status"] == "failed");
  const auto flaky_stats = nlohmann::json::parse(blogen::testing::http_get(transient.port, "/_stats"));
  CHECK(flaky_stats["by_endpoint"]["chat"] == 2);
  // Every attempt is in the log, none holds a key.
  const auto log = sandbox.run({"log", "--json"}).json();
  CHECK(log.dump().find("FLAKY") != std::string::npos);
}

TEST_CASE("an unknown model is a permanent provider error") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--strict-models"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  add_fake_provider(sandbox, server, "3");
  const auto result = sandbox.run({"blog", "create", "--topic", "x y z", "--provider", "fake", "--model", "nope"});
  CHECK(result.exit_code == 5);
}

TEST_CASE("Ctrl-C during a foreground create exits 130 and leaves the job queued and the post pending") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--latency-ms", "20000"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  add_fake_provider(sandbox, server);
  auto child = sandbox.start({"blog", "create", "--topic", "Slow one", "--provider", "fake"});
  // Wait until the request reached the server, then interrupt.
  for (int i = 0; i < 100; ++i) {
    const auto stats = nlohmann::json::parse(blogen::testing::http_get(server.port, "/_stats"));
    if (stats["in_flight"].get<int>() > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  child.signal(SIGINT);
  const auto result = child.wait(30'000);
  CHECK(result.exit_code == 130);
  CHECK_THAT(result.err, Catch::Contains("queued"));
  const auto jobs = sandbox.run({"job", "list", "--json"}).json()["jobs"];
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0]["status"] == "pending");
  CHECK(sandbox.run({"blog", "show", "1", "--json"}).json()["status"] == "pending");
}
