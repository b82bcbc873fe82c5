// The binary's foundation: version, doctor, global options, exit codes of usage errors, store safety.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>

using blogen::testing::read_bytes;
using blogen::testing::Sandbox;

namespace {
int mode_of(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return static_cast<int>(info.st_mode & 0777);
}
} // namespace

TEST_CASE("version prints the version, also as JSON") {
  Sandbox sandbox(BLOGEN_BINARY);
  auto result = sandbox.run({"--version"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::StartsWith("blogen 0."));
  result = sandbox.run({"--version", "--json"});
  CHECK(result.exit_code == 0);
  CHECK(result.json()["version"].get<std::string>().rfind("0.", 0) == 0);
}

TEST_CASE("doctor creates the default store privately under XDG_DATA_HOME and reports healthy", "[sqlite-only]") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto result = sandbox.run({"doctor", "--json"});
  REQUIRE(result.exit_code == 0);
  const auto doc = result.json();
  CHECK(doc["healthy"] == true);
  CHECK(doc["store"] == sandbox.store().string());
  bool saw_fts = false;
  for (const auto& check : doc["checks"]) {
    CHECK(check["ok"] == true);
    if (check["name"] == "fts5") saw_fts = true;
  }
  CHECK(saw_fts);
  CHECK(mode_of(sandbox.store()) == 0600);
  CHECK(mode_of(sandbox.store().parent_path()) == 0700);
}

TEST_CASE("doctor flags a store that others can read", "[sqlite-only]") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.run({"doctor"}).exit_code == 0);
  ::chmod(sandbox.store().c_str(), 0644);
  const auto result = sandbox.run({"doctor"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.out, Catch::Contains("FAIL") && Catch::Contains("permissions"));
}

TEST_CASE("the db flag and BLOGEN_DB choose the store, --db wins") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto env_store = sandbox.dir() / "env.db";
  const auto flag_store = sandbox.dir() / "flag.db";
  sandbox.set_env("BLOGEN_DB", env_store.string());
  REQUIRE(sandbox.run({"doctor"}).exit_code == 0);
  CHECK(std::filesystem::exists(env_store));
  REQUIRE(sandbox.run({"doctor", "--db", flag_store.string()}).exit_code == 0);
  CHECK(std::filesystem::exists(flag_store));
  CHECK_FALSE(std::filesystem::exists(sandbox.store()));
}

TEST_CASE("a text file given as the store is refused with exit 6 and left unchanged") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto notes = sandbox.write_file("notes.txt", "my notes\n");
  for (const char* command : {"doctor", "whoami"}) {
    const auto result = sandbox.run({command, "--db", notes.string()});
    INFO(command << ": " << result.err);
    CHECK(result.exit_code == (std::string(command) == "doctor" ? 1 : 6));
    CHECK_THAT(result.err + result.out, Catch::Contains("not a blogen store"));
  }
  CHECK(read_bytes(notes) == "my notes\n");
}

TEST_CASE("usage errors exit 2, name the flag, and never print CLI11's own codes") {
  Sandbox sandbox(BLOGEN_BINARY);
  auto result = sandbox.run({"doctor", "--bogus"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--bogus"));
  result = sandbox.run({"--color", "purple", "doctor"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--color"));
}

TEST_CASE("an unknown command suggests the closest one") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto result = sandbox.run({"doctr"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("unknown command 'doctr'") && Catch::Contains("did you mean 'doctor'"));
}

TEST_CASE("a group built for one named subcommand still knows all of its subcommands") {
  // `blog show` and `job list` build only the part of their group that adds the named subcommand (start-up time);
  // help, a misspelt subcommand and a help flag before the subcommand must still see every one.
  Sandbox sandbox(BLOGEN_BINARY);
  auto result = sandbox.run({"blog", "shw", "5"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("unknown command 'shw'") && Catch::Contains("did you mean 'show'"));
  result = sandbox.run({"job", "--help"});
  CHECK(result.exit_code == 0);
  for (const char* name : {"list", "show", "wait", "watch", "cancel", "retry"})
    CHECK_THAT(result.out, Catch::Contains(name));
  result = sandbox.run({"blog", "--help", "export"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("--format"));
  result = sandbox.run({"--json", "blog", "show", "--help"});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("blogen blog show"));
  // Narrowed or not, the same command runs: an unknown post is not found (exit 3), whichever the form.
  sandbox.run({"init", "--username", "alice"});
  for (const auto& args : {std::vector<std::string>{"blog", "show", "99"},
                           {"--json", "blog", "show", "99"},
                           {"blog", "show", "99", "--format", "json"}}) {
    result = sandbox.run(args);
    CHECK(result.exit_code == 3);
  }
}

TEST_CASE("json errors are one JSON document on stdout with the exit code") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto notes = sandbox.write_file("notes.txt", "not sqlite");
  const auto result = sandbox.run({"whoami", "--json", "--db", notes.string()});
  CHECK(result.exit_code == 6);
  const auto doc = result.json();
  CHECK(doc["error"]["code"] == 6);
  CHECK(doc["error"]["kind"] == "bad_input");
}

TEST_CASE("global options are accepted after the subcommand") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto result = sandbox.run({"doctor", "--json", "--color", "never"});
  CHECK(result.exit_code == 0);
  CHECK(result.json()["healthy"] == true);
}

TEST_CASE("output without a TTY carries no escape sequences, even with NO_COLOR unset") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto result = sandbox.run({"doctor"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find('\x1b') == std::string::npos);
  CHECK(result.err.find('\x1b') == std::string::npos);
  const auto forced = sandbox.run({"doctor", "--color", "always"});
  CHECK(forced.out.find('\x1b') != std::string::npos);
  sandbox.set_env("NO_COLOR", "1");
  CHECK(sandbox.run({"doctor"}).out.find('\x1b') == std::string::npos);
}
