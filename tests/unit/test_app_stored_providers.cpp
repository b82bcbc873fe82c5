// Provider configurations survive the trip through the store's plain row unchanged (the store knows no gen types).
#include "../../src/app/stored_providers.hpp"
#include "support/temp_dir.hpp"

#include <blogen/store/database.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace std::chrono_literals;
using blogen::gen::ProviderConfig;
using blogen::store::Database;

namespace {

struct TempStore {
  blogen::testing::TempDir dir{"blogen-providers"};
  Database db = Database::open(dir / "blogen.db");
};

// Every field set to a value other than its default, so a field the mapping forgets shows.
ProviderConfig full_config(const std::string& name) {
  ProviderConfig config;
  config.name = name;
  config.kind = "openai";
  config.base_url = "http://localhost:11434/v1";
  config.model = "llama3";
  config.image_model = "sdxl";
  config.api_key_env = "LOCAL_KEY";
  config.extra_headers = {{"X-Team", "blog"}, {"X-Trace", "on"}};
  config.max_concurrency = 7;
  config.requests_per_minute = 90;
  config.max_attempts = 2;
  config.connect_timeout = 1'500ms;
  config.request_timeout = 42'000ms;
  return config;
}

void check_same(const ProviderConfig& actual, const ProviderConfig& expected) {
  CHECK(actual.name == expected.name);
  CHECK(actual.kind == expected.kind);
  CHECK(actual.base_url == expected.base_url);
  CHECK(actual.model == expected.model);
  CHECK(actual.image_model == expected.image_model);
  CHECK(actual.api_key_env == expected.api_key_env);
  CHECK(actual.extra_headers == expected.extra_headers);
  CHECK(actual.max_concurrency == expected.max_concurrency);
  CHECK(actual.requests_per_minute == expected.requests_per_minute);
  CHECK(actual.max_attempts == expected.max_attempts);
  CHECK(actual.connect_timeout == expected.connect_timeout);
  CHECK(actual.request_timeout == expected.request_timeout);
}

} // namespace

TEST_CASE("a saved provider reads back with every field") {
  TempStore store;
  const ProviderConfig config = full_config("local");
  blogen::app::save_stored_provider(store.db, config, 1000);

  const auto found = blogen::app::find_stored_provider(store.db, "local");
  REQUIRE(found);
  check_same(*found, config);
  CHECK_FALSE(blogen::app::find_stored_provider(store.db, "missing"));
}

TEST_CASE("saving a provider again replaces it, the list is ordered by name") {
  TempStore store;
  ProviderConfig zeta = full_config("zeta");
  blogen::app::save_stored_provider(store.db, zeta, 1000);
  blogen::app::save_stored_provider(store.db, full_config("alpha"), 1000);
  zeta.model = "other-model";
  zeta.extra_headers.clear();
  blogen::app::save_stored_provider(store.db, zeta, 2000);

  const auto listed = blogen::app::list_stored_providers(store.db);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].name == "alpha");
  check_same(listed[1], zeta);
}
