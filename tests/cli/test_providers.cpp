// Providers, templates, settings and the call log through the real binary, against the fake OpenAI server.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

using blogen::testing::read_bytes;
using blogen::testing::Sandbox;
using blogen::testing::start_fake_server;

namespace {

nlohmann::json find_named(const nlohmann::json& array, const std::string& name) {
  for (const auto& item : array) {
    if (item["name"] == name) return item;
  }
  return nullptr;
}

} // namespace

TEST_CASE("without configuration the builtin provider is the default") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto result = sandbox.run({"provider", "list", "--json"});
  REQUIRE(result.exit_code == 0);
  const auto builtin = find_named(result.json(), "builtin");
  REQUIRE(builtin.is_object());
  CHECK(builtin["default"] == true);
  CHECK(builtin["model"] == "builtin-drafter");
  CHECK(sandbox.run({"provider", "test", "builtin"}).exit_code == 0);
}

TEST_CASE("the shipped builtin provider makes one attempt per call and names its image model") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto builtin = find_named(sandbox.run({"provider", "list", "--json"}).json(), "builtin");
  REQUIRE(builtin.is_object());
  CHECK(builtin["max_attempts"] == 1); // it once retried 5 times: app kept its own copy of the builtin config
  CHECK(builtin["image_model"] == "builtin-drafter");
  CHECK(builtin["api_key_env"] == "");
  CHECK(builtin["configured"] == false);
  const auto openai = find_named(sandbox.run({"provider", "list", "--json"}).json(), "openai");
  CHECK(openai["max_attempts"] == 5);
  CHECK(openai["image_model"] == "gpt-image-1");
}

TEST_CASE("a provider added with --kind builtin takes the builtin's model and needs no key") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("admin") == 0);
  REQUIRE(sandbox.run({"provider", "add", "offline", "--kind", "builtin"}).exit_code == 0);
  const auto offline = find_named(sandbox.run({"provider", "list", "--json"}).json(), "offline");
  REQUIRE(offline.is_object());
  CHECK(offline["kind"] == "builtin");
  CHECK(offline["model"] == "builtin-drafter");
  CHECK(offline["api_key_env"] == "");
  CHECK(offline["max_attempts"] == 1); // the kind's default, not the openai kind's 5
  CHECK(sandbox.run({"provider", "test", "offline"}).exit_code == 0);
  REQUIRE(sandbox.run({"provider", "add", "patient", "--kind", "builtin", "--max-attempts", "3"}).exit_code == 0);
  CHECK(find_named(sandbox.run({"provider", "list", "--json"}).json(), "patient")["max_attempts"] == 3);
}

TEST_CASE("OPENAI_API_KEY in the environment makes openai the default") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  sandbox.set_env("OPENAI_API_KEY", "sk-env-only-0123456789");
  const auto result = sandbox.run({"provider", "list", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(find_named(result.json(), "openai")["default"] == true);
  CHECK(find_named(result.json(), "openai")["key_present"] == true);
  CHECK(result.out.find("sk-env-only") == std::string::npos);
}

TEST_CASE("a provider added for an OpenAI-compatible server answers provider test and becomes the default") {
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--models", "alpha,beta"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(
      sandbox.run({"provider", "add", "fake", "--base-url", server.base_url() + "/", "--model", "alpha", "--no-key"})
          .exit_code == 0);
  auto test = sandbox.run({"provider", "test", "fake", "--json"});
  REQUIRE(test.exit_code == 0);
  CHECK(test.json()["ok"] == true);
  CHECK(test.json()["models"] == nlohmann::json::array({"alpha", "beta"}));
  REQUIRE(sandbox.run({"provider", "use", "fake"}).exit_code == 0);
  const auto list = sandbox.run({"provider", "list", "--json"}).json();
  CHECK(find_named(list, "fake")["default"] == true);
  CHECK(find_named(list, "fake")["base_url"] == server.base_url()); // trailing slash trimmed
  CHECK(find_named(list, "builtin")["default"] == false);
  CHECK(sandbox.run({"config", "get", "provider.default"}).out == "fake\n");
  REQUIRE(sandbox.run({"provider", "remove", "fake"}).exit_code == 0);
  CHECK(find_named(sandbox.run({"provider", "list", "--json"}).json(), "builtin")["default"] == true);
}

TEST_CASE("an unreachable provider fails provider test with exit 5") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  REQUIRE(sandbox
              .run({"provider", "add", "down", "--base-url", "http://127.0.0.1:1/v1", "--model", "m", "--no-key",
                    "--connect-timeout", "2"})
              .exit_code == 0);
  const auto result = sandbox.run({"provider", "test", "down"});
  CHECK(result.exit_code == 5);
  CHECK_THAT(result.err, Catch::Contains("connection"));
}

TEST_CASE("an API key is read from its variable and never printed, logged or stored", "[sqlite-only]") {
  const std::string secret = "sk-live-SECRET-7f3a9c1e5b";
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--api-key", "sk-the-right-one"});
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  sandbox.set_env("MY_PROVIDER_KEY", secret);
  REQUIRE(sandbox
              .run({"provider", "add", "keyed", "--base-url", server.base_url(), "--model", "m", "--api-key-env",
                    "MY_PROVIDER_KEY"})
              .exit_code == 0);
  std::string everything;
  for (const auto& args : std::vector<std::vector<std::string>>{{"provider", "test", "keyed"},
                                                                {"provider", "test", "keyed", "--json"},
                                                                {"provider", "list", "--json"},
                                                                {"provider", "list"},
                                                                {"log", "--json"}}) {
    const auto result = sandbox.run(args);
    everything += result.out + result.err;
    if (args[1] == "test") CHECK(result.exit_code == 5); // the server rejects the key: auth, not retried
  }
  CHECK_THAT(everything, Catch::Contains("MY_PROVIDER_KEY"));
  CHECK(everything.find(secret) == std::string::npos);
  for (const auto& file : std::filesystem::directory_iterator(sandbox.store().parent_path())) {
    CHECK(read_bytes(file.path()).find(secret) == std::string::npos);
  }
}

TEST_CASE("provider add validates its flags and needs an admin") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("admin") == 0);
  auto result = sandbox.run({"provider", "add", "x", "--base-url", "ftp://host", "--model", "m"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--base-url"));
  result =
      sandbox.run({"provider", "add", "x", "--base-url", "http://h/v1", "--model", "m", "--api-key-env", "sk-abc"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--api-key-env"));
  result = sandbox.run({"provider", "add", "x", "--kind", "claude", "--base-url", "http://h/v1"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--kind"));
  result = sandbox.run({"provider", "add", "x", "--kind", "openai", "--base-url", "http://h/v1"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--model")); // an openai provider needs a model
  CHECK(sandbox.run({"provider", "use", "nope"}).exit_code == 3);
  CHECK(sandbox.run({"provider", "remove", "nope"}).exit_code == 3);

  REQUIRE(sandbox.login_as("bob") == 0); // the second account is not an admin
  result = sandbox.run({"provider", "add", "x", "--base-url", "http://h/v1", "--model", "m"});
  CHECK(result.exit_code == 4);
  CHECK(sandbox.run({"provider", "list", "--json"}).exit_code == 0);
  CHECK(find_named(sandbox.run({"provider", "list", "--json"}).json(), "x").is_null());
}

TEST_CASE("templates: the built-in ones, adding one from a file, and clear errors for malformed ones") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  auto list = sandbox.run({"template", "list", "--json"}).json();
  for (const char* name :
       {"blog-post", "outline", "listicle", "how-to", "newsletter", "product-description", "social-caption"}) {
    INFO(name);
    CHECK(find_named(list, name)["builtin"] == true);
  }
  const auto good =
      sandbox.write_file("recipe.txt", "You write recipes.\n---\nWrite a {tone|warm} recipe for {topic}.\n");
  REQUIRE(sandbox.run({"template", "add", "recipe", "--file", good.string()}).exit_code == 0);
  const auto shown = sandbox.run({"template", "show", "recipe", "--json"}).json();
  CHECK(shown["system"] == "You write recipes.\n");
  CHECK(shown["user"] == "Write a {tone|warm} recipe for {topic}.\n");

  const auto bad = sandbox.write_file("bad.txt", "Write about {topic} for {readership}.\n");
  const auto result = sandbox.run({"template", "add", "broken", "--file", bad.string()});
  CHECK(result.exit_code == 6);
  CHECK_THAT(result.err, Catch::Contains("bad.txt") && Catch::Contains("readership"));
  CHECK(find_named(sandbox.run({"template", "list", "--json"}).json(), "broken").is_null());

  CHECK(sandbox.run({"template", "remove", "blog-post"}).exit_code == 2);
  CHECK(sandbox.run({"template", "remove", "recipe"}).exit_code == 0);
  CHECK(sandbox.run({"template", "show", "recipe"}).exit_code == 2);
}

TEST_CASE("settings are validated and read back") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  CHECK(sandbox.run({"config", "get", "defaults.words"}).out == "800\n");
  REQUIRE(sandbox.run({"config", "set", "defaults.words", "450"}).exit_code == 0);
  CHECK(sandbox.run({"config", "get", "defaults.words"}).out == "450\n");
  auto result = sandbox.run({"config", "set", "defaults.words", "99999"});
  CHECK(result.exit_code == 2);
  CHECK(sandbox.run({"config", "get", "defaults.words"}).out == "450\n");
  result = sandbox.run({"config", "set", "colour.theme", "dark"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("unknown setting"));
  CHECK(sandbox.run({"config", "list", "--json"}).json()["defaults.words"] == "450");
}

TEST_CASE("commands need a login") {
  Sandbox sandbox(BLOGEN_BINARY);
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"provider", "list"}, {"template", "list"}, {"config", "list"}, {"log"}}) {
    INFO(args[0]);
    CHECK(sandbox.run(args).exit_code == 4);
  }
}
