// Batch runs through the real binary, with the builtin provider and against the fake OpenAI server: progress
// counts, per-post failures, retry, cancel, images on disk, concurrency limits and exports.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <httplib.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <thread>

using blogen::testing::FakeServer;
using blogen::testing::http_get;
using blogen::testing::RunResult;
using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

std::string create_campaign(const Sandbox& sandbox) {
  const RunResult result =
      sandbox.run({"campaign", "create", "--name", "Launch", "--brand", "Zephyr Bikes", "--audience", "urban commuters",
                   "--tone", "enthusiastic", "--description", "Folding e-bikes.", "--json"});
  REQUIRE(result.exit_code == 0);
  return std::to_string(result.json()["id"].get<std::int64_t>());
}

void use_fake(const Sandbox& sandbox, const FakeServer& server, const std::string& concurrency = "8") {
  REQUIRE(sandbox
              .run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "m", "--no-key",
                    "--concurrency", concurrency, "--max-attempts", "1"})
              .exit_code == 0);
  REQUIRE(sandbox.run({"provider", "use", "fake"}).exit_code == 0);
}

std::vector<std::string> topics_args(int count, const std::function<std::string(int)>& topic) {
  std::vector<std::string> args;
  for (int i = 0; i < count; ++i) {
    args.push_back("--topic");
    args.push_back(topic(i));
  }
  return args;
}

RunResult run_campaign(const Sandbox& sandbox, const std::string& campaign, std::vector<std::string> extra) {
  std::vector<std::string> args{"campaign", "run", campaign, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return sandbox.run(args);
}

nlohmann::json stats(const FakeServer& server) { return nlohmann::json::parse(http_get(server.port, "/_stats")); }

void post_to(const FakeServer& server, const std::string& path, const std::string& body) {
  httplib::Client client("127.0.0.1", server.port);
  const auto response = client.Post(path.c_str(), body, "application/json");
  REQUIRE(response);
  REQUIRE(response->status == 200);
}

std::string batch_id_of(const RunResult& result) { return std::to_string(result.json()["id"].get<std::int64_t>()); }

int mode_of(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return static_cast<int>(info.st_mode & 0777);
}

} // namespace

TEST_CASE("ten posts against the fake server all succeed, with campaign defaults in the prompts") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY);
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  use_fake(sandbox, server);
  const std::string campaign = create_campaign(sandbox);
  const RunResult run =
      run_campaign(sandbox, campaign, topics_args(10, [](int i) { return "Commute tip " + std::to_string(i); }));
  REQUIRE(run.exit_code == 0);
  const auto batch = run.json();
  CHECK(batch["status"] == "completed");
  CHECK(batch["counts"]["total"] == 10);
  CHECK(batch["counts"]["completed"] == 10);
  CHECK(batch["counts"]["failed"] == 0);
  for (const auto& post : batch["posts"]) {
    CHECK(post["status"] == "completed");
    CHECK_FALSE(post["caption"].get<std::string>().empty());
  }
  const auto seen = stats(server);
  CHECK(seen["by_endpoint"]["chat"] == 10);
  for (const auto& prompt : seen["prompts"]) {
    const std::string text = prompt.get<std::string>();
    CHECK_THAT(text, Catch::Contains("Zephyr Bikes"));
    CHECK_THAT(text, Catch::Contains("urban commuters"));
    CHECK_THAT(text, Catch::Contains("enthusiastic"));
  }
  // Every call is in the generation log.
  const RunResult log = sandbox.run({"log", "--limit", "50", "--json"});
  REQUIRE(log.exit_code == 0);
  CHECK(log.json().size() >= 10);
}

TEST_CASE("three failing posts of ten: completed_with_errors, per-post errors, and retry finishes them") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--fail-when-contains", "FAILME"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  use_fake(sandbox, server);
  const std::string campaign = create_campaign(sandbox);
  const RunResult run = run_campaign(sandbox, campaign, topics_args(10, [](int i) {
                                       return (i % 3 == 1 ? "FAILME topic " : "Good topic ") + std::to_string(i);
                                     }));
  CHECK(run.exit_code == 1);
  const auto batch = run.json();
  CHECK(batch["status"] == "completed_with_errors");
  CHECK(batch["counts"]["completed"] == 7);
  CHECK(batch["counts"]["failed"] == 3);
  const std::string id = batch_id_of(run);

  const RunResult shown = sandbox.run({"batch", "show", id, "--posts", "--json"});
  REQUIRE(shown.exit_code == 0);
  int failed = 0;
  const nlohmann::json shown_posts = shown.json()["posts"];
  for (const auto& post : shown_posts) {
    if (post["status"] != "failed") continue;
    ++failed;
    CHECK_THAT(post["topic"].get<std::string>(), Catch::Contains("FAILME"));
    CHECK_THAT(post["error"].get<std::string>(), Catch::Contains("HTTP 400"));
  }
  CHECK(failed == 3);
  const RunResult human = sandbox.run({"batch", "show", id, "--posts"});
  CHECK_THAT(human.out, Catch::Contains("completed_with_errors"));
  CHECK_THAT(human.out, Catch::Contains("error: "));

  post_to(server, "/_reset", "{}"); // the failure rule is lifted
  const RunResult retried = sandbox.run({"batch", "retry", id, "--json"});
  CHECK(retried.exit_code == 0);
  CHECK(retried.json()["status"] == "completed");
  CHECK(retried.json()["counts"]["completed"] == 10);
  CHECK(stats(server)["by_endpoint"]["chat"] == 3); // only the failed ones ran again
  // Nothing is left to retry.
  const RunResult again = sandbox.run({"batch", "retry", id, "--detach", "--json"});
  CHECK(again.exit_code == 0);
  CHECK(again.json()["requeued"] == 0);
}

TEST_CASE("when every post fails the batch is failed") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--fail-when-contains", "Doomed"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  use_fake(sandbox, server);
  const std::string campaign = create_campaign(sandbox);
  const RunResult run =
      run_campaign(sandbox, campaign, topics_args(4, [](int i) { return "Doomed " + std::to_string(i); }));
  CHECK(run.exit_code == 1);
  CHECK(run.json()["status"] == "failed");
  CHECK(run.json()["counts"]["failed"] == 4);
  const RunResult human = sandbox.run({"batch", "show", batch_id_of(run)});
  CHECK_THAT(human.out, Catch::Contains("status:    failed"));
  // As text, a run names each failed post and its error (campaign run reads the posts only for that and --json).
  const RunResult text = sandbox.run({"campaign", "run", campaign, "--topic", "Doomed as text"});
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.out, Catch::Contains("failed posts:"));
  CHECK_THAT(text.out, Catch::Matches(R"((.|\n)*  post [0-9]+: [^\n]*HTTP 400(.|\n)*)"));
  CHECK_THAT(text.out, Catch::Contains("re-runs only the failed posts"));
}

TEST_CASE("the fake server never sees more requests in flight than --concurrency") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--latency-ms", "150"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  use_fake(sandbox, server, "16");
  const std::string campaign = create_campaign(sandbox);
  const RunResult run = run_campaign(sandbox, campaign, [] {
    auto args = topics_args(8, [](int i) { return "Parallel " + std::to_string(i); });
    args.insert(args.end(), {"--concurrency", "2"});
    return args;
  }());
  REQUIRE(run.exit_code == 0);
  CHECK(run.json()["concurrency"] == 2);
  const auto seen = stats(server);
  CHECK(seen["by_endpoint"]["chat"] == 8);
  CHECK(seen["max_in_flight"].get<int>() <= 2);
  CHECK(seen["max_in_flight"].get<int>() >= 1);
}

TEST_CASE("images are stored beside the store with the builtin provider") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string campaign = create_campaign(sandbox);
  const RunResult run =
      run_campaign(sandbox, campaign,
                   {"--topic", "Fold in five seconds", "--topic", "Rain ready", "--images", "--platform", "instagram"});
  REQUIRE(run.exit_code == 0);
  CHECK(run.json()["images"] == true);
  // Beside a store file; for a store on a server, in a folder of that store's own in the data folder.
  auto images_dir = sandbox.store().parent_path() / "images";
  if (sandbox.on_postgresql()) { // postgresql://blogen@127.0.0.1:PORT/DB -> 127.0.0.1_PORT_DB
    std::string folder = sandbox.store_location().substr(sandbox.store_location().find('@') + 1);
    std::replace(folder.begin(), folder.end(), ':', '_');
    std::replace(folder.begin(), folder.end(), '/', '_');
    images_dir /= folder;
  }
  CHECK(mode_of(images_dir) == 0700);
  const nlohmann::json run_posts = run.json()["posts"];
  for (const auto& post : run_posts) {
    REQUIRE(post["image_path"].is_string());
    const std::filesystem::path image = post["image_path"].get<std::string>();
    CHECK(image.parent_path() == images_dir);
    CHECK(image.filename() == std::to_string(post["id"].get<std::int64_t>()) + ".svg");
    REQUIRE(std::filesystem::exists(image));
    CHECK(std::filesystem::file_size(image) > 0);
    CHECK(mode_of(image) == 0600);
    CHECK_THAT(blogen::testing::read_bytes(image), Catch::Contains("<svg"));
  }
}

TEST_CASE("images are stored as files with the fake server, never only as URLs") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--image-url"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  use_fake(sandbox, server);
  const std::string campaign = create_campaign(sandbox);
  const RunResult run =
      run_campaign(sandbox, campaign, {"--topic", "City rides", "--topic", "Night rides", "--images"});
  REQUIRE(run.exit_code == 0);
  CHECK(stats(server)["by_endpoint"]["images"] == 2);
  const nlohmann::json run_posts = run.json()["posts"];
  for (const auto& post : run_posts) {
    REQUIRE(post["image_path"].is_string());
    const std::filesystem::path image = post["image_path"].get<std::string>();
    CHECK(image.extension() == ".png");
    REQUIRE(std::filesystem::exists(image));
    CHECK(std::filesystem::file_size(image) > 0);
    CHECK(mode_of(image) == 0600);
    CHECK(blogen::testing::read_bytes(image).rfind("\x89PNG", 0) == 0);
  }
}

TEST_CASE("a failed image keeps the caption, and retry redoes only the image") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto script = sandbox.write_file(
      "script.json", R"({"rules": [{"contains": "IMGFAIL", "endpoint": "images", "status": 400, "message": "nope"}]})");
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--script", script.string()});
  REQUIRE(sandbox.login_as("ann") == 0);
  use_fake(sandbox, server);
  const std::string campaign = create_campaign(sandbox);
  const RunResult run =
      run_campaign(sandbox, campaign, {"--topic", "Fine picture", "--topic", "IMGFAIL picture", "--images"});
  CHECK(run.exit_code == 1);
  CHECK(run.json()["status"] == "completed_with_errors");
  std::string caption;
  const nlohmann::json run_posts = run.json()["posts"];
  for (const auto& post : run_posts) {
    if (post["topic"] != "IMGFAIL picture") continue;
    CHECK(post["status"] == "failed");
    caption = post["caption"].get<std::string>();
    CHECK_FALSE(caption.empty());
    CHECK(post["image_path"].is_null());
    CHECK_THAT(post["error"].get<std::string>(), Catch::StartsWith("image: "));
  }
  REQUIRE_FALSE(caption.empty());

  post_to(server, "/_reset", "{}");
  const RunResult retried = sandbox.run({"batch", "retry", batch_id_of(run), "--json"});
  CHECK(retried.exit_code == 0);
  CHECK(retried.json()["status"] == "completed");
  const auto seen = stats(server);
  CHECK(seen["by_endpoint"].value("chat", 0) == 0); // the caption was not written again
  CHECK(seen["by_endpoint"]["images"] == 1);
  const nlohmann::json retried_posts = retried.json()["posts"];
  for (const auto& post : retried_posts) {
    CHECK(post["status"] == "completed");
    CHECK(post["image_path"].is_string());
    if (post["topic"] == "IMGFAIL picture") CHECK(post["caption"] == caption);
  }
}

TEST_CASE("batch cancel stops a detached batch, a worker then finds nothing to do") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string campaign = create_campaign(sandbox);
  const RunResult queued =
      run_campaign(sandbox, campaign, {"--topic", "a", "--topic", "b", "--topic", "c", "--detach"});
  REQUIRE(queued.exit_code == 0);
  CHECK(queued.json()["status"] == "pending");
  const std::string id = batch_id_of(queued);

  const RunResult cancelled = sandbox.run({"batch", "cancel", id, "--json"});
  REQUIRE(cancelled.exit_code == 0);
  CHECK(cancelled.json()["cancelled_jobs"] == 3);
  CHECK(cancelled.json()["status"] == "cancelled");
  CHECK(cancelled.json()["cancelled_at"].is_string());

  const RunResult worker = sandbox.run({"worker", "--until-idle", "--json"});
  CHECK(worker.exit_code == 0);
  CHECK(worker.json()["completed"] == 0);

  const RunResult shown = sandbox.run({"batch", "show", id, "--posts", "--json"});
  CHECK(shown.json()["counts"]["cancelled"] == 3);
  CHECK(shown.json()["counts"]["completed"] == 0);
  const nlohmann::json shown_posts = shown.json()["posts"];
  for (const auto& post : shown_posts)
    CHECK(post["status"] == "cancelled");
}

TEST_CASE("a detached batch is written by a worker") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string campaign = create_campaign(sandbox);
  const RunResult queued = run_campaign(sandbox, campaign, {"--topic", "a", "--topic", "b", "--detach", "--images"});
  REQUIRE(queued.exit_code == 0);
  REQUIRE(sandbox.run({"worker", "--until-idle"}).exit_code == 0);
  const RunResult shown = sandbox.run({"batch", "show", batch_id_of(queued), "--posts", "--json"});
  CHECK(shown.json()["status"] == "completed");
  const nlohmann::json shown_posts = shown.json()["posts"];
  for (const auto& post : shown_posts)
    CHECK(post["image_path"].is_string());
}

TEST_CASE("batch export writes CSV with formulas neutralised, and JSON") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string campaign = create_campaign(sandbox);
  const RunResult run =
      run_campaign(sandbox, campaign, {"--topic", "=HYPERLINK(\"http://x\")", "--topic", "Plain, with comma"});
  REQUIRE(run.exit_code == 0);
  const std::string id = batch_id_of(run);

  const RunResult csv = sandbox.run({"batch", "export", id, "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.rfind("id,topic,platform,caption,hashtags,image_path,status,error\r\n", 0) == 0);
  CHECK_THAT(csv.out, Catch::Contains("\"'=HYPERLINK(\"\"http://x\"\")\""));
  CHECK_THAT(csv.out, Catch::Contains("\"Plain, with comma\""));
  CHECK_THAT(csv.out, Catch::Contains(",completed,"));

  const RunResult json = sandbox.run({"batch", "export", id, "--format", "json"});
  REQUIRE(json.exit_code == 0);
  const auto posts = nlohmann::json::parse(json.out);
  REQUIRE(posts.size() == 2);
  CHECK(posts[0]["topic"] == "=HYPERLINK(\"http://x\")"); // JSON keeps the text as it is
  CHECK(posts[0]["hashtags"].is_array());
  CHECK_FALSE(posts[0]["caption"].get<std::string>().empty());

  const auto out = sandbox.dir() / "export.csv";
  REQUIRE(sandbox.run({"batch", "export", id, "--out", out.string()}).exit_code == 0);
  CHECK(blogen::testing::read_bytes(out) == csv.out);
  CHECK(mode_of(out) == 0600);
  CHECK(sandbox.run({"batch", "export", id, "--format", "xml"}).exit_code == 2);
}

TEST_CASE("batch export to a terminal neutralises escape sequences, to a pipe it is byte for byte (issue 16 item 10)") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string campaign = create_campaign(sandbox);
  const RunResult run = run_campaign(sandbox, campaign, {"--topic", "Evil \x1b]0;pwned\x07 title \x1b[2J"});
  REQUIRE(run.exit_code == 0);
  const std::string id = batch_id_of(run);

  const RunResult piped = sandbox.run({"batch", "export", id, "--format", "csv"});
  REQUIRE(piped.exit_code == 0);
  CHECK(piped.out.find("\x1b]0;pwned\x07") != std::string::npos); // a file gets what was stored

  // `script` gives the command a terminal as its stdout, as a writer at a terminal has.
  auto terminal = blogen::testing::spawn(
      {"/usr/bin/script", "-qec", std::string(BLOGEN_BINARY) + " batch export " + id + " --format csv", "/dev/null"},
      sandbox.environment());
  const RunResult shown = terminal.wait();
  REQUIRE(shown.exit_code == 0);
  CHECK_THAT(shown.out, Catch::Contains("title"));
  CHECK(shown.out.find('\x1b') == std::string::npos);
  CHECK(shown.out.find('\x07') == std::string::npos);
}

TEST_CASE("another user's batch is not found") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string campaign = create_campaign(sandbox);
  const RunResult queued = run_campaign(sandbox, campaign, {"--topic", "a", "--detach"});
  REQUIRE(queued.exit_code == 0);
  const std::string id = batch_id_of(queued);
  REQUIRE(sandbox.login_as("bob") == 0);
  CHECK(sandbox.run({"batch", "show", id}).exit_code == 3);
  CHECK(sandbox.run({"batch", "retry", id}).exit_code == 3);
  CHECK(sandbox.run({"batch", "cancel", id}).exit_code == 3);
  CHECK(sandbox.run({"batch", "export", id}).exit_code == 3);
  REQUIRE(sandbox.login_as("ann") == 0);
  const RunResult shown = sandbox.run({"batch", "show", id, "--json"});
  CHECK(shown.json()["status"] == "pending");
  CHECK(shown.json()["counts"]["pending"] == 1);
}

TEST_CASE("Ctrl-C stops a foreground run with exit 130 and the unfinished posts stay queued") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--latency-ms", "5000"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  use_fake(sandbox, server);
  const std::string campaign = create_campaign(sandbox);
  auto child = sandbox.start({"campaign", "run", campaign, "--topic", "slow one", "--topic", "slow two",
                              "--concurrency", "2", "--no-progress"});
  REQUIRE(child.wait_for_stderr("writing 2 posts"));
  // Give the workers time to claim their jobs and reach the provider.
  for (int i = 0; i < 100 && stats(server)["in_flight"].get<int>() < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  child.signal(SIGINT);
  const RunResult result = child.wait();
  CHECK(result.exit_code == 130);
  CHECK_THAT(result.err, Catch::Contains("stay queued"));
  const RunResult batches = sandbox.run({"campaign", "batches", campaign, "--json"});
  const nlohmann::json list = batches.json();
  REQUIRE(list.size() == 1);
  CHECK(list[0]["counts"]["pending"] == 2);
  CHECK(list[0]["counts"]["completed"] == 0);
  CHECK(list[0]["status"] == "pending");
}
