#include <blogen/app/budgets.hpp>
#include <blogen/app/costs.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/text.hpp>
#include <blogen/store/user_repository.hpp>

#include <fmt/format.h>

#include <chrono>

namespace blogen::app {
namespace {

// "2026-11-30" -> the first millisecond of that UTC day.
TimestampMs parse_day(const std::string& text, std::string_view flag) {
  const auto bad = [&] {
    return Error(ErrorCode::usage, fmt::format("{}: '{}' is not a date YYYY-MM-DD", flag, text));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') throw bad();
  for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') throw bad();
  }
  const std::chrono::year_month_day day{std::chrono::year{std::stoi(text.substr(0, 4))},
                                        std::chrono::month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
                                        std::chrono::day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
  if (!day.ok()) throw bad();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::sys_days{day}.time_since_epoch()).count();
}

constexpr TimestampMs k_day_ms = 24LL * 60 * 60 * 1000;

CostGrouping grouping_of(const std::string& by) {
  if (by.empty()) return CostGrouping::none;
  if (by == "day") return CostGrouping::day;
  if (by == "provider") return CostGrouping::provider;
  if (by == "model") return CostGrouping::model;
  if (by == "campaign") return CostGrouping::campaign;
  if (by == "batch") return CostGrouping::batch;
  if (by == "user") return CostGrouping::user;
  throw Error(ErrorCode::usage, fmt::format("--by: must be one of day, provider, model, campaign, batch, user"));
}

CostTotal total_of(Context& context, const CurrentUser& user, store::CostFilter filter) {
  if (!user.is_admin) filter.user_id = user.id; // an admin sees what every user's calls on it cost
  auto totals = store::CostRepository(context.db()).totals(filter, CostGrouping::none);
  return totals.empty() ? CostTotal{} : totals.front();
}

} // namespace

const std::vector<std::string>& cost_groupings() {
  static const std::vector<std::string> names{"day", "provider", "model", "campaign", "batch", "user"};
  return names;
}

CostReport cost_report(Context& context, const CostReportRequest& request) {
  const CurrentUser user = request.all_users ? require_admin(context) : require_user(context);
  store::CostFilter filter;
  if (!request.all_users) filter.user_id = user.id;
  if (request.since) filter.since = parse_day(*request.since, "--since");
  if (request.until) filter.until = parse_day(*request.until, "--until") + k_day_ms; // the day is included
  CostReport report;
  report.by = request.by;
  store::CostRepository costs(context.db());
  const CostGrouping grouping = grouping_of(request.by);
  if (grouping != CostGrouping::none) report.groups = costs.totals(filter, grouping);
  const auto total = costs.totals(filter, CostGrouping::none);
  if (!total.empty()) report.total = total.front();
  return report;
}

CostTotal post_cost(Context& context, std::int64_t post_id) {
  return post_cost(context, require_user(context), post_id);
}

CostTotal post_cost(Context& context, const CurrentUser& user, std::int64_t post_id) {
  store::CostFilter filter;
  filter.post_id = post_id;
  return total_of(context, user, filter);
}

CostTotal batch_cost(Context& context, std::int64_t batch_id) {
  store::CostFilter filter;
  filter.batch_id = batch_id;
  return total_of(context, require_user(context), filter);
}

CostTotal campaign_cost(Context& context, std::int64_t campaign_id) {
  store::CostFilter filter;
  filter.campaign_id = campaign_id;
  return total_of(context, require_user(context), filter);
}

std::string set_monthly_budget(Context& context, const std::string& value, const std::optional<std::string>& username) {
  CurrentUser user = require_user(context);
  if (username && text::lower(*username) != text::lower(user.username)) {
    user = require_admin(context);
    const auto other = store::UserRepository(context.db()).find_by_username_key(text::lower(*username));
    if (!other) throw Error(ErrorCode::not_found, fmt::format("user '{}' not found", *username));
    user.id = other->id;
    user.username = other->username;
  }
  std::optional<std::int64_t> nanos;
  if (value != "none") nanos = parse_usd(value, "VALUE");
  store::CostRepository(context.db()).set_monthly_budget(user.id, nanos);
  return user.username;
}

std::string describe_monthly_budget(Context& context) {
  const CurrentUser user = require_user(context);
  store::CostRepository costs(context.db());
  const auto limit = costs.monthly_budget(user.id);
  store::CostFilter filter;
  filter.user_id = user.id;
  filter.since = month_start(context.clock().now_ms());
  const std::int64_t spent = costs.logged_cost(filter);
  if (!limit) return fmt::format("none (spent {} this month)", format_usd(spent));
  return fmt::format("{} (spent {} this month)", format_usd(*limit), format_usd(spent));
}

std::string describe_cost(const CostTotal& total) {
  if (total.calls > 0 && total.unpriced_calls == total.calls) return "unpriced";
  std::string text = format_usd(total.cost_nanos);
  if (total.unpriced_calls > 0) {
    text += fmt::format(" + {} unpriced call{}", total.unpriced_calls, total.unpriced_calls == 1 ? "" : "s");
  }
  return text;
}

nlohmann::json cost_json(const CostTotal& total) {
  const bool unpriced = total.calls > 0 && total.unpriced_calls == total.calls;
  return {{"calls", total.calls},
          {"prompt_tokens", total.prompt_tokens},
          {"completion_tokens", total.completion_tokens},
          {"images", total.images},
          {"cost_usd", unpriced ? nlohmann::json(nullptr) : nlohmann::json(usd(total.cost_nanos))},
          {"cost_nanos", unpriced ? nlohmann::json(nullptr) : nlohmann::json(total.cost_nanos)},
          {"unpriced_calls", total.unpriced_calls}};
}

} // namespace blogen::app
