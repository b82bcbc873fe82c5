// A post tells the truth about its job on every path, through the real binary (issue 16, items 1 and 2): cancel of a
// queued job, and a worker that lost its lease while stopped writing nothing after the worker that took over.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <functional>
#include <thread>

using blogen::testing::Child;
using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

// Waits for a condition another process makes true, giving up after a generous deadline.
bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// Stops `worker` at a moment it holds no write lock on the store: a process stopped inside a write transaction (a
// lease renewal, say) keeps the lock and blocks every other process, which is not the case this test is about.
// The probe asks for the write lock without waiting; while it is busy, the worker runs on a little and is stopped
// again.
bool stop_outside_a_write(const Child& worker, const Sandbox& sandbox) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    worker.signal(SIGSTOP);
    // SQLite: the probe asks for the file's write lock. PostgreSQL: the writer lock is an advisory lock, visible in
    // pg_locks (exit 0 when nobody holds it, 1 when someone does, like the probe).
    const auto probe = sandbox.on_postgresql()
                           ? blogen::testing::spawn(
                                 {"/bin/sh", "-c",
                                  "test \"$(psql -qXAt -d \"$1\" -c \"SELECT count(*) FROM pg_locks WHERE "
                                  "locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE "
                                  "datname = current_database())\")\" = 0",
                                  "probe", sandbox.store_location()},
                                 {{"PATH", "/usr/bin:/bin"}})
                                 .wait()
                           : blogen::testing::spawn({STORE_LOCK_PROBE_BINARY, sandbox.store().string()}, {}).wait();
    if (probe.exit_code == 0) return true;
    INFO(probe.err);
    REQUIRE(probe.exit_code == 1); // busy; anything else is a broken store
    worker.signal(SIGCONT);
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + attempt));
  }
  return false;
}

nlohmann::json show(const Sandbox& sandbox, const std::vector<std::string>& args) {
  const auto result = sandbox.run(args);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return result.json();
}

} // namespace

TEST_CASE("cancelling a queued job cancels its post") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto created = show(sandbox, {"blog", "create", "--topic", "ok", "--detach", "--json"});
  const auto job = std::to_string(created["job_id"].get<std::int64_t>());
  REQUIRE(sandbox.run({"job", "cancel", job}).exit_code == 0);
  CHECK(show(sandbox, {"job", "show", job, "--json"})["job"]["status"] == "cancelled");
  CHECK(show(sandbox, {"blog", "show", "1", "--json"})["status"] == "cancelled");
  REQUIRE(sandbox.run({"job", "retry", job}).exit_code == 0);
  CHECK(show(sandbox, {"blog", "show", "1", "--json"})["status"] == "pending");
}

TEST_CASE("a worker stopped past its lease writes nothing once another worker completed the job") {
  // The first request stalls; every later one answers at once.
  Sandbox sandbox(BLOGEN_BINARY);
  const auto script = sandbox.write_file("script.json", R"({"responses": [{"kind": "ok", "delay_ms": 120000}]})");
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--script", script.string()});
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox
              .run({"provider", "add", "local", "--kind", "openai", "--base-url", server.base_url(), "--model",
                    "fake-gpt", "--no-key", "--max-attempts", "1"})
              .exit_code == 0);
  const auto created =
      show(sandbox, {"blog", "create", "--topic", "Lease", "--provider", "local", "--detach", "--json"});
  const auto job = std::to_string(created["job_id"].get<std::int64_t>());
  sandbox.set_env("BLOGEN_LEASE_SECONDS", "2");

  Child a = sandbox.start({"worker", "--until-idle"});
  REQUIRE(a.wait_for_stderr("job " + job + " started"));
  REQUIRE(eventually(
      [&] { return nlohmann::json::parse(blogen::testing::http_get(server.port, "/_stats"))["in_flight"] == 1; }));
  REQUIRE(stop_outside_a_write(a, sandbox)); // A holds the job and its stalled request, and renews nothing

  const auto b = sandbox.run({"worker", "--until-idle", "--json"}); // takes over once A's lease ends
  INFO(b.err);
  REQUIRE(b.exit_code == 0);
  CHECK(b.json()["completed"] == 1);
  CHECK(show(sandbox, {"blog", "show", "1", "--json"})["status"] == "completed");

  a.signal(SIGCONT); // A finds its lease gone and stops
  const auto a_done = a.wait();
  INFO(a_done.err);
  CHECK(a_done.exit_code == 0);

  const auto job_doc = show(sandbox, {"job", "show", job, "--json"})["job"];
  const auto post = show(sandbox, {"blog", "show", "1", "--json"});
  CHECK(job_doc["status"] == "completed");
  CHECK(post["status"] == "completed");
  CHECK(post["status"] == job_doc["status"]);
}

TEST_CASE("a worker cancels the queued jobs of a disabled account, saying why, instead of running them") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("admin") == 0); // the first account is an admin
  REQUIRE(sandbox.login_as("bob") == 0);
  const auto created = show(sandbox, {"blog", "create", "--topic", "Queued before", "--detach", "--json"});
  const auto job_id = created["job_id"].get<std::int64_t>();
  REQUIRE(sandbox.login_as("admin") == 0);
  REQUIRE(sandbox.run({"user", "disable", "bob"}).exit_code == 0);

  const auto worker = sandbox.run({"worker", "--until-idle", "--json"});
  INFO(worker.err);
  REQUIRE(worker.exit_code == 0);
  CHECK(worker.json()["completed"] == 0);

  const auto jobs = show(sandbox, {"job", "list", "--all-users", "--json"})["jobs"];
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0]["id"] == job_id);
  CHECK(jobs[0]["status"] == "cancelled");
  CHECK_THAT(jobs[0]["error"].get<std::string>(), Catch::Contains("disabled or deleted"));
  const auto posts = show(sandbox, {"blog", "list", "--all-users", "--json"});
  REQUIRE(posts.size() == 1);
  CHECK(posts[0]["status"] == "cancelled");
}
