// Provider resolution, the provider cache and the shared --provider/--model checks, against a real store file.
#include <blogen/app/provider_cache.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/core/clock.hpp>
#include <blogen/core/error.hpp>
#include <blogen/gen/builtin_provider.hpp>
#include <blogen/store/config_repository.hpp>

#include "app/field_checks.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

using blogen::Error;
using blogen::ErrorCode;
using blogen::ManualClock;
using blogen::app::Context;

namespace {

// A context on a fresh store file, with a default that does not depend on the developer's environment.
struct TempStore {
  blogen::testing::TempDir dir;
  ManualClock clock;
  std::optional<Context> context;
  TempStore() {
    ::unsetenv("OPENAI_API_KEY");
    context.emplace(dir.path() / "blogen.db", clock);
  }
};

// The error a call threw (fails the test when it threw none).
Error thrown_by(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no error was thrown");
  return Error(ErrorCode::failed, "");
}

} // namespace

TEST_CASE("the shipped builtin provider never retries and names its image model") {
  TempStore store;
  for (const std::optional<std::string>& name : {std::optional<std::string>("builtin"), std::optional<std::string>()}) {
    const auto config = blogen::app::resolve_provider_config(*store.context, name);
    CHECK(config.name == "builtin");
    CHECK(config.kind == "builtin");
    CHECK(config.max_attempts == 1); // nothing transient can go wrong offline
    CHECK(config.image_model == "builtin-drafter");
    CHECK(config.api_key_env.empty());
  }
}

TEST_CASE("the shipped openai provider is the official endpoint with its key from OPENAI_API_KEY") {
  TempStore store;
  const auto config = blogen::app::resolve_provider_config(*store.context, std::string("openai"));
  CHECK(config.kind == "openai");
  CHECK(config.base_url == "https://api.openai.com/v1");
  CHECK(config.api_key_env == "OPENAI_API_KEY");
  CHECK(config.max_attempts == 5);
  CHECK(thrown_by([&] { blogen::app::resolve_provider_config(*store.context, std::string("nope")); }).code() ==
        ErrorCode::not_found);
}

TEST_CASE("the provider cache hands out one guarded provider per resolved provider") {
  TempStore store;
  blogen::app::ProviderCache cache(*store.context);
  auto& db = store.context->db();
  const auto by_default = cache.get("", db);
  const auto by_name = cache.get("builtin", db);
  CHECK(by_default == by_name); // "" resolves to builtin here: one governor for both
  CHECK(by_name->config().max_attempts == 1);
  CHECK(cache.get("openai", db) != by_name);
  CHECK(thrown_by([&] { cache.get("nope", db); }).code() == ErrorCode::not_found);

  blogen::app::ProviderCache other(*store.context);
  CHECK(other.get("builtin", db) != by_name); // governors belong to their cache, not to the process
  CHECK(&other.get("builtin", db)->governor() != &by_name->governor());
}

TEST_CASE("the provider cache follows the stored configuration: a changed provider is rebuilt (issue 16 #12)") {
  TempStore store;
  blogen::store::ProviderRow row;
  row.name = "local";
  row.kind = "openai";
  row.base_url = "http://127.0.0.1:1/v1";
  row.model = "first-model";
  row.max_concurrency = 2;
  row.max_attempts = 1;
  blogen::store::ProviderRepository providers(store.context->db());
  providers.save(row, 1);
  blogen::app::ProviderCache cache(*store.context);
  // A worker's own connection, as the job handlers pass theirs: it sees what `provider update` commits elsewhere.
  blogen::store::Database db = blogen::store::Database::open(store.dir.path() / "blogen.db");
  const auto before = cache.get("local", db);
  CHECK(cache.get("local", db) == before); // unchanged: the same provider and governor
  row.model = "second-model";
  row.base_url = "http://127.0.0.1:2/v1";
  providers.save(row, 2); // `provider update` while a worker runs
  const auto after = cache.get("local", db);
  CHECK(after != before);
  CHECK(after->config().model == "second-model");
  CHECK(after->config().base_url == "http://127.0.0.1:2/v1");
  providers.remove("local");
  CHECK(thrown_by([&] { cache.get("local", db); }).code() == ErrorCode::not_found);
}

TEST_CASE("posts and batches share one check of --provider and of --model") {
  TempStore store;
  using blogen::app::detail::checked_model;
  using blogen::app::detail::checked_provider;
  CHECK(checked_provider(*store.context, std::nullopt).name == "builtin");
  CHECK(checked_provider(*store.context, std::string("openai")).name == "openai");
  const Error unknown = thrown_by([&] { checked_provider(*store.context, std::string("nope")); });
  CHECK(unknown.code() == ErrorCode::usage);
  CHECK_THAT(unknown.what(), Catch::StartsWith("--provider: ") && Catch::Contains("provider list"));

  CHECK(checked_model("  gpt-4o-mini \n") == "gpt-4o-mini");
  for (const std::string& bad : std::vector<std::string>{"", "   ", "gpt 4", "a\tb", std::string(201, 'm')}) {
    INFO(bad);
    const Error error = thrown_by([&] { checked_model(bad); });
    CHECK(error.code() == ErrorCode::usage);
    CHECK_THAT(error.what(), Catch::StartsWith("--model"));
  }
  CHECK(checked_model(std::string(200, 'm')).size() == 200);
}
