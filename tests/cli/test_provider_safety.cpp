// Issue 16, the provider items through the real binary: a missing key variable fails before any request (4),
// credential headers come only from the environment (8), and out-of-range settings are refused by name (9).
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <filesystem>

using blogen::testing::http_get;
using blogen::testing::read_bytes;
using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

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

namespace {

nlohmann::json find_named(const nlohmann::json& array, const std::string& name) {
  for (const auto& item : array)
    if (item["name"] == name) return item;
  return nullptr;
}

nlohmann::json check_named(const nlohmann::json& doctor, const std::string& name) {
  return find_named(doctor["checks"], name);
}

} // namespace

// Item 4: with the variable unset no key was sent and the server's 401 ("Incorrect API key") was reported.
TEST_CASE("a provider whose key variable is unset fails before any request, exit 5, naming the variable") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--api-key", "sk-right"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox
              .run({"provider", "add", "local", "--base-url", server.base_url(), "--model", "m", "--api-key-env",
                    "BLOGEN_TEST_LOCAL_KEY", "--max-attempts", "1"})
              .exit_code == 0);
  const std::string expected =
      "BLOGEN_TEST_LOCAL_KEY is not set: provider local reads its API key from it (export BLOGEN_TEST_LOCAL_KEY=...)";

  const auto created = sandbox.run({"blog", "create", "--topic", "Keys", "--provider", "local"});
  CHECK(created.exit_code == 5);
  CHECK_THAT(created.err, Catch::Contains(expected));
  // Checked before anything is written: no failed post is left behind, and no job.
  CHECK(created.err.find("was not written") == std::string::npos);
  CHECK(sandbox.run({"blog", "list", "--json"}).json().empty());
  CHECK(sandbox.run({"job", "list", "--json"}).json()["jobs"].empty());
  const auto campaign = sandbox.run({"campaign", "create", "--name", "Keys", "--brand", "Zephyr", "-q"});
  REQUIRE(campaign.exit_code == 0);
  const std::string campaign_id = campaign.out.substr(0, campaign.out.find('\n'));
  const auto batch = sandbox.run({"campaign", "run", campaign_id, "--topic", "Keys", "--provider", "local"});
  CHECK(batch.exit_code == 5);
  CHECK_THAT(batch.err, Catch::Contains(expected));
  CHECK(sandbox.run({"campaign", "batches", campaign_id, "--json"}).json().empty());
  // --detach queues anyway (a worker may have the key) and says so; the worker then fails it at call time.
  const auto detached =
      sandbox.run({"campaign", "run", campaign_id, "--topic", "Keys", "--provider", "local", "--detach", "-q"});
  CHECK(detached.exit_code == 0);
  CHECK_THAT(detached.err, Catch::Contains(expected) && Catch::Contains("queued anyway"));
  const std::string batch_id = detached.out.substr(0, detached.out.find('\n'));
  CHECK(sandbox.run({"worker", "--until-idle", "--no-progress"}).exit_code == 0);
  const auto retried = sandbox.run({"batch", "retry", batch_id});
  CHECK(retried.exit_code == 5);
  CHECK_THAT(retried.err, Catch::Contains(expected));
  CHECK(sandbox.run({"batch", "show", batch_id, "--json"}).json()["counts"]["failed"] == 1); // not queued again
  const auto tested = sandbox.run({"provider", "test", "local"});
  CHECK(tested.exit_code == 5);
  CHECK_THAT(tested.err, Catch::Contains(expected));
  CHECK(nlohmann::json::parse(http_get(server.port, "/_stats"))["total"] == 0); // not one request went out

  // doctor: the provider in use fails the doctor; another provider's problem is a warning.
  auto doctor = sandbox.run({"doctor", "--json"});
  CHECK(doctor.exit_code == 0);
  CHECK(check_named(doctor.json(), "provider local")["warning"] == true);
  CHECK_THAT(check_named(doctor.json(), "provider local")["detail"].get<std::string>(), Catch::Contains(expected));
  REQUIRE(sandbox.run({"provider", "use", "local"}).exit_code == 0);
  doctor = sandbox.run({"doctor"});
  CHECK(doctor.exit_code == 1);
  CHECK_THAT(doctor.out, Catch::Contains("provider local") && Catch::Contains(expected));

  sandbox.set_env("BLOGEN_TEST_LOCAL_KEY", "sk-right");
  CHECK(sandbox.run({"doctor"}).exit_code == 0);
  CHECK(sandbox.run({"provider", "test", "local"}).exit_code == 0);
  CHECK(sandbox.run({"blog", "create", "--topic", "Keys"}).exit_code == 0);
}

TEST_CASE("doctor checks the base URL of each provider without a request") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"provider", "add", "ok", "--base-url", "http://127.0.0.1:1/v1", "--model", "m", "--no-key"})
              .exit_code == 0);
  const auto doctor = sandbox.run({"doctor", "--json"});
  CHECK(check_named(doctor.json(), "provider ok")["ok"] == true);
  CHECK(check_named(doctor.json(), "provider ok")["warning"] == false);
  CHECK(check_named(doctor.json(), "provider builtin")["ok"] == true); // the one in use
  for (const char* url : {"http://", "http:///v1", "https://user:pw@host/v1", "http://host/v1?x=1", "localhost:80"}) {
    INFO(url);
    const auto added = sandbox.run({"provider", "add", "bad", "--base-url", url, "--model", "m", "--no-key"});
    CHECK(added.exit_code == 2);
    CHECK_THAT(added.err, Catch::Contains("--base-url"));
    CHECK(added.err.find("pw@") == std::string::npos); // a password in a URL is never echoed
  }
}

// Item 8: a credential given with --header was stored in the clear in the providers table.
TEST_CASE("credential headers are refused on --header and read from the environment with --header-env") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY);
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string secret = "hdr-SECRET-4b1d9e";
  for (const std::string header : {"X-Api-Key: ", "Authorization: Bearer ",
                                   "api-key: ", "X-Auth-Token: ", "Proxy-Authorization: Basic ", "X-Client-Secret: "}) {
    INFO(header);
    const auto added = sandbox.run(
        {"provider", "add", "x", "--base-url", server.base_url(), "--model", "m", "--header", header + secret});
    CHECK(added.exit_code == 2);
    CHECK_THAT(added.err, Catch::Contains("--header-env"));
    CHECK(added.err.find(secret) == std::string::npos);
  }
  const auto literal = sandbox.run({"provider", "add", "x", "--base-url", server.base_url(), "--model", "m",
                                    "--header-env", "X-Api-Key: " + secret});
  CHECK(literal.exit_code == 2); // a value where the variable's name belongs
  CHECK(literal.err.find(secret) == std::string::npos);
  CHECK(find_named(sandbox.run({"provider", "list", "--json"}).json(), "x").is_null());

  REQUIRE(sandbox
              .run({"provider", "add", "hdr", "--base-url", server.base_url(), "--model", "m", "--no-key",
                    "--header-env", "X-Api-Key: BLOGEN_TEST_HDR", "--header", "HTTP-Referer: https://blogen.example",
                    "--max-attempts", "1"})
              .exit_code == 0);
  const auto listed = find_named(sandbox.run({"provider", "list", "--json"}).json(), "hdr");
  CHECK(listed["header_env"] == nlohmann::json{{"X-Api-Key", "BLOGEN_TEST_HDR"}});
  const auto missing = sandbox.run({"blog", "create", "--topic", "Headers", "--provider", "hdr"});
  CHECK(missing.exit_code == 5);
  CHECK_THAT(missing.err, Catch::Contains("BLOGEN_TEST_HDR is not set: provider hdr reads its X-Api-Key header"));
  CHECK(nlohmann::json::parse(http_get(server.port, "/_stats"))["total"] == 0);

  sandbox.set_env("BLOGEN_TEST_HDR", secret);
  std::string everything;
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"blog", "create", "--topic", "Headers", "--provider", "hdr", "--json"},
                                             {"provider", "list", "--json"},
                                             {"provider", "list"},
                                             {"provider", "test", "hdr", "--json"},
                                             {"doctor", "--json"},
                                             {"log", "--json"}}) {
    const auto result = sandbox.run(args);
    INFO(result.err);
    CHECK(result.exit_code == 0);
    everything += result.out + result.err;
  }
  CHECK(everything.find(secret) == std::string::npos);
  if (sandbox.on_postgresql()) { // every row of the store's database, as pg_dump writes them out
    const auto dump = blogen::testing::spawn({"/usr/bin/pg_dump", "--data-only", "-d", sandbox.store_location()},
                                             {{"PATH", "/usr/bin:/bin"}})
                          .wait(60'000);
    REQUIRE(dump.exit_code == 0);
    CHECK(dump.out.find("COPY public.providers") != std::string::npos); // the rows are in the dump at all
    CHECK(dump.out.find(secret) == std::string::npos);
  } else {
    for (const auto& file : std::filesystem::directory_iterator(sandbox.store().parent_path()))
      CHECK(read_bytes(file.path()).find(secret) == std::string::npos);
  }
}
