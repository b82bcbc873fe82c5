// The one table of provider kinds: names, ready-made configurations, completion, validation and the factory.
#include <blogen/core/error.hpp>
#include <blogen/gen/builtin_provider.hpp>
#include <blogen/gen/openai_provider.hpp>
#include <blogen/gen/provider_kinds.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace blogen::gen;
using blogen::Error;
using blogen::ErrorCode;

TEST_CASE("provider kinds: builtin first, then openai, each with a ready-made provider named after it") {
  CHECK(provider_kind_names() == std::vector<std::string>{"builtin", "openai"});
  for (const ProviderKind& kind : provider_kinds()) {
    INFO(kind.name);
    CHECK(find_provider_kind(kind.name) == &kind);
    CHECK_FALSE(kind.description.empty());
    const ProviderConfig ready = kind.ready_made();
    CHECK(ready.name == kind.name);
    CHECK(ready.kind == kind.name);
    CHECK_NOTHROW(kind.validate(ready));
    CHECK(make_provider(ready)->config().name == ready.name);
  }
  CHECK(find_provider_kind("claude") == nullptr);
}

TEST_CASE("provider kinds: the builtin's ready-made config is the one its class defaults to") {
  const ProviderConfig ready = find_provider_kind("builtin")->ready_made();
  CHECK(ready.max_attempts == 1);
  CHECK(ready.image_model == k_builtin_model);
  CHECK(ready.model == k_builtin_model);
  CHECK(BuiltinProvider().config().max_attempts == ready.max_attempts);
}

TEST_CASE("provider kinds: the factory builds the class of the kind and refuses an unknown kind") {
  ProviderConfig config = openai_provider_config();
  config.name = "elsewhere";
  CHECK(dynamic_cast<OpenAiProvider*>(make_provider(config).get()) != nullptr);
  config.kind = "builtin";
  CHECK(dynamic_cast<BuiltinProvider*>(make_provider(config).get()) != nullptr);
  config.kind = "claude";
  try {
    make_provider(config);
    FAIL("an unknown kind was built");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::failed);
    CHECK_THAT(e.what(), Catch::Contains("elsewhere") && Catch::Contains("claude"));
  }
}

TEST_CASE("provider kinds: completion fills in what the kind decides, validation names the flag") {
  ProviderConfig builtin;
  builtin.name = "offline";
  builtin.kind = "builtin";
  builtin.api_key_env = "OPENAI_API_KEY";
  find_provider_kind("builtin")->complete(builtin);
  CHECK(builtin.model == k_builtin_model);
  CHECK(builtin.api_key_env.empty());
  builtin.model = "my-drafter";
  find_provider_kind("builtin")->complete(builtin);
  CHECK(builtin.model == "my-drafter"); // a chosen model stays

  const ProviderKind& openai = *find_provider_kind("openai");
  ProviderConfig remote;
  remote.kind = "openai";
  remote.base_url = "ftp://host";
  remote.model = "m";
  openai.complete(remote);
  CHECK(remote.api_key_env == "OPENAI_API_KEY"); // openai decides nothing for the user
  try {
    openai.validate(remote);
    FAIL("ftp:// was accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::usage);
    CHECK_THAT(e.what(), Catch::StartsWith("--base-url"));
  }
  remote.base_url = "http://localhost:11434/v1";
  remote.model.clear();
  try {
    openai.validate(remote);
    FAIL("an empty model was accepted");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("--model"));
  }
  remote.model = "llama3";
  CHECK_NOTHROW(openai.validate(remote));
}
