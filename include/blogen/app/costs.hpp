#pragma once
// What calls cost: prices per provider and model (set ones, then a small built-in table for OpenAI's own models),
// the cost of one call at the price in force when it was made, and the cost reports (`blogen cost`, the cost lines
// of `blog/batch/campaign show`). Money is an integer count of nano-dollars (1e-9 USD): sums are exact.

#include <blogen/app/context.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/gen/provider.hpp>
#include <blogen/store/cost_repository.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::app {

/// The image size blogen asks for (gen::ImageRequest's default), the one a price without sizes is quoted for.
inline constexpr const char* k_default_image_size = "1024x1024";
/// Nano-dollars per US dollar.
inline constexpr std::int64_t k_nanos_per_usd = 1'000'000'000;
/// The date the built-in OpenAI prices were taken from OpenAI's pricing page (also in the man page).
inline constexpr const char* k_builtin_prices_date = "2025-07-01";

/// "0.15", "2", "$1.5" -> nano-dollars (at most 9 decimals). Throws Error{usage} naming `flag` otherwise.
std::int64_t parse_usd(std::string_view text, std::string_view flag);
/// Nano-dollars as "$12.34", "$0.0042" (at least 2 decimals, more only where they are not zero; at most 6).
std::string format_usd(std::int64_t nanos);
/// Nano-dollars as a JSON number of dollars (for reading; the exact value is the `_nanos` field beside it).
double usd(std::int64_t nanos);

/// A price in force: per million prompt and completion tokens, per image, and where it comes from.
struct Price {
  std::int64_t input_nanos_per_million = 0;
  std::int64_t output_nanos_per_million = 0;
  std::optional<std::int64_t> image_nanos; ///< nullopt: images are unpriced (sizes without a price of their own)
  std::string source;                      ///< "set", "built-in" or "free"
  std::string model;                       ///< the model it was set for ("" for every model)
  std::optional<TimestampMs> effective_at; ///< set prices: from when
  std::map<std::string, std::int64_t> image_size_nanos; ///< "1792x1024" -> its price; other sizes: image_nanos
};

/// The price of one image of `size` ("1024x1024"): the size's own, else the price per image, else nullopt.
std::optional<std::int64_t> image_price(const Price& price, std::string_view size);
/// A set price as it prices calls.
Price price_of(const store::PriceRow& row);

/// The built-in price of an OpenAI model ("gpt-4o-2024-08-06" takes the price of "gpt-4o"), or nullopt.
std::optional<Price> builtin_openai_price(std::string_view model);
/// The price of `model` on the provider at `at`: one set with `provider price` (the model's own, then the
/// provider-wide one), else the built-in table (only for api.openai.com), else free for the builtin writer and
/// providers without a key, else nullopt (unpriced).
std::optional<Price> price_in_force(store::Database& db, const gen::ProviderConfig& config, const std::string& model,
                                    TimestampMs at);
/// The cost of tokens and images (of `image_size`) at a price, rounded to the nearest nano-dollar; nullopt when
/// images are asked for and the price has none for that size.
std::optional<std::int64_t> cost_at(const Price& price, std::int64_t prompt_tokens, std::int64_t completion_tokens,
                                    std::int64_t images, std::string_view image_size = k_default_image_size);

/// `provider price`: what to record.
struct SetPriceRequest {
  std::string provider;
  std::string model; ///< empty: every model of the provider without a price of its own
  std::string input; ///< USD per million prompt tokens, as typed
  std::string output;
  std::optional<std::string> image;     ///< USD per image
  std::vector<std::string> image_sizes; ///< "1792x1024=0.08": USD per image of that size (--image-size), as typed
};
/// Records a price taking effect now (admin). The provider must exist.
void set_price(Context& context, const SetPriceRequest& request);

/// A provider's price for its default model and its set prices, as `provider list/show` print them.
struct ProviderPrices {
  std::optional<Price> current;     ///< for the provider's default model now; nullopt: unpriced
  std::vector<store::PriceRow> set; ///< every price set for it, newest first per model
};
/// The prices of a provider (needs a login).
ProviderPrices provider_prices(Context& context, const gen::ProviderConfig& config);
/// "$2.50 in / $10.00 out per 1M tokens, $0.04 per image (1792x1024 $0.08) (built-in)", "unpriced", or "free".
std::string describe_price(const std::optional<Price>& price);
/// An image price with its sizes: "$0.04 (1792x1024 $0.08)", "-" when images are unpriced.
std::string describe_image_price(const Price& price);
/// {input_usd_per_million, output_usd_per_million, image_usd, image_sizes: {size: usd}, source, model,
/// ..._nanos..., image_size_nanos: {size: nanos}}, null when unpriced.
nlohmann::json price_json(const std::optional<Price>& price);

using CostTotal = store::CostTotal;
using CostGrouping = store::CostGrouping;

/// `blogen cost`: the range and grouping asked for.
struct CostReportRequest {
  std::optional<std::string> since; ///< YYYY-MM-DD (UTC), included
  std::optional<std::string> until; ///< YYYY-MM-DD (UTC), included
  std::string by;                   ///< "", day, provider, model, campaign, batch or user
  bool all_users = false;           ///< admin only
};
/// The groupings `--by` accepts.
const std::vector<std::string>& cost_groupings();
/// Totals of the current user's calls (every user's with all_users), one per group, and the grand total last.
struct CostReport {
  std::string by;
  std::vector<CostTotal> groups;
  CostTotal total;
};
CostReport cost_report(Context& context, const CostReportRequest& request);

/// The cost of the current user's calls for one post, batch or campaign (the `show` commands).
CostTotal post_cost(Context& context, std::int64_t post_id);
/// The same for a user already checked (a command that shows the post too checks the session once).
CostTotal post_cost(Context& context, const CurrentUser& user, std::int64_t post_id);
CostTotal batch_cost(Context& context, std::int64_t batch_id);
CostTotal campaign_cost(Context& context, std::int64_t campaign_id);

/// The setting `config set` takes for a user's monthly budget.
inline constexpr const char* k_monthly_budget_key = "budget.monthly";
/// Sets (USD as typed) or clears ("none") the monthly budget of the current user, or of `username` (admin only).
/// Returns the user it was set for.
std::string set_monthly_budget(Context& context, const std::string& value, const std::optional<std::string>& username);
/// The current user's monthly budget and what was spent of it this month (UTC), for `config get budget.monthly`.
std::string describe_monthly_budget(Context& context);

/// "$0.0123" or "$0.0123 + 2 unpriced calls" or "unpriced" (all calls unpriced) or "$0.00" (no calls).
std::string describe_cost(const CostTotal& total);
/// {calls, prompt_tokens, completion_tokens, images, cost_usd, cost_nanos, unpriced_calls}; cost null when every
/// call was unpriced.
nlohmann::json cost_json(const CostTotal& total);

} // namespace blogen::app
