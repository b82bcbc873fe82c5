// blog search: ranked full-text search with snippets; hostile query text is just text.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

using blogen::testing::Sandbox;

TEST_CASE("search ranks title matches first, highlights matches and skips the trash") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Bread", "--title", "Bread basics"}).exit_code == 0);
  REQUIRE(
      sandbox.run({"blog", "update", "1", "--content-file", "-"}, "A note about sourdough in passing.\n").exit_code ==
      0);
  REQUIRE(
      sandbox.run({"blog", "create", "--topic", "Sourdough starter care", "--title", "Sourdough starter"}).exit_code ==
      0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Sourdough in the trash"}).exit_code == 0);
  REQUIRE(sandbox.run({"blog", "delete", "3"}).exit_code == 0);

  const auto result = sandbox.run({"blog", "search", "sourdough", "--json"});
  REQUIRE(result.exit_code == 0);
  const auto hits = result.json();
  REQUIRE(hits.size() == 2);
  CHECK(hits[0]["id"] == 2);
  CHECK(hits[1]["id"] == 1);
  CHECK_THAT(hits[1]["snippet"].get<std::string>(), Catch::Contains("**sourdough**"));
  const auto text = sandbox.run({"blog", "search", "sourdough"});
  CHECK_THAT(text.out, Catch::Contains("Sourdough starter") && Catch::Contains("**sourdough**"));
  CHECK(sandbox.run({"blog", "search", "SOURDOUGH", "starter", "--json"}).json().size() == 1);
  CHECK(sandbox.run({"blog", "search", "sourdough", "--limit", "1", "--json"}).json().size() == 1);
  CHECK(sandbox.run({"blog", "search", "sourdough", "--limit", "0"}).exit_code == 2);
  CHECK(sandbox.run({"blog", "search", "nothing-like-this", "--json"}).json() == nlohmann::json::array());

  REQUIRE(sandbox.login_as("bob") == 0);
  CHECK(sandbox.run({"blog", "search", "sourdough", "--json"}).json() == nlohmann::json::array());
}

TEST_CASE("hostile and unusual queries never crash the search") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Café culture in Zürich", "--title", "Café culture"}).exit_code ==
          0);
  for (const std::string query : {"\"", "*", "NEAR(", "-", "AND OR", "NOT", "a:b", "(", ")", "^", "title:x", "'",
                                  "\"unterminated", "NEAR(café culture, 2)", "🥐", "日本語", "café*", "--"}) {
    const auto result = sandbox.run({"blog", "search", "--json", "--", query});
    INFO(query << ": " << result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.json().is_array());
  }
  CHECK(sandbox.run({"blog", "search", "--json", "cafe"}).json().size() == 1); // accents folded
  CHECK(sandbox.run({"blog", "search", "--json", "Zürich"}).json().size() == 1);
  CHECK(sandbox.run({"blog", "list", "--json", "--search", "NEAR("}).exit_code == 0);
}

TEST_CASE("an empty query is a usage error") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  CHECK(sandbox.run({"blog", "search", ""}).exit_code == 2);
  CHECK(sandbox.run({"blog", "search", "   "}).exit_code == 2);
  CHECK(sandbox.run({"blog", "search"}).exit_code == 2);
}
