// The store file through the real binary: `store check`, `store backup` (and restoring from a backup taken while a
// batch runs), `doctor`'s integrity check, and the message a damaged store gets.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

using blogen::testing::RunResult;
using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

std::string queue_batch(const Sandbox& sandbox, int posts) {
  const RunResult campaign = sandbox.run({"campaign", "create", "--name", "Spring", "--brand", "Zephyr", "--json"});
  REQUIRE(campaign.exit_code == 0);
  const RunResult run = sandbox.run({"campaign", "run", std::to_string(campaign.json()["id"].get<std::int64_t>()),
                                     "--count", std::to_string(posts), "--detach", "--json"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  return std::to_string(run.json()["id"].get<std::int64_t>());
}

nlohmann::json batch_counts(const Sandbox& sandbox, const std::string& batch, const std::string& db = {}) {
  std::vector<std::string> args = {"batch", "show", batch, "--json"};
  if (!db.empty()) args.insert(args.end(), {"--db", db});
  const RunResult shown = sandbox.run(args);
  INFO(shown.err);
  REQUIRE(shown.exit_code == 0);
  return shown.json()["counts"];
}

std::set<std::int64_t> completed_posts(const Sandbox& sandbox, const std::string& db = {}) {
  std::vector<std::string> args = {"blog", "list", "--status", "completed", "--limit", "1000", "--json"};
  if (!db.empty()) args.insert(args.end(), {"--db", db});
  const RunResult listed = sandbox.run(args);
  INFO(listed.err);
  REQUIRE(listed.exit_code == 0);
  std::set<std::int64_t> ids;
  for (const auto& post : listed.json())
    ids.insert(post["id"].get<std::int64_t>());
  return ids;
}

// Runs `statement` on the store as someone with the sqlite3 shell would, outside blogen.
void edit_outside_blogen(const std::filesystem::path& store, const std::string& statement) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  const int result = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  REQUIRE(result == SQLITE_OK);
}

// Overwrites the middle of the store file (the posts' pages) with garbage, as a failing disk would.
void damage(const std::filesystem::path& store) {
  std::fstream file(store, std::ios::in | std::ios::out | std::ios::binary);
  REQUIRE(file);
  // Three places, so the damage hits the posts whatever the drafts' length puts where.
  const auto size = std::filesystem::file_size(store);
  const std::string garbage(16384, '\x5a');
  for (const auto at : {size / 4, size / 2, size * 3 / 4}) {
    file.seekp(static_cast<std::streamoff>(at));
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
}

} // namespace

TEST_CASE("store check and store backup on a sound store", "[sqlite-only]") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Backups", "-q"}).exit_code == 0);

  const RunResult check = sandbox.run({"store", "check", "--json"});
  INFO(check.err);
  REQUIRE(check.exit_code == 0);
  CHECK(check.json()["ok"] == true);
  CHECK(check.json()["check"] == "integrity_check");
  CHECK(check.json()["problems"].empty());
  CHECK(sandbox.run({"store", "check", "-q"}).out.empty());

  const auto copy = sandbox.dir() / "copy.db";
  const RunResult backup = sandbox.run({"store", "backup", copy.string(), "--json"});
  INFO(backup.err);
  REQUIRE(backup.exit_code == 0);
  CHECK(backup.json()["backup"] == copy.string());
  CHECK(backup.json()["bytes"].get<std::int64_t>() == static_cast<std::int64_t>(std::filesystem::file_size(copy)));
  CHECK(blogen::testing::read_bytes(copy).substr(0, 15) == "SQLite format 3");
  CHECK((std::filesystem::status(copy).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  CHECK(completed_posts(sandbox, copy.string()) == completed_posts(sandbox));

  const RunResult again = sandbox.run({"store", "backup", copy.string()});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains(copy.string()) && Catch::Contains("--force"));
  CHECK(sandbox.run({"store", "backup", copy.string(), "--force", "-q"}).exit_code == 0);
  const RunResult itself = sandbox.run({"store", "backup", sandbox.store().string()});
  CHECK(itself.exit_code == 2);
  CHECK_THAT(itself.err, Catch::Contains("store itself"));
  const RunResult wal = sandbox.run({"store", "backup", sandbox.store().string() + "-wal", "--force"});
  CHECK(wal.exit_code == 2);
  CHECK_THAT(wal.err, Catch::Contains("a file of the blogen store"));
  CHECK(sandbox.run({"store", "check"}).exit_code == 0);
  const RunResult missing = sandbox.run({"store", "check", "--db", (sandbox.dir() / "none.db").string()});
  CHECK(missing.exit_code == 3);
  CHECK_FALSE(std::filesystem::exists(sandbox.dir() / "none.db")); // checking never creates a store
  CHECK(sandbox.run({"store", "backup"}).exit_code == 2);
}

// The live posts are kept counted beside the posts (blog list's total): a count edited outside blogen is named, and
// --repair counts again instead of sending the user to a backup.
TEST_CASE("store check names a kept post count that differs from the posts, and --repair counts them again",
          "[sqlite-only]") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  for (const char* topic : {"One", "Two"})
    REQUIRE(sandbox.run({"blog", "create", "--topic", topic, "-q"}).exit_code == 0);
  edit_outside_blogen(sandbox.store(), "UPDATE post_counts SET live = 7");
  CHECK_THAT(sandbox.run({"blog", "list"}).err, Catch::Contains("Showing 2 of 7 posts")); // what it throws off

  const RunResult check = sandbox.run({"store", "check"});
  CHECK(check.exit_code == 1);
  CHECK_THAT(check.out, Catch::Contains("post counts: user 1's blog posts are counted as 7 but 2 are there"));
  CHECK_THAT(check.err, Catch::Contains("keeps post counts that differ from its posts") &&
                            Catch::Contains("store check --repair") && !Catch::Contains("restore the latest backup"));
  const RunResult doctor = sandbox.run({"doctor"});
  CHECK(doctor.exit_code == 1);
  CHECK_THAT(doctor.out + doctor.err,
             Catch::Contains("store check --repair") && !Catch::Contains("restore the latest"));

  const RunResult repaired = sandbox.run({"store", "check", "--repair", "--json"});
  INFO(repaired.err);
  CHECK(repaired.exit_code == 0);
  CHECK(repaired.json()["ok"] == true);
  CHECK(repaired.json()["recounted"] == 1);
  CHECK_THAT(sandbox.run({"blog", "list"}).err, !Catch::Contains("of 7"));
  CHECK(sandbox.run({"store", "check", "--json"}).json()["recounted"].is_null());
  CHECK(sandbox.run({"doctor"}).exit_code == 0);

  // Damage of another kind is not mended by counting: --repair writes nothing and says so.
  edit_outside_blogen(sandbox.store(), "UPDATE post_counts SET live = 9; DROP TRIGGER post_counts_update");
  const RunResult refused = sandbox.run({"store", "check", "--repair"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("beyond its post counts") && Catch::Contains("nothing was changed"));
  CHECK_THAT(sandbox.run({"blog", "list"}).err, Catch::Contains("Showing 2 of 9 posts")); // the count stayed as it was
}

TEST_CASE("a damaged store is named with what to do, never an unexpected failure", "[sqlite-only]") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  for (int i = 0; i < 40; ++i) {
    REQUIRE(sandbox.run({"blog", "create", "--topic", "Post number " + std::to_string(i), "--words", "600", "-q"})
                .exit_code == 0);
  }
  REQUIRE(sandbox.run({"store", "check"}).exit_code == 0);
  damage(sandbox.store());

  const RunResult check = sandbox.run({"store", "check", "--json"});
  CHECK(check.exit_code == 1);
  CHECK(check.json()["ok"] == false);
  CHECK_FALSE(check.json()["problems"].empty());

  const RunResult doctor = sandbox.run({"doctor", "--json"});
  INFO(doctor.out);
  CHECK(doctor.exit_code == 1);
  bool integrity_failed = false;
  const nlohmann::json report = doctor.json(); // kept alive: the loop below iterates a part of it
  for (const auto& item : report["checks"]) {
    if (item["name"] == "integrity") integrity_failed = item["ok"] == false;
  }
  CHECK(integrity_failed);

  const RunResult search = sandbox.run({"blog", "search", "number"});
  const RunResult listed = sandbox.run({"blog", "list", "--limit", "100"});
  // Export reads every post's text, wherever the damaged pages fall (their place depends on the drafts' length).
  const RunResult exported = sandbox.run({"blog", "export", "--all", "--out", (sandbox.dir() / "export").string()});
  for (const RunResult* result : {&search, &listed, &exported}) {
    INFO(result->err);
    if (result->exit_code == 0) continue; // a command that never reads a damaged page may still succeed
    CHECK(result->exit_code == 1);
    CHECK_THAT(result->err, Catch::Contains(sandbox.store().string()) && Catch::Contains("is damaged") &&
                                Catch::Contains("blogen store check"));
    CHECK_THAT(result->err, !Catch::Contains("unexpected failure"));
  }
  CHECK(search.exit_code + listed.exit_code + exported.exit_code > 0); // at least one of them reads the damage
}

TEST_CASE("a backup taken while workers run a batch restores every post completed before it", "[sqlite-only]") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--latency-ms", "30"});
  Sandbox sandbox(BLOGEN_BINARY);
  // Short leases, so the posts in flight at backup time come back quickly in the restored store.
  sandbox.set_env("BLOGEN_LEASE_SECONDS", "2");
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox
              .run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "m", "--no-key",
                    "--concurrency", "4", "--max-attempts", "1"})
              .exit_code == 0);
  REQUIRE(sandbox.run({"provider", "use", "fake"}).exit_code == 0);
  const std::string batch = queue_batch(sandbox, 120);

  auto worker = sandbox.start({"worker", "--until-idle", "--concurrency", "4"});
  // Wait (by polling, not by time) until the batch is under way, then back up while it goes on.
  while (batch_counts(sandbox, batch)["completed"].get<int>() < 10) {}
  const std::set<std::int64_t> done_before = completed_posts(sandbox);
  const auto copy = sandbox.dir() / "during.db";
  const RunResult backup = sandbox.run({"store", "backup", copy.string()});
  INFO(backup.err);
  REQUIRE(backup.exit_code == 0);
  const std::set<std::int64_t> done_after = completed_posts(sandbox);
  const RunResult finished = worker.wait();
  INFO(finished.err);
  REQUIRE(finished.exit_code == 0);
  REQUIRE(batch_counts(sandbox, batch)["completed"] == 120);

  // Restore: the backup is an ordinary store file (copy it over the store once no process uses it).
  std::filesystem::copy_file(copy, sandbox.store(), std::filesystem::copy_options::overwrite_existing);
  std::filesystem::remove(sandbox.store().string() + "-wal");
  std::filesystem::remove(sandbox.store().string() + "-shm");
  REQUIRE(sandbox.run({"store", "check"}).exit_code == 0);
  const std::set<std::int64_t> restored = completed_posts(sandbox);
  for (const auto id : done_before) {
    INFO("post " << id);
    CHECK(restored.count(id) == 1);
  }
  for (const auto id : restored) {
    INFO("post " << id);
    CHECK(done_after.count(id) == 1); // it is a snapshot taken between the two lists, not the finished batch
  }
  // The restored store resumes: the posts that were in flight or queued at backup time are written now.
  const RunResult resumed = sandbox.run({"worker", "--until-idle"});
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(batch_counts(sandbox, batch)["completed"] == 120);
}

TEST_CASE("the store and its WAL are never read or replaced as a user's file", "[sqlite-only]") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Locks", "-q"}).exit_code == 0);
  const std::string store = sandbox.store().string();
  const RunResult content = sandbox.run({"blog", "update", "1", "--content-file", store});
  CHECK(content.exit_code == 2);
  CHECK_THAT(content.err, Catch::Contains("--content-file") && Catch::Contains("the blogen store itself"));
  const RunResult campaign = sandbox.run({"campaign", "create", "--name", "C", "--brand", "B", "--json"});
  REQUIRE(campaign.exit_code == 0);
  const std::string id = std::to_string(campaign.json()["id"].get<std::int64_t>());
  const RunResult batch = sandbox.run({"campaign", "run", id, "--file", store + "-wal"});
  CHECK(batch.exit_code == 2);
  CHECK_THAT(batch.err, Catch::Contains("--file") && Catch::Contains("a file of the blogen store"));
  const RunResult run = sandbox.run({"campaign", "run", id, "--topic", "x", "--json"});
  REQUIRE(run.exit_code == 0);
  const std::string batch_id = std::to_string(run.json()["id"].get<std::int64_t>());
  const RunResult exported = sandbox.run({"batch", "export", batch_id, "--out", store});
  CHECK(exported.exit_code == 2);
  CHECK(sandbox.run({"store", "check"}).exit_code == 0);
  CHECK(sandbox.run({"blog", "show", "1"}).exit_code == 0);
}
