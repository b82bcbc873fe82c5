// The bash, zsh and fish completion scripts: valid syntax, and they complete real command lines from the binary's
// own tree and the user's own store.
#include <support/cli_harness.hpp>

#include <support/text_lines.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
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
  const auto lines = blogen::testing::lines_of;
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
  // Cron macros: a 5-field expression has no list, the macros do (bash does not split words at '@').
  CHECK(complete("'" + binary + "' schedule add --cron @da") == "@daily\n");
  CHECK(lines(complete("'" + binary + "' schedule add --cron ''")).size() == 7);
}

TEST_CASE("__complete needs no store and no login") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto result = sandbox.run({"__complete", "provider", ""});
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("add") && Catch::Contains("test"));
  CHECK_FALSE(std::filesystem::exists(sandbox.store()));
}

namespace {

std::string script_path(const std::string& name) { return std::string(BLOGEN_SOURCE_DIR) + "/completions/" + name; }

std::string read_text(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// PATH with the binary's folder first, so the shells find `blogen` by its name as a user's would.
std::string path_with_binary() {
  return std::filesystem::path(BLOGEN_BINARY).parent_path().string() + ":/usr/bin:/bin";
}

// fish's own completion driver: `complete -C` completes a command line as the interactive shell would.
std::vector<std::string> fish_complete(const Sandbox& sandbox, const std::string& line) {
  auto env = sandbox.environment();
  env["PATH"] = path_with_binary();
  auto child = spawn(
      {"/usr/bin/fish", "--no-config", "-c", "source '" + script_path("blogen.fish") + "'; complete -C '" + line + "'"},
      env);
  const auto result = child.wait();
  REQUIRE(result.exit_code == 0);
  return blogen::testing::lines_of(result.out);
}

// zsh: the real _blogen function run for `line` (its last word being completed), with zsh's _describe and
// _files replaced by functions that print what they were given (zsh has no non-interactive completion driver).
std::vector<std::string> zsh_complete(const Sandbox& sandbox, const std::string& line) {
  auto env = sandbox.environment();
  env["PATH"] = path_with_binary();
  const std::string program = "compdef() { :; }\n"
                              "_describe() { print -rl -- \"${(@P)4}\"; }\n"
                              "_files() { print -r -- '<files>'; }\n"
                              "source '" +
                              script_path("_blogen") +
                              "'\n"
                              "words=(" +
                              line +
                              ")\n"
                              "CURRENT=${#words}\n"
                              "_blogen\n";
  auto child = spawn({"/usr/bin/zsh", "-f", "-c", program}, env);
  const auto result = child.wait();
  REQUIRE(result.exit_code == 0);
  return blogen::testing::lines_of(result.out);
}

bool has(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

} // namespace

TEST_CASE("the zsh and fish scripts are valid, and `blogen completion` prints the installed files") {
  CHECK(spawn({"/usr/bin/zsh", "-n", script_path("_blogen")}, {}).wait().exit_code == 0);
  CHECK(spawn({"/usr/bin/fish", "--no-execute", script_path("blogen.fish")}, {}).wait().exit_code == 0);
  Sandbox sandbox(BLOGEN_BINARY);
  CHECK(sandbox.run({"completion", "bash"}).out == read_text(script_path("blogen.bash")));
  CHECK(sandbox.run({"completion", "zsh"}).out == read_text(script_path("_blogen")));
  CHECK(sandbox.run({"completion", "fish"}).out == read_text(script_path("blogen.fish")));
  const auto wrong = sandbox.run({"completion", "tcsh"});
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("SHELL") && Catch::Contains("tcsh"));
  CHECK_FALSE(std::filesystem::exists(sandbox.store()));
}

TEST_CASE("fish and zsh complete commands, options and known values through the binary") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto fish_blog = fish_complete(sandbox, "blogen blog cr");
  CHECK(has(fish_blog, "create"));
  CHECK_FALSE(has(fish_blog, "list"));
  CHECK(has(fish_complete(sandbox, "blogen provider add --kind o"), "openai"));
  CHECK(has(fish_complete(sandbox, "blogen blog create --to"), "--tone"));

  const auto zsh_blog = zsh_complete(sandbox, "blogen blog ''");
  CHECK(has(zsh_blog, "create"));
  CHECK(has(zsh_blog, "export"));
  CHECK(has(zsh_complete(sandbox, "blogen blog list --status ''"), "in_progress"));
  CHECK(zsh_complete(sandbox, "blogen blog create --content-file ''") == std::vector<std::string>{"<files>"});
}

TEST_CASE("completion offers the user's own post, job and campaign ids with a description, and time zones") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ada") == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Sourdough at home", "-q"}).exit_code == 0);
  REQUIRE(sandbox.run({"campaign", "create", "--name", "Spring launch", "--brand", "Acme", "-q"}).exit_code == 0);

  const auto posts = sandbox.run({"__complete", "blog", "show", ""});
  REQUIRE(posts.exit_code == 0);
  const auto post_lines = blogen::testing::lines_of(posts.out);
  REQUIRE(post_lines.size() == 1);
  CHECK(post_lines[0].rfind("1\t", 0) == 0); // "1<TAB>title (completed)"
  CHECK_THAT(post_lines[0], Catch::Contains("completed"));
  // The id is completed once: the revision arguments of `blog diff 1` are not post ids.
  CHECK(sandbox.run({"__complete", "blog", "diff", "1", ""}).out.empty());
  CHECK(sandbox.run({"__complete", "blog", "delete", "1", ""}).out == posts.out); // many ids
  CHECK_THAT(sandbox.run({"__complete", "job", "show", ""}).out, Catch::StartsWith("1\tgenerate_blog completed"));
  CHECK(sandbox.run({"__complete", "campaign", "show", ""}).out == "1\tSpring launch\n");
  CHECK_THAT(sandbox.run({"__complete", "blog", "create", "--provider", ""}).out, Catch::Contains("builtin"));
  CHECK_THAT(sandbox.run({"__complete", "blog", "create", "--template", ""}).out, Catch::Contains("\tbuilt in"));
  REQUIRE(sandbox.run({"schedule", "add", "--cron", "@daily", "--tz", "UTC", "--topic", "Bread", "-q"}).exit_code == 0);
  CHECK_THAT(sandbox.run({"__complete", "schedule", "pause", ""}).out, Catch::StartsWith("1\t"));
  const auto zones = blogen::testing::lines_of(sandbox.run({"__complete", "schedule", "add", "--tz", ""}).out);
  CHECK(has(zones, "Europe/Paris"));
  CHECK(has(zones, "America/New_York"));
  // fish shows the same ids with their descriptions.
  const auto fish_posts = fish_complete(sandbox, "blogen blog show ");
  REQUIRE(fish_posts.size() == 1);
  CHECK(fish_posts[0] == post_lines[0]);

  // Another user sees none of them.
  Sandbox other(BLOGEN_BINARY);
  other.set_env("BLOGEN_DB", sandbox.store_location());
  REQUIRE(other.login_as("bob") == 0);
  CHECK(other.run({"__complete", "blog", "show", ""}).out.empty());
  CHECK(other.run({"__complete", "job", "show", ""}).out.empty());
}

TEST_CASE("completion of store values stays quiet without a login and never creates a store") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto posts = sandbox.run({"__complete", "blog", "show", ""});
  CHECK(posts.exit_code == 0);
  CHECK(posts.out.empty());
  CHECK(posts.err.empty());
  CHECK_FALSE(std::filesystem::exists(sandbox.store()));
}
