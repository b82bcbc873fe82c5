// `blogen provider ...`: who writes (OpenAI-compatible servers or the builtin writer).
#include "commands.hpp"
#include "present.hpp"

#include <blogen/app/configuration.hpp>
#include <blogen/core/error.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

nlohmann::json provider_json(const app::ProviderView& view) {
  const auto& c = view.config;
  return {{"name", c.name},
          {"kind", c.kind},
          {"base_url", c.base_url},
          {"model", c.model},
          {"image_model", c.image_model},
          {"api_key_env", c.api_key_env},
          {"key_present", view.key_present},
          {"concurrency", c.max_concurrency},
          {"requests_per_minute", c.requests_per_minute},
          {"max_attempts", c.max_attempts},
          {"timeout_seconds", c.request_timeout.count() / 1000},
          {"stall_timeout_seconds", c.stall_timeout.count() / 1000},
          {"header_env", c.header_env},
          {"default", view.is_default},
          {"configured", view.configured},
          {"price", app::price_json(view.price)}};
}

// The PRICE column: "$0.15/$0.60" per million tokens in/out (and "+ $0.04/image"), "free" or "unpriced".
std::string short_price(const std::optional<app::Price>& price) {
  if (!price) return "unpriced";
  if (price->source == "free") return "free";
  std::string text =
      app::format_usd(price->input_nanos_per_million) + "/" + app::format_usd(price->output_nanos_per_million);
  if (price->image_nanos) {
    text += " +" + app::format_usd(*price->image_nanos) + "/image";
  } else if (!price->image_size_nanos.empty()) {
    text += " +images by size"; // 'provider show' lists them
  }
  return text;
}

/// `provider list`; * marks the default (-q prints the same table).
struct ProviderList {
  std::vector<app::ProviderView> views;
};

nlohmann::json to_json(const ProviderList& list) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& view : list.views)
    array.push_back(provider_json(view));
  return array;
}

void to_text(term::Output& out, const ProviderList& list) {
  term::Table table(
      {{""}, {"NAME"}, {"KIND"}, {"MODEL"}, {"BASE URL", term::ColumnFit::flexible}, {"KEY"}, {"PRICE IN/OUT PER 1M"}});
  for (const auto& view : list.views) {
    const auto& c = view.config;
    const std::string key = c.api_key_env.empty() ? "none needed"
                            : view.key_present    ? "$" + c.api_key_env + " set"
                                                  : "$" + c.api_key_env + " missing";
    table.add_row({view.is_default ? "*" : "", c.name, c.kind, c.model, c.base_url, key, short_price(view.price)});
  }
  out.table(table);
}

void to_quiet(term::Output& out, const ProviderList& list) { to_text(out, list); }

// What add, use and remove print: JSON, or a note on stderr.
/// `provider show`: one provider's settings, its price now and every price set for it.
struct ProviderShown {
  app::ProviderView view;
  app::ProviderPrices prices;
};

nlohmann::json to_json(const ProviderShown& shown) {
  nlohmann::json json = provider_json(shown.view);
  nlohmann::json prices = nlohmann::json::array();
  for (const auto& row : shown.prices.set) {
    nlohmann::json price = app::price_json(app::price_of(row));
    price["effective_at"] = format_iso8601(row.effective_at);
    prices.push_back(std::move(price));
  }
  json["prices"] = prices;
  return json;
}

void to_text(term::Output& out, const ProviderShown& shown) {
  const auto& c = shown.view.config;
  out.line(fmt::format("{}{} ({})", term::sanitize_single_line(c.name), shown.view.is_default ? " *" : "", c.kind));
  if (!c.base_url.empty()) out.line("base URL:    " + term::sanitize_single_line(c.base_url));
  if (!c.model.empty()) out.line("model:       " + term::sanitize_single_line(c.model));
  if (!c.image_model.empty()) out.line("image model: " + term::sanitize_single_line(c.image_model));
  out.line(fmt::format("limits:      {} in flight, {} per minute, {} attempts", c.max_concurrency,
                       c.requests_per_minute == 0 ? std::string("unlimited") : std::to_string(c.requests_per_minute),
                       c.max_attempts));
  out.line("price:       " + app::describe_price(shown.view.price));
  if (shown.prices.set.empty()) return;
  term::Table table({{"MODEL"}, {"INPUT/1M"}, {"OUTPUT/1M"}, {"IMAGE"}, {"FROM"}});
  for (const auto& row : shown.prices.set) {
    table.add_row({row.model.empty() ? "(any)" : row.model, app::format_usd(row.input_nanos_per_million),
                   app::format_usd(row.output_nanos_per_million), app::describe_image_price(app::price_of(row)),
                   format_short_time(row.effective_at)});
  }
  out.table(table);
}

void add_provider_price(CLI::App& provider, Registry& registry) {
  auto request = make_options<app::SetPriceRequest>();
  auto* price = provider.add_subcommand("price", "Set what a provider's calls cost from now on (admin)");
  price->add_option("NAME", request->provider, "Provider name")->required();
  price->add_option("--model", request->model, "Only this model (default: every model without a price of its own)");
  price->add_option("--input", request->input, "USD per million prompt tokens, e.g. 2.50")->required();
  price->add_option("--output", request->output, "USD per million completion tokens, e.g. 10")->required();
  price->add_option("--image", request->image, "USD per image, e.g. 0.04 (sizes without an --image-size price)");
  price
      ->add_option("--image-size", request->image_sizes,
                   "SIZE=USD: the price of an image of this size, e.g. 1792x1024=0.08 (repeat for more sizes)")
      ->allow_extra_args(false);
  registry.on(price, [request](Env& env) {
    app::set_price(env.app(), *request);
    const std::string what = request->model.empty()
                                 ? term::sanitize_single_line(request->provider)
                                 : term::sanitize_single_line(request->provider + "/" + request->model);
    present(env.out(), noted({{"provider", request->provider}, {"model", request->model}, {"saved", true}},
                             fmt::format("price of {} saved; calls from now on cost it", what)));
    return 0;
  });
}

/// `provider test`: whether it answered, and the first models it lists (-q prints the same).
struct ProviderTested {
  app::ProviderTest result;
};

nlohmann::json to_json(const ProviderTested& tested) {
  const auto& result = tested.result;
  return {{"name", result.name},     {"ok", result.ok},
          {"models", result.models}, {"latency_ms", result.latency.count()},
          {"error", result.error},   {"error_kind", result.ok ? "" : result.error_kind}};
}

void to_text(term::Output& out, const ProviderTested& tested) {
  const auto& result = tested.result;
  out.line(fmt::format("{} answers: {} model(s) in {} ms", term::sanitize_single_line(result.name),
                       result.models.size(), result.latency.count()));
  for (std::size_t i = 0; i < result.models.size() && i < 20; ++i) {
    out.line("  " + term::sanitize_single_line(result.models[i]));
  }
}

void to_quiet(term::Output& out, const ProviderTested& tested) { to_text(out, tested); }

// "builtin (the offline writer, no key) or openai (any OpenAI-compatible server); default openai", from the table.
std::string kind_help(const std::string& default_kind) {
  std::string help;
  const auto kinds = app::provider_kinds();
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    help += fmt::format("{}{} ({})",
                        i == 0                  ? ""
                        : i + 1 == kinds.size() ? " or "
                                                : ", ",
                        kinds[i].name, kinds[i].description);
  }
  return help + "; default " + default_kind;
}

struct AddOptions {
  std::string name;
  std::string kind = "openai";
  std::string base_url;
  std::string model;
  std::string image_model;
  std::string api_key_env = "OPENAI_API_KEY";
  bool no_key = false;
  std::vector<std::string> headers;
  std::vector<std::string> header_envs;
  // Unset means the kind's own default (one home: gen's provider kinds table), e.g. 1 attempt for builtin.
  std::optional<int> concurrency;
  std::optional<int> rpm;
  std::optional<int> max_attempts;
  std::optional<int> timeout;
  std::optional<int> connect_timeout;
  std::optional<int> stall_timeout;
};

// "Name: value" -> {Name, value}; throws Error{usage} naming `flag` otherwise.
std::pair<std::string, std::string> split_header(const std::string& flag, const std::string& header) {
  const auto colon = header.find(':');
  if (colon == std::string::npos || colon == 0) {
    throw Error(ErrorCode::usage, fmt::format("{}: '{}' is not 'Name: value'", flag, header));
  }
  std::string value = header.substr(colon + 1);
  value.erase(0, value.find_first_not_of(' '));
  return {header.substr(0, colon), value};
}

void add_provider_add(CLI::App& provider, Registry& registry) {
  auto options = make_options<AddOptions>();
  auto* add = provider.add_subcommand("add", "Add or replace a provider (admin)");
  add->add_option("NAME", options->name, "A name for it, e.g. openrouter or ollama")->required();
  registry.one_of(add->add_option("--kind", options->kind, kind_help(options->kind)), app::provider_kind_names());
  add->add_option("--base-url", options->base_url,
                  "API root, e.g. https://openrouter.ai/api/v1 or http://localhost:11434/v1");
  add->add_option("--model", options->model, "Default chat model");
  add->add_option("--image-model", options->image_model, "Model for --images");
  add->add_option("--api-key-env", options->api_key_env, "NAME of the environment variable holding the key");
  add->add_flag("--no-key", options->no_key, "The server needs no key (Ollama, llama.cpp)");
  add->add_option("--header", options->headers,
                  "Extra HTTP header 'Name: value' (repeatable); credentials are refused, see --header-env");
  add->add_option("--header-env", options->header_envs,
                  "Credential header 'Name: VARIABLE' whose value is read from that environment variable at each "
                  "request (repeatable), e.g. 'X-Api-Key: MY_API_KEY'");
  add->add_option("--concurrency", options->concurrency, "Requests in flight at most (default 4)");
  add->add_option("--rpm", options->rpm, "Requests per minute at most (default 0: unlimited)");
  add->add_option("--max-attempts", options->max_attempts,
                  "Attempts per request for transient errors (default 5; builtin 1)");
  add->add_option("--timeout", options->timeout, "Seconds one request may take (default 300)")
      ->check(int_range(1, 86400));
  add->add_option("--connect-timeout", options->connect_timeout, "Seconds to connect (default 10)")
      ->check(int_range(1, 600));
  add->add_option("--stall-timeout", options->stall_timeout,
                  "Seconds a streamed answer may send nothing before the attempt fails (default 60)")
      ->check(int_range(1, 3600));
  registry.on(add, [options](Env& env) {
    app::ProviderConfig config;
    config.name = options->name;
    config.kind = options->kind;
    config.base_url = options->base_url;
    while (!config.base_url.empty() && config.base_url.back() == '/')
      config.base_url.pop_back();
    config.model = options->model;
    config.image_model = options->image_model;
    config.api_key_env = options->no_key ? "" : options->api_key_env;
    for (const auto& header : options->headers) {
      auto [name, value] = split_header("--header", header);
      config.extra_headers.insert_or_assign(std::move(name), std::move(value));
    }
    for (const auto& header : options->header_envs) {
      auto [name, variable] = split_header("--header-env", header);
      config.header_env.insert_or_assign(std::move(name), std::move(variable));
    }
    const app::ProviderConfig defaults = app::find_provider_kind(config.kind)->ready_made();
    config.max_concurrency = options->concurrency.value_or(defaults.max_concurrency);
    config.requests_per_minute = options->rpm.value_or(defaults.requests_per_minute);
    config.max_attempts = options->max_attempts.value_or(defaults.max_attempts);
    config.request_timeout = options->timeout ? std::chrono::milliseconds(std::chrono::seconds(*options->timeout))
                                              : defaults.request_timeout;
    config.connect_timeout = options->connect_timeout
                                 ? std::chrono::milliseconds(std::chrono::seconds(*options->connect_timeout))
                                 : defaults.connect_timeout;
    config.stall_timeout = options->stall_timeout
                               ? std::chrono::milliseconds(std::chrono::seconds(*options->stall_timeout))
                               : defaults.stall_timeout;
    app::add_provider(env.app(), config);
    present(env.out(), noted({{"name", config.name}, {"saved", true}},
                             fmt::format("provider {} saved", term::sanitize_single_line(config.name))));
    return 0;
  });
}

} // namespace

void add_provider_commands(CLI::App& root, Registry& registry) {
  auto* provider =
      root.add_subcommand("provider", "Configure who writes: OpenAI-compatible servers or the builtin writer");

  auto* list = provider->add_subcommand("list", "List providers; * marks the default");
  registry.on(list, [](Env& env) {
    present(env.out(), ProviderList{app::list_providers(env.app())});
    return 0;
  });

  add_provider_add(*provider, registry);
  add_provider_price(*provider, registry);

  auto show_name = std::make_shared<std::string>();
  auto* show = provider->add_subcommand("show", "Show a provider's settings and prices");
  show->add_option("NAME", *show_name, "Provider name")->required();
  registry.on(show, [show_name](Env& env) {
    ProviderShown shown{app::show_provider(env.app(), *show_name), {}};
    shown.prices = app::provider_prices(env.app(), shown.view.config);
    present(env.out(), shown);
    return 0;
  });

  auto use_name = std::make_shared<std::string>();
  auto* use = provider->add_subcommand("use", "Make a provider the default (admin)");
  use->add_option("NAME", *use_name, "Provider name")->required();
  registry.on(use, [use_name](Env& env) {
    app::use_provider(env.app(), *use_name);
    present(env.out(), noted({{"default", *use_name}},
                             fmt::format("default provider: {}", term::sanitize_single_line(*use_name))));
    return 0;
  });

  auto test_name = std::make_shared<std::string>();
  auto* test = provider->add_subcommand("test", "Check that a provider answers (lists its models)");
  test->add_option("NAME", *test_name, "Provider name (default: the one in use)");
  registry.on(test, [test_name](Env& env) {
    const auto result =
        app::test_provider(env.app(), test_name->empty() ? std::nullopt : std::optional<std::string>(*test_name));
    auto& out = env.out();
    const std::string failure =
        fmt::format("provider {} failed ({}): {}", result.name, result.error_kind, result.error);
    // Without --json a failure is an error like any other; with it the result document still comes first.
    if (!result.ok && !out.json()) throw Error(ErrorCode::provider, failure);
    present(out, ProviderTested{result});
    if (!result.ok) {
      out.error(failure);
      return exit_code(ErrorCode::provider);
    }
    return 0;
  });

  auto remove_name = std::make_shared<std::string>();
  auto* remove = provider->add_subcommand("remove", "Remove a configured provider (admin)");
  remove->add_option("NAME", *remove_name, "Provider name")->required();
  registry.on(remove, [remove_name](Env& env) {
    app::remove_provider(env.app(), *remove_name);
    present(env.out(), noted({{"removed", *remove_name}},
                             fmt::format("provider {} removed", term::sanitize_single_line(*remove_name))));
    return 0;
  });
}

} // namespace blogen::cli
