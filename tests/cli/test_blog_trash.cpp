// blog delete, restore, purge.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

using blogen::testing::Sandbox;

namespace {

void create_post(const Sandbox& sandbox, const std::string& topic) {
  REQUIRE(sandbox.run({"blog", "create", "--topic", topic}).exit_code == 0);
}

} // namespace

TEST_CASE("delete moves to the trash, show and a second delete say not found, restore brings it back") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  REQUIRE(sandbox.run({"blog", "delete", "1"}).exit_code == 0);
  CHECK(sandbox.run({"blog", "show", "1"}).exit_code == 3);
  CHECK(sandbox.run({"blog", "delete", "1"}).exit_code == 3);
  CHECK(sandbox.run({"blog", "list", "--json"}).json() == nlohmann::json::array());
  const auto trash = sandbox.run({"blog", "list", "--deleted", "--json"}).json();
  REQUIRE(trash.size() == 1);
  CHECK_FALSE(trash[0]["deleted_at"].is_null());
  REQUIRE(sandbox.run({"blog", "restore", "1"}).exit_code == 0);
  CHECK(sandbox.run({"blog", "show", "1"}).exit_code == 0);
  CHECK(sandbox.run({"blog", "restore", "1"}).exit_code == 3);
  CHECK(sandbox.run({"blog", "restore", "99"}).exit_code == 3);
}

TEST_CASE("deleting a post with a queued job cancels the job") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Later", "--detach"}).exit_code == 0);
  REQUIRE(sandbox.run({"blog", "delete", "1"}).exit_code == 0);
  const auto jobs = sandbox.run({"job", "list", "--json"}).json()["jobs"];
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0]["status"] == "cancelled");
  REQUIRE(sandbox.run({"worker", "--until-idle"}).exit_code == 0);
  CHECK(sandbox.run({"blog", "list", "--deleted", "--json"}).json()[0]["revision"] == 0);
}

TEST_CASE("delete of several ids checks them all first") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "One");
  create_post(sandbox, "Two");
  CHECK(sandbox.run({"blog", "delete", "1", "2", "3"}).exit_code == 3);
  CHECK(sandbox.run({"blog", "list", "--json"}).json().size() == 2);
  REQUIRE(sandbox.run({"blog", "delete", "1", "2"}).exit_code == 0);
  CHECK(sandbox.run({"blog", "list", "--json"}).json().empty());
}

TEST_CASE("purge needs --yes without a terminal and removes the post and its revisions for good") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  const auto refused = sandbox.run({"blog", "delete", "1", "--purge"});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("--yes"));
  CHECK(sandbox.run({"blog", "show", "1"}).exit_code == 0);
  REQUIRE(sandbox.run({"blog", "delete", "1"}).exit_code == 0);
  REQUIRE(sandbox.run({"blog", "delete", "1", "--purge", "--yes"}).exit_code == 0); // from the trash too
  CHECK(sandbox.run({"blog", "list", "--deleted", "--json"}).json().empty());
  CHECK(sandbox.run({"blog", "restore", "1"}).exit_code == 3);
  CHECK(sandbox.run({"blog", "history", "1"}).exit_code == 3);
}

TEST_CASE("another user's post cannot be deleted, purged or restored") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  REQUIRE(sandbox.login_as("bob") == 0);
  CHECK(sandbox.run({"blog", "delete", "1"}).exit_code == 3);
  CHECK(sandbox.run({"blog", "delete", "1", "--purge", "--yes"}).exit_code == 3);
  CHECK(sandbox.run({"blog", "restore", "1"}).exit_code == 3);
  REQUIRE(sandbox.run({"login", "--username", "ann", "--password-stdin"}, "correct horse battery\n").exit_code == 0);
  CHECK(sandbox.run({"blog", "show", "1"}).exit_code == 0);
}
