// Money arithmetic and prices: amounts parse and print exactly, a call costs what the price in force said, the
// built-in OpenAI table matches dated snapshots only, and set prices win over it without rewriting the past.
#include <blogen/app/context.hpp>
#include <blogen/app/costs.hpp>
#include <blogen/core/clock.hpp>
#include <blogen/core/error.hpp>
#include <blogen/gen/provider.hpp>
#include <blogen/store/cost_repository.hpp>

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <optional>

using blogen::app::cost_at;
using blogen::app::format_usd;
using blogen::app::parse_usd;
using blogen::app::Price;

TEST_CASE("amounts in dollars parse to exact nano-dollars and print back readably") {
  CHECK(parse_usd("2.50", "--input") == 2'500'000'000);
  CHECK(parse_usd("$0.15", "--input") == 150'000'000);
  CHECK(parse_usd("10", "--input") == 10'000'000'000);
  CHECK(parse_usd(".5", "--input") == 500'000'000);
  CHECK(parse_usd("0.000000001", "--input") == 1);
  for (const char* bad : {"", "-1", "1.", "abc", "1e3", "0.0000000001", "1.2.3"}) {
    CHECK_THROWS_AS(parse_usd(bad, "--input"), blogen::Error);
  }
  CHECK(format_usd(0) == "$0.00");
  CHECK(format_usd(2'500'000'000) == "$2.50");
  CHECK(format_usd(150'000) == "$0.00015");
  CHECK(format_usd(12'345'678'900) == "$12.345679");
}

TEST_CASE("a call costs its tokens and images at the price, rounded to the nano-dollar") {
  const Price price{150'000'000, 600'000'000, std::nullopt, "set", "", std::nullopt, {}}; // $0.15 / $0.60 per 1M
  CHECK(cost_at(price, 1000, 500, 0) == 150'000 + 300'000);
  CHECK(cost_at(price, 3'000'001, 0, 0) == 450'000'150); // whole millions and the rest, no overflow
  CHECK_FALSE(cost_at(price, 0, 0, 1).has_value());      // an image at a price without one is unpriced
  const Price with_image{0, 0, 40'000'000, "set", "", std::nullopt, {}};
  CHECK(cost_at(with_image, 10, 10, 2) == 80'000'000);
}

TEST_CASE("the built-in table knows OpenAI's models and their dated snapshots, nothing else") {
  CHECK(blogen::app::builtin_openai_price("gpt-4o")->input_nanos_per_million == 2'500'000'000);
  CHECK(blogen::app::builtin_openai_price("gpt-4o-2024-08-06")->model == "gpt-4o");
  CHECK(blogen::app::builtin_openai_price("gpt-4o-mini")->output_nanos_per_million == 600'000'000);
  CHECK(blogen::app::builtin_openai_price("gpt-4.1-nano")->model == "gpt-4.1-nano");
  CHECK_FALSE(blogen::app::builtin_openai_price("gpt-4o-realtime-preview").has_value());
  CHECK_FALSE(blogen::app::builtin_openai_price("llama3").has_value());
}

TEST_CASE("the price in force: set ones by time and model, then built-in for OpenAI, free without a key") {
  blogen::testing::TempDir dir;
  blogen::ManualClock clock;
  blogen::app::Context context(dir.path() / "blogen.db", clock);
  auto& db = context.db();

  blogen::gen::ProviderConfig openai;
  openai.name = "openai";
  openai.kind = "openai";
  openai.base_url = "https://api.openai.com/v1";
  openai.api_key_env = "OPENAI_API_KEY";
  blogen::gen::ProviderConfig router = openai;
  router.name = "router";
  router.base_url = "https://openrouter.ai/api/v1";
  blogen::gen::ProviderConfig local = router;
  local.name = "local";
  local.api_key_env = "";

  CHECK(blogen::app::price_in_force(db, openai, "gpt-4o-mini", 1000)->source == "built-in");
  CHECK_FALSE(blogen::app::price_in_force(db, router, "gpt-4o-mini", 1000).has_value()); // unpriced, not 0
  CHECK(blogen::app::price_in_force(db, local, "llama3", 1000)->source == "free");

  blogen::store::PriceRepository prices(db);
  blogen::store::PriceRow row;
  row.provider = "openai";
  row.model = "gpt-4o-mini";
  row.input_nanos_per_million = 1'000'000'000;
  row.output_nanos_per_million = 2'000'000'000;
  row.effective_at = 5000;
  prices.add(row, 5000);
  row.input_nanos_per_million = 3'000'000'000;
  row.effective_at = 9000;
  prices.add(row, 9000);
  row.model = "";
  row.input_nanos_per_million = 7;
  row.effective_at = 9500;
  prices.add(row, 9500);

  CHECK(blogen::app::price_in_force(db, openai, "gpt-4o-mini", 4999)->source == "built-in"); // before any set price
  CHECK(blogen::app::price_in_force(db, openai, "gpt-4o-mini", 5000)->input_nanos_per_million == 1'000'000'000);
  CHECK(blogen::app::price_in_force(db, openai, "gpt-4o-mini", 9999)->input_nanos_per_million == 3'000'000'000);
  CHECK(blogen::app::price_in_force(db, openai, "gpt-4o", 9999)->input_nanos_per_million == 7); // provider-wide
  // Two prices of one model from the same moment: the one set last is in force.
  row.model = "gpt-4o-mini";
  row.input_nanos_per_million = 4'000'000'000;
  row.effective_at = 9000;
  prices.add(row, 9600);
  CHECK(blogen::app::price_in_force(db, openai, "gpt-4o-mini", 9999)->input_nanos_per_million == 4'000'000'000);
  row.model = "";
  row.provider = "local";
  row.input_nanos_per_million = 100;
  prices.add(row, 9500);
  CHECK(blogen::app::price_in_force(db, local, "llama3", 9999)->source == "set"); // priced: no longer free
}

TEST_CASE("images are priced by the size asked for: a size's own price, else the price per image") {
  Price price{0, 0, 40'000'000, "set", "", std::nullopt, {{"1792x1024", 80'000'000}}};
  CHECK(blogen::app::image_price(price, "1792x1024") == 80'000'000);
  CHECK(blogen::app::image_price(price, "1024x1024") == 40'000'000);
  CHECK(cost_at(price, 0, 0, 2, "1792x1024") == 160'000'000);
  CHECK(cost_at(price, 0, 0, 1) == 40'000'000); // blogen's default size
  CHECK(blogen::app::describe_image_price(price) == "$0.04 (1792x1024 $0.08)");
  price.image_nanos.reset();
  CHECK(cost_at(price, 0, 0, 1, "1792x1024") == 80'000'000);
  CHECK_FALSE(cost_at(price, 0, 0, 1, "1024x1024").has_value()); // a size without a price is unpriced

  const auto dalle3 = blogen::app::builtin_openai_price("dall-e-3");
  REQUIRE(dalle3);
  CHECK(blogen::app::image_price(*dalle3, "1024x1024") == 40'000'000);
  CHECK(blogen::app::image_price(*dalle3, "1024x1792") == 80'000'000);
  CHECK(blogen::app::image_price(*blogen::app::builtin_openai_price("gpt-image-1"), "1536x1024") == 63'000'000);
  CHECK(blogen::app::image_price(*blogen::app::builtin_openai_price("dall-e-2"), "256x256") == 16'000'000);
}

TEST_CASE("per-size image prices are stored with their price row and read back in force") {
  blogen::testing::TempDir dir;
  blogen::ManualClock clock;
  blogen::app::Context context(dir.path() / "blogen.db", clock);
  blogen::gen::ProviderConfig local;
  local.name = "local";
  local.kind = "openai";
  blogen::store::PriceRow row;
  row.provider = "local";
  row.image_nanos = 10;
  row.image_size_nanos = {{"512x512", 5}, {"1792x1024", 20}};
  row.effective_at = 100;
  blogen::store::PriceRepository(context.db()).add(row, 100);
  const auto price = blogen::app::price_in_force(context.db(), local, "img", 200);
  REQUIRE(price);
  CHECK(price->image_size_nanos == row.image_size_nanos);
  CHECK(cost_at(*price, 0, 0, 1, "512x512") == 5);
  CHECK(cost_at(*price, 0, 0, 1, "1024x1024") == 10);
  const auto json = blogen::app::price_json(price);
  CHECK(json["image_size_nanos"]["1792x1024"] == 20);
  CHECK(json["image_sizes"]["512x512"].get<double>() == Approx(5e-9));
}
