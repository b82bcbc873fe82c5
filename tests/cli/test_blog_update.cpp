// blog update, edit, history, diff, revert.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <sys/stat.h>

using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

nlohmann::json show(const Sandbox& sandbox, const std::string& id) {
  const auto result = sandbox.run({"blog", "show", id, "--json"});
  REQUIRE(result.exit_code == 0);
  return result.json();
}

// A shell script in the sandbox, used as EDITOR (it receives the file as its last argument).
std::string editor_script(const Sandbox& sandbox, const std::string& name, const std::string& body) {
  const auto path = sandbox.write_file(name, "#!/bin/sh\n" + body + "\n");
  ::chmod(path.c_str(), 0755);
  return path.string();
}

void create_post(const Sandbox& sandbox, const std::string& topic) {
  REQUIRE(sandbox.run({"blog", "create", "--topic", topic}).exit_code == 0);
}

} // namespace

TEST_CASE("update of the title only keeps the content and records a revision") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  const auto before = show(sandbox, "1");
  const auto result = sandbox.run({"blog", "update", "1", "--title", "A better title", "--category", "Drinks"});
  REQUIRE(result.exit_code == 0);
  const auto after = show(sandbox, "1");
  CHECK(after["title"] == "A better title");
  CHECK(after["category"] == "Drinks");
  CHECK(after["content"] == before["content"]);
  CHECK(after["revision"] == 2);
  CHECK(sandbox.run({"blog", "update", "1", "--tone", "formal"}).exit_code == 0);
  CHECK(show(sandbox, "1")["tone"] == "formal");
  CHECK(show(sandbox, "1")["revision"] == 2);
}

TEST_CASE("update --content-file from a file and from stdin makes edited revisions") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  const auto file = sandbox.write_file("new.md", "My own text.\n\nSecond paragraph.\n");
  REQUIRE(sandbox.run({"blog", "update", "1", "--content-file", file.string()}).exit_code == 0);
  CHECK(show(sandbox, "1")["content"] == "My own text.\n\nSecond paragraph.\n");
  REQUIRE(sandbox.run({"blog", "update", "1", "--content-file", "-"}, "From stdin.\n").exit_code == 0);
  CHECK(show(sandbox, "1")["content"] == "From stdin.\n");
  const auto history = sandbox.run({"blog", "history", "1", "--json"}).json();
  REQUIRE(history.size() == 3);
  CHECK(history[0]["source"] == "generated");
  CHECK(history[1]["source"] == "edited");
  CHECK(history[2]["source"] == "edited");
  CHECK(sandbox.run({"blog", "update", "1", "--content-file", (sandbox.dir() / "missing.md").string()}).exit_code == 6);
  CHECK(sandbox.run({"blog", "update", "1", "--content-file", "-"}, "   \n").exit_code == 2);
}

TEST_CASE("update validates its flags") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  CHECK(sandbox.run({"blog", "update", "1"}).exit_code == 2);
  CHECK(sandbox.run({"blog", "update", "1", "--title", " "}).exit_code == 2);
  CHECK(sandbox.run({"blog", "update", "1", "--tone", "grumpy"}).exit_code == 2);
  CHECK(sandbox.run({"blog", "update", "1", "--prompt", "x"}).exit_code == 2);
  CHECK(sandbox.run({"blog", "update", "7", "--title", "x"}).exit_code == 3);
}

TEST_CASE("update --regenerate writes a new generated revision, --detach only queues it") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  auto result = sandbox.run({"blog", "update", "1", "--regenerate", "--prompt", "Write about green tea", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["revision"] == 2);
  CHECK(result.json()["prompt"] == "Write about green tea");
  result = sandbox.run({"blog", "update", "1", "--regenerate", "--detach", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["status"] == "pending");
  CHECK(result.json()["revision"] == 2); // the old text stays until the new one lands
  REQUIRE(sandbox.run({"worker", "--until-idle"}).exit_code == 0);
  CHECK(show(sandbox, "1")["revision"] == 3);
}

TEST_CASE("a failed regeneration keeps the old text and revisions") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--fail-when-contains", "REJECT-ME", "--fail-status", "403"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "fake-gpt", "--no-key"})
              .exit_code == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Tea", "--provider", "fake"}).exit_code == 0);
  const auto before = show(sandbox, "1");
  const auto result = sandbox.run({"blog", "update", "1", "--regenerate", "--prompt", "REJECT-ME now"});
  CHECK(result.exit_code == 5);
  const auto after = show(sandbox, "1");
  CHECK(after["status"] == "failed");
  CHECK(after["content"] == before["content"]);
  CHECK(after["title"] == before["title"]);
  CHECK(after["revision"] == 1);
  CHECK(after["prompt"] == before["prompt"]);
  CHECK(sandbox.run({"blog", "history", "1", "--json"}).json().size() == 1);
}

TEST_CASE("edit with an editor that changes the file saves a new revision") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  sandbox.set_env("EDITOR",
                  editor_script(sandbox, "ed.sh",
                                "sed -i -e 's/^title: .*/title: Edited title/' "
                                "-e 's/^category: .*/category: Drinks/' \"$1\" && echo 'Added line.' >> \"$1\""));
  const auto result = sandbox.run({"blog", "edit", "1"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("revision 2"));
  const auto post = show(sandbox, "1");
  CHECK(post["title"] == "Edited title");
  CHECK(post["category"] == "Drinks");
  CHECK_THAT(post["content"].get<std::string>(), Catch::EndsWith("Added line."));
  CHECK(sandbox.run({"blog", "history", "1", "--json"}).json()[1]["source"] == "edited");
}

TEST_CASE("edit: an unchanged file makes no revision, VISUAL wins, arguments are split without a shell") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  sandbox.set_env("EDITOR", "/bin/false");
  sandbox.set_env("VISUAL", "/bin/true --some-flag '$(touch pwned)'");
  const auto result = sandbox.run({"blog", "edit", "1"});
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("No changes"));
  CHECK(show(sandbox, "1")["revision"] == 1);
  CHECK_FALSE(std::filesystem::exists(sandbox.dir() / "pwned"));
  CHECK_FALSE(std::filesystem::exists(sandbox.home() / "pwned"));
}

TEST_CASE("edit: bad front matter is refused and the text is kept in a recovery file") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  sandbox.set_env("EDITOR",
                  editor_script(sandbox, "bad.sh", "printf 'title: no fence\\n\\nMy precious words.\\n' > \"$1\""));
  const auto result = sandbox.run({"blog", "edit", "1"});
  CHECK(result.exit_code == 6);
  CHECK_THAT(result.err, Catch::Contains("recovered"));
  CHECK(show(sandbox, "1")["revision"] == 1);
  const auto folder = sandbox.dir() / "data" / "blogen" / "recovered";
  REQUIRE(std::filesystem::is_directory(folder));
  bool found = false;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    found = found || blogen::testing::read_bytes(entry.path()).find("My precious words.") != std::string::npos;
  }
  CHECK(found);
  sandbox.set_env("EDITOR", editor_script(sandbox, "tone.sh", "sed -i 's/^tone: .*/tone: grumpy/' \"$1\""));
  CHECK(sandbox.run({"blog", "edit", "1"}).exit_code == 6);
  sandbox.set_env("EDITOR", "/nonexistent/editor");
  CHECK(sandbox.run({"blog", "edit", "1"}).exit_code == 1);
}

TEST_CASE("a title with shell syntax is stored as text and never run, also through edit") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "x", "--title", "$(touch pwned) `touch pwned`"}).exit_code == 0);
  sandbox.set_env("EDITOR", editor_script(sandbox, "ed.sh", "echo more >> \"$1\""));
  REQUIRE(sandbox.run({"blog", "edit", "1"}).exit_code == 0);
  CHECK(show(sandbox, "1")["title"] == "$(touch pwned) `touch pwned`");
  CHECK_FALSE(std::filesystem::exists(sandbox.dir() / "pwned"));
  CHECK_FALSE(std::filesystem::exists(sandbox.home() / "pwned"));
}

TEST_CASE("history, diff and revert") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  REQUIRE(sandbox.run({"blog", "update", "1", "--content-file", "-"}, "line one\nline two\n").exit_code == 0);
  REQUIRE(sandbox.run({"blog", "update", "1", "--content-file", "-"}, "line one\nline 2\n").exit_code == 0);
  const auto diff = sandbox.run({"blog", "diff", "1", "2", "3"});
  REQUIRE(diff.exit_code == 0);
  CHECK_THAT(diff.out, Catch::Contains("--- post 1 revision 2") && Catch::Contains("+++ post 1 revision 3") &&
                           Catch::Contains("-line two\n") && Catch::Contains("+line 2\n") &&
                           Catch::Contains(" line one\n"));
  CHECK(sandbox.run({"blog", "diff", "1", "2", "2"}).out.empty());
  CHECK(sandbox.run({"blog", "diff", "1", "2", "9"}).exit_code == 3);
  const auto revert = sandbox.run({"blog", "revert", "1", "2", "--json"});
  REQUIRE(revert.exit_code == 0);
  CHECK(revert.json()["revision"] == 4);
  const auto post = show(sandbox, "1");
  CHECK(post["content"] == "line one\nline two\n");
  CHECK(post["revision"] == 4);
  CHECK(sandbox.run({"blog", "history", "1", "--json"}).json()[3]["source"] == "reverted");
  const auto table = sandbox.run({"blog", "history", "1"});
  CHECK_THAT(table.out, Catch::Contains("generated") && Catch::Contains("reverted"));
  CHECK(sandbox.run({"blog", "revert", "1", "42"}).exit_code == 3);
}

TEST_CASE("another user's post is not found for update, edit, history, diff and revert") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  REQUIRE(sandbox.login_as("bob") == 0);
  sandbox.set_env("EDITOR", "/bin/true");
  for (const auto& args : std::vector<std::vector<std::string>>{{"blog", "update", "1", "--title", "mine"},
                                                                {"blog", "update", "1", "--regenerate"},
                                                                {"blog", "edit", "1"},
                                                                {"blog", "history", "1"},
                                                                {"blog", "diff", "1", "1", "1"},
                                                                {"blog", "revert", "1", "1"}}) {
    const auto result = sandbox.run(args);
    INFO(args[1]);
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Catch::Contains("post 1 not found"));
  }
}

namespace {

// The recovery file an edit error names ("... your text is kept in FILE"), checked to hold `words`.
void check_text_kept(const blogen::testing::RunResult& result, const std::string& words) {
  const std::string marker = "your text is kept in ";
  const auto at = result.err.find(marker);
  REQUIRE(at != std::string::npos);
  const auto end = result.err.find('\n', at);
  const std::filesystem::path file = result.err.substr(at + marker.size(), end - at - marker.size());
  INFO(file.string());
  CHECK(file.parent_path().filename() == "recovered");
  REQUIRE(std::filesystem::exists(file));
  CHECK(blogen::testing::read_bytes(file).find(words) != std::string::npos);
}

std::size_t files_in(const std::filesystem::path& folder) {
  std::size_t count = 0;
  if (!std::filesystem::is_directory(folder)) return 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder))
    ++count;
  return count;
}

} // namespace

TEST_CASE("edit: a session that expires while the editor is open keeps the text and names the file (issue 16 item 6)") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  REQUIRE(sandbox.run({"login", "--username", "ann", "--password-stdin", "--ttl", "3s"}, "correct horse battery\n")
              .exit_code == 0);
  // The editor waits until the session has really expired (a condition, not a duration), then writes.
  sandbox.set_env("EDITOR", editor_script(sandbox, "slow.sh",
                                          std::string("i=0\nwhile \"") + BLOGEN_BINARY +
                                              "\" whoami >/dev/null 2>&1 && [ $i -lt 600 ]; do sleep 0.1; "
                                              "i=$((i+1)); done\necho 'My precious late words.' >> \"$1\""));
  const auto result = sandbox.run({"blog", "edit", "1"});
  CHECK(result.exit_code == 4);
  CHECK_THAT(result.err, Catch::Contains("was not saved"));
  check_text_kept(result, "My precious late words.");
  REQUIRE(sandbox.login_as("ann") == 0);
  CHECK(show(sandbox, "1")["revision"] == 1);
}

TEST_CASE(
    "edit: a post trashed meanwhile or invalid UTF-8 keeps the text, a saved edit leaves no file (issue 16 item 6)") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_post(sandbox, "Tea");
  create_post(sandbox, "Coffee");
  const auto folder = sandbox.dir() / "data" / "blogen" / "recovered";

  sandbox.set_env("EDITOR", editor_script(sandbox, "ok.sh", "echo 'Saved words.' >> \"$1\""));
  REQUIRE(sandbox.run({"blog", "edit", "2"}).exit_code == 0);
  CHECK(files_in(folder) == 0);

  sandbox.set_env("EDITOR", editor_script(sandbox, "trash.sh",
                                          std::string("\"") + BLOGEN_BINARY +
                                              "\" blog delete 1 >/dev/null 2>&1\necho 'Words after trash.' >> \"$1\""));
  auto result = sandbox.run({"blog", "edit", "1"});
  CHECK(result.exit_code == 3);
  check_text_kept(result, "Words after trash.");

  sandbox.set_env("EDITOR", editor_script(sandbox, "bad.sh", "printf 'Bad \\355\\240\\200 bytes.\\n' >> \"$1\""));
  result = sandbox.run({"blog", "edit", "2"});
  CHECK(result.exit_code == 6);
  CHECK_THAT(result.err, Catch::Contains("not valid UTF-8"));
  check_text_kept(result, "Bad \xed\xa0\x80 bytes.");
  CHECK(show(sandbox, "2")["revision"] == 2);
  CHECK(files_in(folder) == 2);
}
