#include <blogen/app/costs.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/core/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <cctype>

namespace blogen::app {
namespace {

constexpr std::int64_t k_tokens_per_price_unit = 1'000'000; // prices are per million tokens

// OpenAI's published prices on k_builtin_prices_date, per million tokens (images: per 1024x1024 standard image).
struct BuiltinPrice {
  std::string_view model;
  std::int64_t input_nanos_per_million;
  std::int64_t output_nanos_per_million;
  std::optional<std::int64_t> image_nanos;
};
constexpr std::int64_t k_cent = 10'000'000; // nano-dollars
constexpr std::array k_openai_prices{
    BuiltinPrice{"gpt-4o", 250 * k_cent, 1000 * k_cent, std::nullopt},
    BuiltinPrice{"gpt-4o-mini", 15 * k_cent, 60 * k_cent, std::nullopt},
    BuiltinPrice{"gpt-4.1", 200 * k_cent, 800 * k_cent, std::nullopt},
    BuiltinPrice{"gpt-4.1-mini", 40 * k_cent, 160 * k_cent, std::nullopt},
    BuiltinPrice{"gpt-4.1-nano", 10 * k_cent, 40 * k_cent, std::nullopt},
    BuiltinPrice{"gpt-4-turbo", 1000 * k_cent, 3000 * k_cent, std::nullopt},
    BuiltinPrice{"gpt-3.5-turbo", 50 * k_cent, 150 * k_cent, std::nullopt},
    BuiltinPrice{"o3", 200 * k_cent, 800 * k_cent, std::nullopt},
    BuiltinPrice{"o3-mini", 110 * k_cent, 440 * k_cent, std::nullopt},
    BuiltinPrice{"o4-mini", 110 * k_cent, 440 * k_cent, std::nullopt},
    BuiltinPrice{"dall-e-3", 0, 0, 4 * k_cent},
    BuiltinPrice{"dall-e-2", 0, 0, 2 * k_cent},
    BuiltinPrice{"gpt-image-1", 0, 0, 42 * k_cent / 10},
};

// OpenAI's per-size image prices on the same date (dall-e-3 and gpt-image-1 at standard / medium quality, which
// blogen gets by not asking for another); a size not listed costs the model's image price above.
struct BuiltinImageSize {
  std::string_view model;
  std::string_view size;
  std::int64_t nanos;
};
constexpr std::array k_openai_image_sizes{
    BuiltinImageSize{"dall-e-3", "1024x1024", 4 * k_cent},
    BuiltinImageSize{"dall-e-3", "1024x1792", 8 * k_cent},
    BuiltinImageSize{"dall-e-3", "1792x1024", 8 * k_cent},
    BuiltinImageSize{"dall-e-2", "256x256", 16 * k_cent / 10},
    BuiltinImageSize{"dall-e-2", "512x512", 18 * k_cent / 10},
    BuiltinImageSize{"dall-e-2", "1024x1024", 2 * k_cent},
    BuiltinImageSize{"gpt-image-1", "1024x1024", 42 * k_cent / 10},
    BuiltinImageSize{"gpt-image-1", "1024x1536", 63 * k_cent / 10},
    BuiltinImageSize{"gpt-image-1", "1536x1024", 63 * k_cent / 10},
};

// "gpt-4o-2024-08-06" is a dated snapshot of "gpt-4o"; "gpt-4o-mini" is another model.
bool names_snapshot_of(std::string_view model, std::string_view base) {
  if (model.substr(0, base.size()) != base) return false;
  const std::string_view rest = model.substr(base.size());
  return rest.empty() || (rest.size() > 2 && rest[0] == '-' && std::isdigit(static_cast<unsigned char>(rest[1])) &&
                          rest.find_first_not_of("-0123456789") == std::string_view::npos);
}

bool is_openai_itself(const gen::ProviderConfig& config) {
  return config.kind == "openai" && config.base_url.find("://api.openai.com") != std::string::npos;
}

// "1792x1024=0.08" -> the size and its price; Error{usage} naming --image-size otherwise.
std::pair<std::string, std::int64_t> parse_image_size(const std::string& text) {
  const auto equals = text.find('=');
  const std::string size = text.substr(0, equals);
  const auto x = size.find('x');
  const bool digits = x != std::string::npos && x > 0 && x + 1 < size.size() &&
                      size.find_first_not_of("0123456789x") == std::string::npos &&
                      size.find('x', x + 1) == std::string::npos;
  if (equals == std::string::npos || !digits) {
    throw Error(ErrorCode::usage, fmt::format("--image-size: '{}' is not SIZE=USD (e.g. 1792x1024=0.08)", text));
  }
  return {size, parse_usd(std::string_view(text).substr(equals + 1), "--image-size")};
}

// tokens * nanos-per-million / 1e6, rounded, without overflowing for any realistic count and price.
std::int64_t token_cost(std::int64_t tokens, std::int64_t nanos_per_million) {
  const std::int64_t whole = tokens / k_tokens_per_price_unit * nanos_per_million;
  return whole +
         (tokens % k_tokens_per_price_unit * nanos_per_million + k_tokens_per_price_unit / 2) / k_tokens_per_price_unit;
}

std::string price_part(std::int64_t nanos) { return format_usd(nanos); }

} // namespace

std::int64_t parse_usd(std::string_view text, std::string_view flag) {
  const auto bad = [&] {
    return Error(ErrorCode::usage,
                 fmt::format("{}: '{}' is not an amount in US dollars (e.g. 2.50, at most 9 decimals)", flag, text));
  };
  std::string_view rest = text;
  if (!rest.empty() && rest.front() == '$') rest.remove_prefix(1);
  const auto dot = rest.find('.');
  const std::string_view whole = rest.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  const auto digits = [](std::string_view part) {
    return part.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if ((whole.empty() && fraction.empty()) || whole.size() > 9 || fraction.size() > 9 || !digits(whole) ||
      !digits(fraction) || (dot != std::string_view::npos && fraction.empty())) {
    throw bad();
  }
  std::int64_t nanos = 0;
  for (const char c : whole)
    nanos = nanos * 10 + (c - '0');
  nanos *= k_nanos_per_usd;
  std::int64_t scale = k_nanos_per_usd / 10;
  for (const char c : fraction) {
    nanos += (c - '0') * scale;
    scale /= 10;
  }
  return nanos;
}

std::string format_usd(std::int64_t nanos) {
  const bool negative = nanos < 0;
  std::int64_t micros = ((negative ? -nanos : nanos) + 500) / 1000; // six decimals are enough to read
  std::string fraction = fmt::format("{:06}", micros % 1'000'000);
  while (fraction.size() > 2 && fraction.back() == '0')
    fraction.pop_back();
  return fmt::format("{}${}.{}", negative ? "-" : "", micros / 1'000'000, fraction);
}

double usd(std::int64_t nanos) { return static_cast<double>(nanos) / static_cast<double>(k_nanos_per_usd); }

std::optional<Price> builtin_openai_price(std::string_view model) {
  const BuiltinPrice* best = nullptr;
  for (const auto& entry : k_openai_prices) {
    if (names_snapshot_of(model, entry.model) && (!best || entry.model.size() > best->model.size())) best = &entry;
  }
  if (!best) return std::nullopt;
  Price price{best->input_nanos_per_million,
              best->output_nanos_per_million,
              best->image_nanos,
              "built-in",
              std::string(best->model),
              std::nullopt,
              {}};
  for (const auto& entry : k_openai_image_sizes) {
    if (entry.model == best->model) price.image_size_nanos[std::string(entry.size)] = entry.nanos;
  }
  return price;
}

Price price_of(const store::PriceRow& row) {
  return Price{
      row.input_nanos_per_million, row.output_nanos_per_million, row.image_nanos, "set", row.model, row.effective_at,
      row.image_size_nanos};
}

std::optional<std::int64_t> image_price(const Price& price, std::string_view size) {
  if (const auto it = price.image_size_nanos.find(std::string(size)); it != price.image_size_nanos.end()) {
    return it->second;
  }
  return price.image_nanos;
}

std::optional<Price> price_in_force(store::Database& db, const gen::ProviderConfig& config, const std::string& model,
                                    TimestampMs at) {
  if (auto row = store::PriceRepository(db).in_force(config.name, model, at)) return price_of(*row);
  if (is_openai_itself(config)) {
    if (auto builtin = builtin_openai_price(model)) return builtin;
  }
  // The offline writer and servers that take no key (a local Ollama or llama.cpp) cost nothing unless priced.
  if (config.kind == "builtin" || config.api_key_env.empty()) return Price{0, 0, 0, "free", "", std::nullopt, {}};
  return std::nullopt;
}

std::optional<std::int64_t> cost_at(const Price& price, std::int64_t prompt_tokens, std::int64_t completion_tokens,
                                    std::int64_t images, std::string_view image_size) {
  std::int64_t cost = token_cost(prompt_tokens, price.input_nanos_per_million) +
                      token_cost(completion_tokens, price.output_nanos_per_million);
  if (images > 0) {
    const auto each = image_price(price, image_size);
    if (!each) return std::nullopt;
    cost += images * *each;
  }
  return cost;
}

void set_price(Context& context, const SetPriceRequest& request) {
  require_admin(context);
  const gen::ProviderConfig config = resolve_provider_config(context, request.provider); // not_found when unknown
  store::PriceRow row;
  row.provider = config.name;
  row.model = request.model;
  row.input_nanos_per_million = parse_usd(request.input, "--input");
  row.output_nanos_per_million = parse_usd(request.output, "--output");
  if (request.image) row.image_nanos = parse_usd(*request.image, "--image");
  for (const std::string& text : request.image_sizes) {
    const auto [size, nanos] = parse_image_size(text);
    if (!row.image_size_nanos.emplace(size, nanos).second) {
      throw Error(ErrorCode::usage, fmt::format("--image-size: {} is given twice", size));
    }
  }
  const TimestampMs now = context.clock().now_ms();
  row.effective_at = now;
  store::PriceRepository(context.db()).add(row, now);
}

ProviderPrices provider_prices(Context& context, const gen::ProviderConfig& config) {
  require_user(context);
  ProviderPrices prices;
  prices.current = price_in_force(context.db(), config, config.model, context.clock().now_ms());
  prices.set = store::PriceRepository(context.db()).list(config.name);
  return prices;
}

std::string describe_price(const std::optional<Price>& price) {
  if (!price) return "unpriced";
  if (price->source == "free") return "free";
  std::string text;
  const bool images = price->image_nanos || !price->image_size_nanos.empty();
  if (price->input_nanos_per_million != 0 || price->output_nanos_per_million != 0 || !images) {
    text = fmt::format("{} in / {} out per 1M tokens", price_part(price->input_nanos_per_million),
                       price_part(price->output_nanos_per_million));
  }
  if (images) text += fmt::format("{}{} per image", text.empty() ? "" : ", ", describe_image_price(*price));
  return text + (price->source == "built-in" ? fmt::format(" (built-in, {})", k_builtin_prices_date) : "");
}

std::string describe_image_price(const Price& price) {
  std::vector<std::string> sizes;
  for (const auto& [size, nanos] : price.image_size_nanos)
    sizes.push_back(fmt::format("{} {}", size, price_part(nanos)));
  const std::string listed = sizes.empty() ? "" : fmt::format("({})", fmt::join(sizes, ", "));
  if (!price.image_nanos) return listed.empty() ? "-" : listed;
  return price_part(*price.image_nanos) + (listed.empty() ? "" : " " + listed);
}

nlohmann::json price_json(const std::optional<Price>& price) {
  if (!price) return nullptr;
  nlohmann::json sizes_usd = nlohmann::json::object();
  for (const auto& [size, nanos] : price->image_size_nanos)
    sizes_usd[size] = usd(nanos);
  return {{"input_usd_per_million", usd(price->input_nanos_per_million)},
          {"output_usd_per_million", usd(price->output_nanos_per_million)},
          {"image_usd", price->image_nanos ? nlohmann::json(usd(*price->image_nanos)) : nlohmann::json(nullptr)},
          {"input_nanos_per_million", price->input_nanos_per_million},
          {"output_nanos_per_million", price->output_nanos_per_million},
          {"image_nanos", price->image_nanos ? nlohmann::json(*price->image_nanos) : nlohmann::json(nullptr)},
          {"image_sizes", sizes_usd},
          {"image_size_nanos", price->image_size_nanos},
          {"source", price->source},
          {"model", price->model}};
}

} // namespace blogen::app
