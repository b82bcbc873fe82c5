// blog export: safe file names, front matter, HTML through cmark, atomic files, stdout.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

using blogen::testing::read_bytes;
using blogen::testing::Sandbox;

namespace {

std::set<std::string> names_in(const std::filesystem::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    names.insert(entry.path().filename());
  return names;
}

void create_titled(const Sandbox& sandbox, const std::string& title) {
  REQUIRE(sandbox.run({"blog", "create", "--topic", "export test", "--title", title}).exit_code == 0);
}

} // namespace

TEST_CASE("hostile titles become safe, unique file names inside the output folder") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  create_titled(sandbox, "../../etc/passwd");
  create_titled(sandbox, "CON");
  create_titled(sandbox, "🥐🥐🥐");
  create_titled(sandbox, std::string(200, 'a'));
  create_titled(sandbox, "Same title");
  create_titled(sandbox, "Same title");
  create_titled(sandbox, "Crème brûlée: a how-to");
  const auto out = sandbox.dir() / "site";
  const auto result = sandbox.run({"blog", "export", "--all", "--out", out.string(), "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["count"] == 7);
  const auto names = names_in(out);
  CHECK(names.size() == 7);
  CHECK(names.count("etc-passwd.md") == 1);
  CHECK(names.count("con-post.md") == 1);
  CHECK(names.count("post-3.md") == 1);
  CHECK(names.count("same-title.md") == 1);
  CHECK(names.count("same-title-6.md") == 1);
  CHECK(names.count("creme-brulee-a-how-to.md") == 1);
  for (const auto& name : names) {
    CHECK(name.size() <= 90);
    CHECK(name.find("..") == std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(sandbox.dir() / "etc"));
  CHECK(names_in(sandbox.dir()).count("passwd.md") == 0);
}

TEST_CASE("markdown export with hugo and jekyll front matter, or none") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox
              .run({"blog", "create", "--topic", "Tea", "--title", "Tea \"time\"", "--category", "Drinks", "--keyword",
                    "green"})
              .exit_code == 0);
  const auto out = sandbox.dir() / "out";
  REQUIRE(sandbox.run({"blog", "export", "1", "--front-matter", "hugo", "--out", out.string()}).exit_code == 0);
  const std::string hugo = read_bytes(out / "tea-time.md");
  CHECK_THAT(hugo, Catch::StartsWith("+++\ntitle = \"Tea \\\"time\\\"\"\n") &&
                       Catch::Contains("categories = [\"Drinks\"]") && Catch::Contains("tags = [\"green\"]") &&
                       Catch::Contains("draft = false"));
  REQUIRE(sandbox.run({"blog", "export", "1", "--front-matter", "jekyll", "--out", out.string()}).exit_code == 0);
  CHECK_THAT(read_bytes(out / "tea-time.md"), Catch::StartsWith("---\nlayout: post\ntitle: \"Tea \\\"time\\\"\"\n"));
  const auto stdout_export = sandbox.run({"blog", "export", "1", "--out", "-"});
  REQUIRE(stdout_export.exit_code == 0);
  CHECK_THAT(stdout_export.out, Catch::StartsWith("# Tea \"time\"\n\n"));
  CHECK(sandbox.run({"blog", "export", "--all", "--out", "-"}).exit_code == 2);
  CHECK(sandbox.run({"blog", "export", "1", "--format", "pdf"}).exit_code == 2);
  CHECK(sandbox.run({"blog", "export", "1", "--front-matter", "zola"}).exit_code == 2);
  CHECK(sandbox.run({"blog", "export"}).exit_code == 2);
  // No temporary files are left behind.
  CHECK(names_in(out) == std::set<std::string>{"tea-time.md"});
}

TEST_CASE("html export renders Markdown with cmark and never raw HTML, json export has every field") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "x", "--title", "<script>alert(1)</script>"}).exit_code == 0);
  REQUIRE(sandbox
              .run({"blog", "update", "1", "--content-file", "-"},
                   "Some **bold** text.\n\n<script>alert(2)</script>\n\n[link](javascript:alert(3))\n")
              .exit_code == 0);
  const auto html = sandbox.run({"blog", "export", "1", "--format", "html", "--out", "-"});
  REQUIRE(html.exit_code == 0);
  CHECK_THAT(html.out, Catch::Contains("<strong>bold</strong>") && Catch::Contains("&lt;script&gt;alert(1)"));
  CHECK(html.out.find("<script>") == std::string::npos);
  CHECK(html.out.find("javascript:") == std::string::npos);
  const auto json = sandbox.run({"blog", "export", "1", "--format", "json", "--out", "-"});
  REQUIRE(json.exit_code == 0);
  CHECK(json.json()["title"] == "<script>alert(1)</script>");
  CHECK(json.json().contains("content"));
}

TEST_CASE("export of another user's post is not found") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Tea"}).exit_code == 0);
  REQUIRE(sandbox.login_as("bob") == 0);
  CHECK(sandbox.run({"blog", "export", "1", "--out", "-"}).exit_code == 3);
  const auto out = sandbox.dir() / "bob";
  REQUIRE(sandbox.run({"blog", "export", "--all", "--out", out.string(), "--json"}).exit_code == 0);
  CHECK(names_in(out).empty());
}
