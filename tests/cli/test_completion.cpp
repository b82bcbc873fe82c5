// The bash completion script: valid syntax, and it completes real command lines from the binary's own tree.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

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

TEST_CASE("__complete needs no store and no login") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto result = sandbox.run({"__complete", "provider", ""});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("add") && Catch::Contains("test"));
  CHECK_FALSE(std::filesystem::exists(sandbox.store()));
}
