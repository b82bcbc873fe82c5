// Jobs and workers through the real binary: several worker processes on one store, crash recovery after a
// SIGKILL, SIGINT, job wait/watch/cancel/retry, ownership, and plain (escape-free) output off a terminal.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <csignal>
#include <map>
#include <set>
#include <sstream>

using blogen::testing::Child;
using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

// Queues a post with `blog create --detach` and returns its job id.
std::int64_t queue_post(const Sandbox& sandbox, const std::string& topic, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"blog", "create", "--topic", topic, "--detach", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto result = sandbox.run(args);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  const auto doc = result.json();
  REQUIRE(doc.contains("job_id"));
  return doc["job_id"].get<std::int64_t>();
}

nlohmann::json job_of(const Sandbox& sandbox, std::int64_t id) {
  const auto result = sandbox.run({"job", "show", std::to_string(id), "--json"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return result.json()["job"];
}

std::vector<nlohmann::json> ndjson_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

// A provider served by the fake OpenAI server with a fixed latency, so jobs are in flight long enough to be hit.
void add_slow_provider(const Sandbox& sandbox, const blogen::testing::FakeServer& server) {
  REQUIRE(sandbox
              .run({"provider", "add", "slow", "--kind", "openai", "--base-url", server.base_url(), "--model",
                    "fake-gpt", "--no-key", "--max-attempts", "1"})
              .exit_code == 0);
}

} // namespace

TEST_CASE("job commands need a login") {
  Sandbox sandbox(BLOGEN_BINARY);
  CHECK(sandbox.run({"job", "list"}).exit_code == 4);
  CHECK(sandbox.run({"worker", "--until-idle"}).exit_code == 4);
  CHECK(sandbox.run({"job", "wait", "1"}).exit_code == 4);
}

TEST_CASE("bad flag values are usage errors") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  CHECK(sandbox.run({"job", "list", "--status", "done"}).exit_code == 2);
  CHECK(sandbox.run({"worker", "--concurrency", "0"}).exit_code == 2);
  const auto job = queue_post(sandbox, "Tea");
  const auto bad_timeout = sandbox.run({"job", "wait", std::to_string(job), "--timeout", "soon"});
  CHECK(bad_timeout.exit_code == 2);
  CHECK_THAT(bad_timeout.err, Catch::Contains("--timeout"));
}

TEST_CASE("three worker processes on one store finish 30 jobs, each exactly once") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  std::set<std::int64_t> ids;
  for (int i = 0; i < 30; ++i)
    ids.insert(queue_post(sandbox, "Topic number " + std::to_string(i)));
  REQUIRE(ids.size() == 30);

  std::vector<Child> workers;
  for (int i = 0; i < 3; ++i) {
    workers.push_back(sandbox.start({"worker", "--until-idle", "--concurrency", "3", "--json"}));
  }
  int completed = 0;
  for (auto& worker : workers) {
    const auto result = worker.wait();
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    completed += result.json()["completed"].get<int>();
    CHECK(result.json()["failed"] == 0);
  }
  CHECK(completed == 30); // the workers' own accounts: no job was completed twice

  const auto list = sandbox.run({"job", "list", "--json", "--limit", "100"});
  REQUIRE(list.exit_code == 0);
  const auto listed = list.json();
  REQUIRE(listed["jobs"].size() == 30);
  for (const auto& job : listed["jobs"]) {
    INFO(job.dump());
    CHECK(job["status"] == "completed");
    CHECK(job["attempts"] == 1); // claimed once
  }
  for (auto id : {*ids.begin(), *ids.rbegin()}) {
    const auto job = job_of(sandbox, id);
    CHECK(job["log"].size() == 1); // one provider call per job
    CHECK(job["finished_at"].is_string());
  }
}

TEST_CASE("a worker killed mid-job: after the lease ends another worker completes the job once") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--latency-ms", "1500"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  add_slow_provider(sandbox, server);
  const auto id = queue_post(sandbox, "Crash recovery", {"--provider", "slow"});
  sandbox.set_env("BLOGEN_LEASE_SECONDS", "2");

  Child doomed = sandbox.start({"worker"});
  REQUIRE(doomed.wait_for_stderr("job " + std::to_string(id) + " started"));
  doomed.signal(SIGKILL);
  CHECK(doomed.wait().exit_code == 128 + SIGKILL);
  auto job = job_of(sandbox, id);
  CHECK(job["status"] == "in_progress"); // its lease still names the dead worker

  const auto rescuer = sandbox.run({"worker", "--until-idle", "--json"});
  INFO(rescuer.err);
  REQUIRE(rescuer.exit_code == 0);
  CHECK(rescuer.json()["completed"] == 1);
  job = job_of(sandbox, id);
  CHECK(job["status"] == "completed");
  CHECK(job["attempts"] == 2);
  int ok_calls = 0;
  for (const auto& entry : job["log"])
    ok_calls += entry["status"] == "ok" ? 1 : 0;
  CHECK(ok_calls == 1);
}

TEST_CASE("SIGINT stops a worker with exit 130 and leaves its jobs queued") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--latency-ms", "3000"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  add_slow_provider(sandbox, server);
  const auto first = queue_post(sandbox, "Interrupted one", {"--provider", "slow"});
  const auto second = queue_post(sandbox, "Interrupted two", {"--provider", "slow"});

  Child worker = sandbox.start({"worker", "--concurrency", "1"});
  REQUIRE(worker.wait_for_stderr("started"));
  worker.signal(SIGINT);
  const auto result = worker.wait();
  INFO(result.err);
  CHECK(result.exit_code == 130);
  for (auto id : {first, second}) {
    const auto job = job_of(sandbox, id);
    CHECK(job["status"] == "pending");
    CHECK(job["attempts"] == 0);
  }
}

TEST_CASE("job wait: exit 1 on timeout, 0 once the job completed") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto id = std::to_string(queue_post(sandbox, "Waiting"));
  auto waited = sandbox.run({"job", "wait", id, "--timeout", "0.5"});
  CHECK(waited.exit_code == 1);
  CHECK_THAT(waited.err, Catch::Contains("timed out"));
  waited = sandbox.run({"job", "wait", id, "--timeout", "1", "--json"});
  CHECK(waited.exit_code == 1);
  CHECK(waited.json()["timed_out"] == true);

  REQUIRE(sandbox.run({"worker", "--until-idle"}).exit_code == 0);
  waited = sandbox.run({"job", "wait", id, "--json"});
  CHECK(waited.exit_code == 0);
  CHECK(waited.json()["all_completed"] == true);
  CHECK(waited.json()["jobs"][0]["status"] == "completed");
}

TEST_CASE("job watch --json streams status changes until the jobs finish") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto id = queue_post(sandbox, "Watched");
  Child watch = sandbox.start({"job", "watch", std::to_string(id), "--json"});
  const auto first = watch.read_line();
  REQUIRE(first);
  CHECK(nlohmann::json::parse(*first)["status"] == "pending");
  REQUIRE(sandbox.run({"worker", "--until-idle"}).exit_code == 0);
  const auto result = watch.wait();
  CHECK(result.exit_code == 0);
  const auto lines = ndjson_lines(result.out);
  REQUIRE_FALSE(lines.empty());
  CHECK(lines.back()["job_id"] == id);
  CHECK(lines.back()["status"] == "completed");
}

TEST_CASE("cancel a pending job, then retry it") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto id = std::to_string(queue_post(sandbox, "Changed my mind"));
  auto cancelled = sandbox.run({"job", "cancel", id, "--json"});
  REQUIRE(cancelled.exit_code == 0);
  CHECK(cancelled.json()["status"] == "cancelled");
  CHECK(sandbox.run({"job", "cancel", id}).exit_code == 1); // finished already
  CHECK(sandbox.run({"job", "wait", id}).exit_code == 1);   // cancelled is not completed

  const auto retried = sandbox.run({"job", "retry", id, "--json"});
  REQUIRE(retried.exit_code == 0);
  CHECK(retried.json()["job"]["status"] == "pending");
  CHECK(sandbox.run({"job", "retry", id}).exit_code == 1); // only failed or cancelled jobs
  REQUIRE(sandbox.run({"worker", "--until-idle"}).exit_code == 0);
  CHECK(sandbox.run({"job", "wait", id}).exit_code == 0);
}

TEST_CASE("another user's job is not found") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto id = std::to_string(queue_post(sandbox, "Ann's post"));
  REQUIRE(sandbox.login_as("bob") == 0);
  for (const auto& command : std::vector<std::vector<std::string>>{{"job", "show", id},
                                                                   {"job", "wait", id, "--timeout", "1"},
                                                                   {"job", "watch", id},
                                                                   {"job", "cancel", id},
                                                                   {"job", "retry", id}}) {
    INFO(command[1]);
    CHECK(sandbox.run(command).exit_code == 3);
  }
  const auto list = sandbox.run({"job", "list", "--json"});
  REQUIRE(list.exit_code == 0);
  CHECK(list.json()["jobs"].empty());
  // Bob's worker does not run Ann's job either.
  REQUIRE(sandbox.run({"worker", "--until-idle"}).exit_code == 0);
  REQUIRE(sandbox.login_as("ann") == 0);
  CHECK(job_of(sandbox, std::stoll(id))["status"] == "pending");
}

TEST_CASE("off a terminal the worker prints plain lines without escape sequences") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto id = queue_post(sandbox, "Plain output");
  const auto result = sandbox.run({"worker", "--until-idle"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.err, Catch::Contains("job " + std::to_string(id) + " completed (post"));
  CHECK_THAT(result.out, Catch::Contains("worker: 1 completed, 0 failed"));
  CHECK(result.err.find('\x1b') == std::string::npos);
  CHECK(result.out.find('\x1b') == std::string::npos);
  CHECK(result.err.find('\r') == std::string::npos);

  const auto shown = sandbox.run({"job", "show", std::to_string(id)});
  REQUIRE(shown.exit_code == 0);
  CHECK_THAT(shown.out, Catch::Contains("attempts:  1 of") && Catch::Contains("duration:"));
  CHECK(shown.out.find('\x1b') == std::string::npos);

  const auto quiet = sandbox.run({"worker", "--until-idle", "--no-progress"});
  CHECK(quiet.err.empty());
}

TEST_CASE("worker --json writes NDJSON progress events on stderr and one summary on stdout") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto id = queue_post(sandbox, "Events");
  const auto result = sandbox.run({"worker", "--until-idle", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["completed"] == 1);
  std::vector<std::string> events;
  for (const auto& line : ndjson_lines(result.err)) {
    CHECK(line["job_id"] == id);
    events.push_back(line["event"]);
  }
  CHECK(events == std::vector<std::string>{"started", "completed"});
}
