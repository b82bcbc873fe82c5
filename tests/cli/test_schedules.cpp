// Schedules through the real binary: bad --cron/--at/--tz, DST in a real zone with a pinned clock (BLOGEN_NOW),
// two run-due processes at once (exactly one job per occurrence), pause/resume, ownership, and the crontab line
// run the way cron runs it (env -i, cron's PATH, no terminal) with a runner token that can be revoked.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sys/stat.h>

using blogen::testing::RunResult;
using blogen::testing::Sandbox;

namespace {

RunResult run_at(Sandbox& sandbox, const std::string& now, const std::vector<std::string>& args) {
  sandbox.set_env("BLOGEN_NOW", now);
  RunResult result = sandbox.run(args);
  sandbox.set_env("BLOGEN_NOW", std::nullopt);
  return result;
}

std::int64_t add(Sandbox& sandbox, const std::string& now, std::vector<std::string> args) {
  args.insert(args.begin(), {"schedule", "add"});
  args.push_back("--json");
  const RunResult result = run_at(sandbox, now, args);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return result.json()["id"].get<std::int64_t>();
}

nlohmann::json show(const Sandbox& sandbox, std::int64_t id) {
  const RunResult result = sandbox.run({"schedule", "show", std::to_string(id), "--json"});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return result.json();
}

std::size_t job_count(const Sandbox& sandbox) {
  const RunResult result = sandbox.run({"job", "list", "--json"});
  REQUIRE(result.exit_code == 0);
  return result.json()["jobs"].size();
}

std::vector<std::string> upcoming_utc(const nlohmann::json& schedule) {
  std::vector<std::string> times;
  for (const auto& entry : schedule["upcoming"])
    times.push_back(entry["at"].get<std::string>());
  return times;
}

} // namespace

TEST_CASE("schedule commands need a login") {
  Sandbox sandbox(BLOGEN_BINARY);
  CHECK(sandbox.run({"schedule", "list"}).exit_code == 4);
  CHECK(sandbox.run({"schedule", "run-due"}).exit_code == 4);
  CHECK(sandbox.run({"schedule", "crontab"}).exit_code == 4);
}

TEST_CASE("a bad --cron, --tz or --at names the flag and stores nothing") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto bad_cron = sandbox.run({"schedule", "add", "--cron", "61 * * * *", "--topic", "Bread"});
  CHECK(bad_cron.exit_code == 6);
  CHECK_THAT(bad_cron.err, Catch::Contains("--cron") && Catch::Contains("minute") && Catch::Contains("61"));
  const auto bad_names = sandbox.run({"schedule", "add", "--cron", "0 9 * * FUN", "--topic", "Bread"});
  CHECK(bad_names.exit_code == 6);
  CHECK_THAT(bad_names.err, Catch::Contains("day-of-week"));
  const auto bad_zone =
      sandbox.run({"schedule", "add", "--cron", "@daily", "--tz", "Europe/Atlantis", "--topic", "Bread"});
  CHECK(bad_zone.exit_code == 6);
  CHECK_THAT(bad_zone.err, Catch::Contains("--tz") && Catch::Contains("Europe/Atlantis"));
  const auto bad_at = sandbox.run({"schedule", "add", "--at", "next tuesday", "--topic", "Bread"});
  CHECK(bad_at.exit_code == 6);
  CHECK_THAT(bad_at.err, Catch::Contains("--at"));
  const auto past = run_at(sandbox, "2026-05-01T12:00:00Z",
                           {"schedule", "add", "--at", "2026-05-01 09:00", "--tz", "UTC", "--topic", "Bread"});
  CHECK(past.exit_code == 2);
  CHECK_THAT(past.err, Catch::Contains("--at") && Catch::Contains("past"));
  const auto both = sandbox.run({"schedule", "add", "--cron", "@daily", "--now", "--topic", "Bread"});
  CHECK(both.exit_code == 2);
  const auto bad_words = sandbox.run({"schedule", "add", "--cron", "@daily", "--topic", "Bread", "--words", "5"});
  CHECK(bad_words.exit_code == 2);
  CHECK_THAT(bad_words.err, Catch::Contains("--words"));
  CHECK(sandbox.run({"schedule", "list", "--json"}).json().empty());
  CHECK(job_count(sandbox) == 0);
}

TEST_CASE("Europe/Berlin across both DST changes: the skipped hour fires once after the gap, the doubled one once") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  // 02:30 does not exist on 2026-03-29 (02:00 CET -> 03:00 CEST): it fires at 03:00 CEST = 01:00Z.
  const auto spring =
      add(sandbox, "2026-03-28T12:00:00Z", {"--cron", "30 2 * * *", "--tz", "Europe/Berlin", "--topic", "Spring"});
  CHECK(upcoming_utc(show(sandbox, spring)) == std::vector<std::string>{"2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z",
                                                                        "2026-03-31T00:30:00Z", "2026-04-01T00:30:00Z",
                                                                        "2026-04-02T00:30:00Z"});
  const auto local = show(sandbox, spring)["upcoming"][0]["local"].get<std::string>();
  CHECK(local == "2026-03-29 03:00 CEST");
  CHECK(run_at(sandbox, "2026-03-29T00:59:00Z", {"schedule", "run-due"}).exit_code == 0);
  CHECK(job_count(sandbox) == 0);
  const auto fired = run_at(sandbox, "2026-03-29T01:00:20Z", {"schedule", "run-due"});
  INFO(fired.err);
  CHECK(fired.exit_code == 0);
  CHECK(fired.out.empty()); // quiet on success
  CHECK(job_count(sandbox) == 1);
  CHECK(run_at(sandbox, "2026-03-29T01:01:00Z", {"schedule", "run-due"}).exit_code == 0);
  CHECK(job_count(sandbox) == 1);
  REQUIRE(sandbox.run({"schedule", "remove", std::to_string(spring)}).exit_code == 0);

  // 02:30 happens twice on 2026-10-25 (03:00 CEST -> 02:00 CET): it fires once, at 02:30 CEST = 00:30Z.
  const auto autumn =
      add(sandbox, "2026-10-24T12:00:00Z", {"--cron", "30 2 * * *", "--tz", "Europe/Berlin", "--topic", "Autumn"});
  CHECK(upcoming_utc(show(sandbox, autumn))[0] == "2026-10-25T00:30:00Z");
  CHECK(upcoming_utc(show(sandbox, autumn))[1] == "2026-10-26T01:30:00Z");
  CHECK(run_at(sandbox, "2026-10-25T00:30:05Z", {"schedule", "run-due"}).exit_code == 0);
  CHECK(run_at(sandbox, "2026-10-25T01:30:05Z", {"schedule", "run-due"}).exit_code == 0); // 02:30 CET
  CHECK(job_count(sandbox) == 2);
  const auto runs = show(sandbox, autumn)["runs"];
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]["occurrence_at"] == "2026-10-25T00:30:00Z");
  CHECK(runs[0]["job_status"] == "completed");
  CHECK(show(sandbox, autumn)["next_run_at"] == "2026-10-26T01:30:00Z");
}

TEST_CASE("two run-due processes at once fire every occurrence exactly once") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    ids.push_back(add(sandbox, "2026-06-01T08:00:00Z",
                      {"--cron", "0 9 * * *", "--tz", "UTC", "--topic", "Topic " + std::to_string(i)}));
  }
  sandbox.set_env("BLOGEN_NOW", "2026-06-01T09:00:10Z");
  auto first = sandbox.start({"schedule", "run-due", "--json"});
  auto second = sandbox.start({"schedule", "run-due", "--json"});
  const RunResult a = first.wait();
  const RunResult b = second.wait();
  sandbox.set_env("BLOGEN_NOW", std::nullopt);
  INFO(a.err << b.err);
  CHECK(a.exit_code == 0);
  CHECK(b.exit_code == 0);
  CHECK(a.json()["runs"].size() + b.json()["runs"].size() == ids.size());
  CHECK(job_count(sandbox) == ids.size());
  for (const auto id : ids) {
    const auto runs = show(sandbox, id)["runs"];
    REQUIRE(runs.size() == 1);
    CHECK(runs[0]["status"] == "queued");
    CHECK(runs[0]["job_status"] == "completed");
  }
}

TEST_CASE("pause, resume, missed occurrences and dry runs") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto id = add(sandbox, "2026-06-01T08:00:00Z", {"--cron", "0 * * * *", "--tz", "UTC", "--topic", "Hourly"});
  REQUIRE(sandbox.run({"schedule", "pause", std::to_string(id)}).exit_code == 0);
  CHECK(sandbox.run({"schedule", "pause", std::to_string(id)}).exit_code == 2);
  CHECK(run_at(sandbox, "2026-06-01T09:00:10Z", {"schedule", "run-due"}).exit_code == 0);
  CHECK(job_count(sandbox) == 0);
  CHECK(show(sandbox, id)["state"] == "paused");
  REQUIRE(run_at(sandbox, "2026-06-01T09:30:00Z", {"schedule", "resume", std::to_string(id)}).exit_code == 0);
  CHECK(show(sandbox, id)["next_run_at"] == "2026-06-01T10:00:00Z");

  // Off from 09:30 to 12:30: 10, 11 and 12 o'clock missed; no --catch-up, so all skipped.
  const auto dry = run_at(sandbox, "2026-06-01T12:30:00Z", {"schedule", "run-due", "--dry-run"});
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.out, Catch::Contains("would skip"));
  CHECK(show(sandbox, id)["runs"].empty()); // the dry run wrote nothing
  CHECK(run_at(sandbox, "2026-06-01T12:30:00Z", {"schedule", "run-due"}).exit_code == 0);
  CHECK(job_count(sandbox) == 0);
  const auto runs = show(sandbox, id)["runs"];
  REQUIRE(runs.size() == 3);
  for (const auto& run : runs)
    CHECK(run["status"] == "skipped");
  const auto human = sandbox.run({"schedule", "show", std::to_string(id)});
  CHECK_THAT(human.out, Catch::Contains("skipped") && Catch::Contains("next runs:"));
}

TEST_CASE("another user's schedules are invisible and never run") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto id = add(sandbox, "2026-06-01T08:00:00Z", {"--cron", "0 9 * * *", "--tz", "UTC", "--topic", "Ann's"});
  REQUIRE(sandbox.login_as("bob") == 0);
  CHECK(sandbox.run({"schedule", "list", "--json"}).json().empty());
  for (const char* verb : {"show", "pause", "resume", "remove"}) {
    const auto result = sandbox.run({"schedule", verb, std::to_string(id)});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Catch::Contains("not found"));
  }
  CHECK(run_at(sandbox, "2026-06-01T09:00:10Z", {"schedule", "run-due"}).exit_code == 0);
  CHECK(job_count(sandbox) == 0);
}

TEST_CASE("the crontab line works in cron's bare environment, and a revoked runner token is refused") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"schedule", "add", "--now", "--topic", "Cron", "--name", "from cron"}).exit_code == 0);
  const RunResult setup = sandbox.run({"schedule", "crontab", "--json"});
  INFO(setup.err);
  REQUIRE(setup.exit_code == 0);
  const auto doc = setup.json();
  const std::string line = doc["crontab_line"];
  const std::string command = doc["command"];
  const std::filesystem::path token_file = doc["token_file"].get<std::string>();
  CHECK(token_file == sandbox.config_dir() / "runner-token");
  struct stat info {};
  REQUIRE(::stat(token_file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  const std::string token = blogen::testing::read_bytes(token_file).substr(0, 68);
  CHECK(token.rfind("blg_", 0) == 0);
  CHECK(line.find(token) == std::string::npos);
  CHECK(line.rfind("* * * * * BLOGEN_DB=", 0) == 0);
  CHECK_THAT(line, Catch::Contains(sandbox.store_location()) && Catch::EndsWith("schedule run-due"));

  // What cron does: sh -c with a bare environment and cron's PATH, no terminal.
  const auto as_cron = [&] {
    return blogen::testing::spawn({"/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "/bin/sh", "-c", command}, {}).wait();
  };
  const RunResult ran = as_cron();
  INFO(ran.err);
  CHECK(ran.exit_code == 0);
  CHECK(ran.out.empty());
  CHECK(ran.err.empty());
  const auto jobs = sandbox.run({"job", "list", "--json"}).json()["jobs"];
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0]["status"] == "completed");

  // The runner token runs only run-due and worker.
  sandbox.set_env("BLOGEN_TOKEN_FILE", token_file.string());
  const auto refused = sandbox.run({"blog", "list"});
  sandbox.set_env("BLOGEN_TOKEN_FILE", std::nullopt);
  CHECK(refused.exit_code == 4);
  CHECK_THAT(refused.err, Catch::Contains("runner token"));
  REQUIRE(sandbox.run({"blog", "create", "--topic", "For the worker", "--detach"}).exit_code == 0);
  sandbox.set_env("BLOGEN_TOKEN_FILE", token_file.string());
  const auto worked = sandbox.run({"worker", "--until-idle", "--no-progress"});
  sandbox.set_env("BLOGEN_TOKEN_FILE", std::nullopt);
  INFO(worked.err);
  CHECK(worked.exit_code == 0);
  // Kept in a variable: a range-for over ["jobs"] of a temporary document would read freed memory.
  const auto listed = sandbox.run({"job", "list", "--json"}).json();
  REQUIRE_FALSE(listed.at("jobs").empty());
  for (const auto& job : listed.at("jobs"))
    CHECK(job["status"] == "completed");

  // Listed and revoked with the session commands.
  const auto sessions = sandbox.run({"session", "list", "--json"}).json();
  REQUIRE(sessions.size() == 2);
  const auto runner = sessions[0]["kind"] == "runner" ? sessions[0] : sessions[1];
  CHECK(runner["kind"] == "runner");
  CHECK(runner["expires_at"].is_null());
  CHECK(runner["id"] == doc["session_id"]);
  REQUIRE(sandbox.run({"session", "revoke", std::to_string(runner["id"].get<std::int64_t>())}).exit_code == 0);
  const RunResult revoked = as_cron();
  CHECK(revoked.exit_code == 4);
  CHECK_THAT(revoked.err, Catch::Contains("revoked"));

  // A new crontab set-up works again; `logout --all` ends it with every other session.
  const RunResult again = sandbox.run({"schedule", "crontab", "--json"});
  REQUIRE(again.exit_code == 0);
  CHECK(again.json()["command"] == command); // same paths, new token in the same file
  CHECK(as_cron().exit_code == 0);
  REQUIRE(sandbox.run({"logout", "--all"}).exit_code == 0);
  CHECK(as_cron().exit_code == 4);
}

TEST_CASE("another user's session cannot be revoked") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto ann = sandbox.run({"session", "list", "--json"}).json();
  REQUIRE(ann.size() == 1);
  CHECK(ann[0]["current"] == true);
  REQUIRE(sandbox.login_as("bob") == 0);
  const auto result = sandbox.run({"session", "revoke", std::to_string(ann[0]["id"].get<std::int64_t>())});
  CHECK(result.exit_code == 3);
}

TEST_CASE("BLOGEN_NOW is for tests: not in --help") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto help = sandbox.run({"--help-all"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("BLOGEN_NOW") == std::string::npos);
  CHECK_THAT(help.out, Catch::Contains("run-due"));
}

TEST_CASE("a run whose job fails: one line on stderr, exit 1, recorded as failed and not fired again") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  // Its key variable is not set in run-due's environment: the job fails at call time, before any request.
  REQUIRE(sandbox
              .run({"provider", "add", "keyed", "--base-url", "http://127.0.0.1:1/v1", "--model", "m", "--api-key-env",
                    "BLOGEN_TEST_SCHEDULE_KEY", "--max-attempts", "1"})
              .exit_code == 0);
  const auto id = add(sandbox, "2026-06-01T08:00:00Z",
                      {"--cron", "0 9 * * *", "--tz", "UTC", "--topic", "Keys", "--provider", "keyed"});
  const RunResult failed = run_at(sandbox, "2026-06-01T09:00:10Z", {"schedule", "run-due"});
  CHECK(failed.exit_code == 1);
  CHECK(failed.out.empty());
  CHECK(std::count(failed.err.begin(), failed.err.end(), '\n') == 1);
  CHECK_THAT(failed.err,
             Catch::StartsWith("blogen: error: schedule " + std::to_string(id) + ", 2026-06-01 09:00 UTC") &&
                 Catch::Contains("failed") && Catch::Contains("BLOGEN_TEST_SCHEDULE_KEY is not set"));
  CHECK(failed.err.find("(schedule ") == std::string::npos); // an unnamed schedule is named once
  const auto shown = show(sandbox, id);
  REQUIRE(shown["runs"].size() == 1);
  CHECK(shown["runs"][0]["status"] == "failed");
  CHECK(shown["runs"][0]["job_status"] == "failed");
  CHECK(shown["state"] == "active");
  const auto human = sandbox.run({"schedule", "show", std::to_string(id)});
  CHECK_THAT(human.out, Catch::Contains("failed") && Catch::Contains("BLOGEN_TEST_SCHEDULE_KEY is not set"));
  // The failed occurrence is not fired again.
  const RunResult again = run_at(sandbox, "2026-06-01T09:05:00Z", {"schedule", "run-due"});
  CHECK(again.exit_code == 0);
  CHECK(again.err.empty());
  CHECK(job_count(sandbox) == 1);
}

TEST_CASE("a campaign schedule with --file queues a batch from the file, read again at every run") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const RunResult campaign = sandbox.run({"campaign", "create", "--name", "Launch", "--brand", "Zephyr", "--json"});
  REQUIRE(campaign.exit_code == 0);
  const std::string campaign_id = std::to_string(campaign.json()["id"].get<std::int64_t>());
  const auto rows = sandbox.write_file("posts.csv", "topic\nGears\nBrakes\n");
  const auto id = add(sandbox, "2026-06-01T08:00:00Z",
                      {"--cron", "0 9 * * *", "--tz", "UTC", "--campaign", campaign_id, "--file", rows.string(),
                       "--name", "daily batch"});
  CHECK(run_at(sandbox, "2026-06-01T09:00:10Z", {"schedule", "run-due"}).exit_code == 0);
  sandbox.write_file("posts.csv", "topic\nGears\nBrakes\nChains\n");
  CHECK(run_at(sandbox, "2026-06-02T09:00:10Z", {"schedule", "run-due"}).exit_code == 0);
  const auto runs = show(sandbox, id)["runs"];
  REQUIRE(runs.size() == 2);
  for (const auto& run : runs) {
    CHECK(run["status"] == "queued");
    CHECK(run["batch_id"].is_number());
  }
  const auto batches = sandbox.run({"campaign", "batches", campaign_id, "--json"}).json();
  REQUIRE(batches.size() == 2);
  std::vector<std::int64_t> totals;
  for (const auto& batch : batches) {
    CHECK(batch["counts"]["completed"] == batch["counts"]["total"]); // run-due wrote them
    CHECK_THAT(batch["name"].get<std::string>(), Catch::StartsWith("daily batch "));
    totals.push_back(batch["counts"]["total"].get<std::int64_t>());
  }
  std::sort(totals.begin(), totals.end());
  CHECK(totals == std::vector<std::int64_t>{2, 3});
}
