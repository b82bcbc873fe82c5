// The bash completion script: valid syntax, and it completes real command lines from the binary's own tree.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <vector>

using blogen::testing::Sandbox;
using blogen::testing::spawn;

namespace {

// Runs the completion function for a command line (the last word is being completed) and returns COMPREPLY.
std::string complete(const std::string& line) {
  const std::string script = std::string(BLOGEN_SOURCE_DIR) + "/completions/blogen.bash";
  const std::string program = "source '" + script + "'\n" + "COMP_WORDS=(" + line +
                              ")\n"
                              "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                              "_blogen\n"
                              "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
  auto child = spawn({"/bin/bash", "--norc", "-c", program}, {{"PATH", "/usr/bin:/bin"}, {"HOME", "/nonexistent"}});
  const auto result = child.wait();
  REQUIRE(result.exit_code == 0);
  return result.out;
}

} // namespace

TEST_CASE("the completion script is valid bash") {
  auto child = spawn({"/bin/bash", "-n", std::string(BLOGEN_SOURCE_DIR) + "/completions/blogen.bash"}, {});
  CHECK(child.wait().exit_code == 0);
}

TEST_CASE("completion offers commands, subcommands and options from the binary") {
  const std::string binary = BLOGEN_BINARY;
  CHECK_THAT(complete("'" + binary + "' bl"), Catch::Contains("blog"));
  const auto blog = complete("'" + binary + "' blog ''");
  CHECK_THAT(blog, Catch::Contains("create") && Catch::Contains("list") && Catch::Contains("export"));
  const auto options = complete("'" + binary + "' blog create --to");
  CHECK_THAT(options, Catch::Contains("--topic") && Catch::Contains("--tone"));
  CHECK_THAT(complete("'" + binary + "' blog list --js"), Catch::Contains("--json")); // global option
  CHECK_THAT(complete("'" + binary + "' blog export --format h"), Catch::Contains("html"));
  CHECK(complete("'" + binary + "' __compl").find("__complete") == std::string::npos); // hidden
  CHECK_THAT(complete("'" + binary + "' provider add --header"),
             Catch::Contains("--header\n") && Catch::Contains("--header-env"));                   // issue 16 item 8
  CHECK_THAT(complete("'" + binary + "' provider add --st"), Catch::Contains("--stall-timeout")); // item 7
}

TEST_CASE("completion offers the values the binary knows for an option") {
  const std::string binary = BLOGEN_BINARY;
  const auto kinds = complete("'" + binary + "' provider add --kind ''");
  CHECK(kinds == "builtin\nopenai\n"); // the provider kinds table, nothing else
  CHECK(complete("'" + binary + "' provider add --kind o") == "openai\n");
  const auto jobs = complete("'" + binary + "' job list --kind ''");
  CHECK_THAT(jobs, Catch::Contains("generate_blog") && Catch::Contains("generate_social"));
  CHECK(jobs.find("openai") == std::string::npos);
}

TEST_CASE("completion offers every tone, status, platform and format the binary accepts") {
  const std::string binary = BLOGEN_BINARY;
  const auto lines = [](const std::string& text) {
    std::vector<std::string> words;
    std::istringstream in(text);
    for (std::string word; std::getline(in, word);)
      words.push_back(word);
    return words;
  };
  // The 12 tones of the app's one list, for posts and campaigns alike (the script once offered 8 of them).
  const auto tones = lines(complete("'" + binary + "' blog create --tone ''"));
  CHECK(tones.size() == 12);
  CHECK(std::find(tones.begin(), tones.end(), "witty") != tones.end());
  CHECK(lines(complete("'" + binary + "' campaign create --tone ''")) == tones);
  CHECK(lines(complete("'" + binary + "' blog update 1 --tone ''")) == tones);
  CHECK(complete("'" + binary + "' blog list --status in") == "in_progress\n");
  CHECK(complete("'" + binary + "' job list --status can") == "cancelled\n");
  CHECK(complete("'" + binary + "' campaign run 1 --platform link") == "linkedin\n");
  CHECK(complete("'" + binary + "' blog show 1 --format mark") == "markdown\n");
  CHECK(complete("'" + binary + "' batch export 1 --format c") == "csv\n");
  CHECK(complete("'" + binary + "' blog export --front-matter h") == "hugo\n");
  CHECK(complete("'" + binary + "' --color al") == "always\n");
  // The four sort orders blog list knows.
  CHECK(lines(complete("'" + binary + "' blog list --sort ''")).size() == 4);
}

TEST_CASE("__complete needs no store and no login") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto result = sandbox.run({"__complete", "provider", ""});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("add") && Catch::Contains("test"));
  CHECK_FALSE(std::filesystem::exists(sandbox.store()));
}
