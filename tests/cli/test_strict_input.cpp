// Strict UTF-8 at every input boundary (issue 16 item 3): flags, batch rows (CSV and JSON), content files, template
// files. Invalid text (overlong forms and surrogates included) is refused with exit 2 naming the flag, or exit 6
// naming file:line and field, and nothing is written; no library's own message reaches the user.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <string>

using blogen::testing::RunResult;
using blogen::testing::Sandbox;

namespace {

// Text that a library wrote, which must never be shown: nlohmann's exception ids, SQLite's and libcurl's wording.
void check_no_library_text(const RunResult& result) {
  for (const char* leak : {"json.exception", "parse_error", "type_error", "SQLite::", "sqlite3", "Failed to connect"}) {
    INFO(leak);
    CHECK(result.err.find(leak) == std::string::npos);
    CHECK(result.out.find(leak) == std::string::npos);
  }
}

std::size_t post_count(const Sandbox& sandbox) {
  const RunResult listed = sandbox.run({"blog", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  return listed.json().size();
}

std::string create_campaign(const Sandbox& sandbox) {
  const RunResult result = sandbox.run({"campaign", "create", "--name", "Launch", "--brand", "Zephyr", "--json"});
  REQUIRE(result.exit_code == 0);
  return std::to_string(result.json()["id"].get<std::int64_t>());
}

} // namespace

TEST_CASE("blog create with an overlong UTF-8 topic exits 2 naming --topic and writes nothing") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  // The repro: U+0000 spelled in three bytes (an overlong form); then a surrogate, a stray continuation
  // byte and a truncated sequence.
  for (const std::string& topic : {std::string("Caf\xe0\x80\x80 culture"), std::string("Caf\xed\xa0\x80"),
                                   std::string("Caf\x80"), std::string("Caf\xc3")}) {
    const RunResult result = sandbox.run({"blog", "create", "--topic", topic, "--json"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("--topic") && Catch::Contains("not valid UTF-8"));
    CHECK(result.json()["error"]["kind"] == "usage");
    check_no_library_text(result);
  }
  CHECK(post_count(sandbox) == 0);
  CHECK(sandbox.run({"job", "list", "--json"}).json()["jobs"].empty());
  // Every flag and argument, not only --topic: the message names the one that was wrong.
  const RunResult keyword = sandbox.run({"blog", "create", "--topic", "ok", "--keyword", "caf\xe9"});
  CHECK(keyword.exit_code == 2);
  CHECK_THAT(keyword.err, Catch::Contains("--keyword"));
  const RunResult query = sandbox.run({"blog", "search", "caf\xe9"});
  CHECK(query.exit_code == 2);
  CHECK_THAT(query.err, Catch::Contains("not valid UTF-8"));
  CHECK(post_count(sandbox) == 0);
  // Valid UTF-8 of every length still passes.
  CHECK(sandbox.run({"blog", "create", "--topic", "Caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x8d\xb0"}).exit_code == 0);
}

TEST_CASE("batch rows with invalid UTF-8 are refused with file:line:field and exit 6, nothing queued") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string campaign = create_campaign(sandbox);

  const auto json = sandbox.write_file("posts.json", "[{\"topic\": \"fine\"},\n {\"topic\": \"Caf\xc0\xaf\"}]\n");
  RunResult result = sandbox.run({"campaign", "run", campaign, "--file", json.string()});
  CHECK(result.exit_code == 6);
  CHECK_THAT(result.err, Catch::Contains("posts.json:2:") && Catch::Contains("topic: is not valid UTF-8"));
  check_no_library_text(result);

  const auto brief = sandbox.write_file("brief.json", "[{\"topic\": \"fine\", \"brief\": \"a\\\"b \xed\xbf\xbf\"}]");
  result = sandbox.run({"campaign", "run", campaign, "--file", brief.string()});
  CHECK(result.exit_code == 6);
  CHECK_THAT(result.err, Catch::Contains("brief.json:1:") && Catch::Contains("brief: is not valid UTF-8"));

  const auto csv = sandbox.write_file("posts.csv", "topic,brief\nfine,ok\n\"Caf\xe0\x80\x80\",x\n");
  result = sandbox.run({"campaign", "run", campaign, "--file", csv.string()});
  CHECK(result.exit_code == 6);
  CHECK_THAT(result.err, Catch::Contains("posts.csv:3: topic: is not valid UTF-8"));

  result = sandbox.run({"campaign", "run", campaign, "--file", "-"}, "[{\"topic\": \"\xff\"}]");
  CHECK(result.exit_code == 6);
  CHECK_THAT(result.err, Catch::Contains("stdin:1:") && Catch::Contains("topic"));
  CHECK(sandbox.run({"campaign", "batches", campaign, "--json"}).json().empty());
  CHECK(post_count(sandbox) == 0);
}

TEST_CASE("a content file or a template file with invalid UTF-8 is refused naming file:line, nothing changes") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Tea"}).exit_code == 0);
  const auto content = sandbox.write_file("post.md", "# Tea\n\nGood \xed\xa0\x80 tea.\n");
  RunResult result = sandbox.run({"blog", "update", "1", "--content-file", content.string()});
  CHECK(result.exit_code == 6);
  CHECK_THAT(result.err, Catch::Contains("post.md:3:6: text: is not valid UTF-8"));
  result = sandbox.run({"blog", "update", "1", "--content-file", "-"}, "line\n\xc1\xbf\n");
  CHECK(result.exit_code == 6);
  CHECK_THAT(result.err, Catch::Contains("stdin:2:1: text"));
  CHECK(sandbox.run({"blog", "show", "1", "--json"}).json()["revision"] == 1);

  const auto tmpl = sandbox.write_file("t.txt", "You write.\n---\nWrite about {topic} \xf8\x88\x80\x80\x80.\n");
  result = sandbox.run({"template", "add", "odd", "--file", tmpl.string()});
  CHECK(result.exit_code == 6);
  CHECK_THAT(result.err, Catch::Contains("t.txt:3:") && Catch::Contains("template: is not valid UTF-8"));
  CHECK(sandbox.run({"template", "show", "odd"}).exit_code != 0);
}

TEST_CASE("schedule add --topics-file with an invalid UTF-8 line exits 6 naming file:line, nothing stored") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto topics = sandbox.write_file("topics.txt", "# weekly\nSourdough\nCaf\xe0\x80\x80 culture\n");
  const RunResult result =
      sandbox.run({"schedule", "add", "--cron", "@daily", "--tz", "UTC", "--topics-file", topics.string()});
  CHECK(result.exit_code == 6);
  CHECK_THAT(result.err, Catch::Contains("topics.txt:3: topic: is not valid UTF-8"));
  CHECK(result.err.find("older blogen") == std::string::npos); // not the store's "written by an older blogen"
  check_no_library_text(result);
  CHECK(sandbox.run({"schedule", "list", "--json"}).json().empty());
  CHECK(post_count(sandbox) == 0);
}

TEST_CASE("an unreachable provider is reported in a sentence, never in libcurl's words") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox
              .run({"provider", "add", "down", "--base-url", "http://127.0.0.1:1/v1", "--model", "m", "--no-key",
                    "--max-attempts", "1"})
              .exit_code == 0);
  const RunResult tested = sandbox.run({"provider", "test", "down"});
  CHECK(tested.exit_code == 5);
  CHECK_THAT(tested.err, Catch::Contains("cannot open a connection to http://127.0.0.1:1/v1"));
  check_no_library_text(tested);
  const RunResult created = sandbox.run({"blog", "create", "--topic", "Tea", "--provider", "down"});
  CHECK(created.exit_code != 0);
  CHECK_THAT(created.err, Catch::Contains("check that the server runs"));
  check_no_library_text(created);
}
