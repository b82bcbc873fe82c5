#include <blogen/app/budgets.hpp>
#include <blogen/app/costs.hpp>
#include <blogen/store/cost_repository.hpp>
#include <blogen/store/database.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

namespace blogen::app {
namespace {

constexpr std::int64_t k_chars_per_token = 4;
constexpr std::int64_t k_social_words = 100;
// Polling for other calls' reservations to settle: short against a provider call, long against a store query.
constexpr std::chrono::milliseconds k_settle_poll{50};

// One budget a call is under: its limit, what is spent and held against it, and how to name it.
struct Budget {
  std::int64_t limit = 0;
  std::int64_t spent = 0;
  std::int64_t reserved = 0;
  std::string name;
};

std::optional<std::int64_t> payload_max_cost(const std::string& payload) {
  const auto json = nlohmann::json::parse(payload, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  const auto it = json.find("max_cost_nanos");
  if (it == json.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::vector<Budget> budgets_of(store::Database& db, const store::Job& job, TimestampMs now) {
  store::CostRepository costs(db);
  std::vector<Budget> budgets;
  if (job.batch_id) {
    if (const auto limit = costs.batch_budget(*job.batch_id)) {
      store::CostFilter filter;
      filter.batch_id = job.batch_id;
      budgets.push_back({*limit, costs.logged_cost(filter), costs.reserved(std::nullopt, job.batch_id, now),
                         fmt::format("--max-cost of batch {}", *job.batch_id)});
    }
  } else if (const auto limit = payload_max_cost(job.payload)) {
    store::CostFilter filter;
    filter.job_id = job.id;
    budgets.push_back({*limit, costs.logged_cost(filter), 0, "--max-cost"});
  }
  if (const auto limit = costs.monthly_budget(job.user_id)) {
    store::CostFilter filter;
    filter.user_id = job.user_id;
    filter.since = month_start(now);
    budgets.push_back(
        {*limit, costs.logged_cost(filter), costs.reserved(job.user_id, std::nullopt, now), "monthly budget"});
  }
  return budgets;
}

// Whether any budget applies to `job` now (the limits only, none of the sums budgets_of adds up).
bool under_a_budget(store::Database& db, const store::Job& job) {
  store::CostRepository costs(db);
  if (job.batch_id ? costs.batch_budget(*job.batch_id).has_value() : payload_max_cost(job.payload).has_value()) {
    return true;
  }
  return costs.monthly_budget(job.user_id).has_value();
}

} // namespace

CostHold& CostHold::operator=(CostHold&& other) noexcept {
  if (this != &other) {
    release();
    m_job = other.m_job;
    m_id = other.m_id;
    other.m_job = nullptr;
  }
  return *this;
}

void CostHold::release() noexcept {
  jobs::JobContext* job = std::exchange(m_job, nullptr);
  if (!job) return;
  try {
    job->defer([id = m_id](store::Database& db) { store::CostRepository(db).release(id); });
  } catch (const std::exception&) {
    // A reservation that could not be dropped stops counting when it expires.
  }
}

CallEstimate estimate_chat(store::Database& db, const gen::ProviderConfig& config, const gen::ChatRequest& request,
                           TimestampMs at) {
  CallEstimate estimate;
  std::int64_t chars = 0;
  for (const auto& message : request.messages)
    chars += static_cast<std::int64_t>(message.content.size());
  estimate.prompt_tokens = (chars + k_chars_per_token - 1) / k_chars_per_token;
  const std::int64_t words = request.brief.kind == "social" ? k_social_words : request.brief.words;
  estimate.completion_tokens = (words * 4 + 2) / 3;
  const std::string model = !request.model.empty() ? request.model : config.model;
  if (const auto price = price_in_force(db, config, model, at)) {
    estimate.cost_nanos = cost_at(*price, estimate.prompt_tokens, estimate.completion_tokens, 0);
  }
  return estimate;
}

CallEstimate estimate_image(store::Database& db, const gen::ProviderConfig& config, const std::string& model,
                            const std::string& size, TimestampMs at) {
  CallEstimate estimate;
  estimate.images = 1;
  if (const auto price = price_in_force(db, config, model, at)) estimate.cost_nanos = cost_at(*price, 0, 0, 1, size);
  return estimate;
}

nlohmann::json estimate_json(const RunEstimate& run) {
  const bool unpriced = run.calls > 0 && run.unpriced_calls == run.calls;
  return {{"dry_run", true},
          {"provider", run.provider},
          {"model", run.model},
          {"calls", run.calls},
          {"images", run.images},
          {"prompt_tokens", run.prompt_tokens},
          {"completion_tokens", run.completion_tokens},
          {"cost_usd", unpriced ? nlohmann::json(nullptr) : nlohmann::json(usd(run.cost_nanos))},
          {"cost_nanos", unpriced ? nlohmann::json(nullptr) : nlohmann::json(run.cost_nanos)},
          {"unpriced_calls", run.unpriced_calls},
          {"wall_seconds", (run.wall_time.count() + 999) / 1000}};
}

std::string describe_estimate(const RunEstimate& run) {
  std::string cost = run.calls > 0 && run.unpriced_calls == run.calls ? "unpriced" : "~" + format_usd(run.cost_nanos);
  if (run.unpriced_calls > 0 && run.unpriced_calls < run.calls)
    cost += fmt::format(" + {} unpriced", run.unpriced_calls);
  return fmt::format("{} call{}, {} image{}, ~{} prompt + ~{} completion tokens, {}, ~{} s with {}/{}", run.calls,
                     run.calls == 1 ? "" : "s", run.images, run.images == 1 ? "" : "s", run.prompt_tokens,
                     run.completion_tokens, cost, (run.wall_time.count() + 999) / 1000, run.provider, run.model);
}

void add_call(RunEstimate& run, const CallEstimate& call) {
  ++run.calls;
  run.images += call.images;
  run.prompt_tokens += call.prompt_tokens;
  run.completion_tokens += call.completion_tokens;
  if (call.cost_nanos) {
    run.cost_nanos += *call.cost_nanos;
  } else {
    ++run.unpriced_calls;
  }
}

std::chrono::milliseconds estimate_wall_time(const gen::ProviderConfig& config, const RunEstimate& run) {
  if (run.calls == 0) return std::chrono::milliseconds(0);
  const bool offline = config.kind == "builtin";
  const std::int64_t per_call_ms = offline ? 20 : 1000 + 20 * run.completion_tokens / run.calls;
  const std::int64_t width = std::max(1, config.max_concurrency);
  std::int64_t total = (run.calls + width - 1) / width * per_call_ms;
  if (config.requests_per_minute > 0) total = std::max(total, (run.calls - 1) * 60'000 / config.requests_per_minute);
  return std::chrono::milliseconds(total);
}

TimestampMs month_start(TimestampMs at) {
  using namespace std::chrono;
  const year_month_day day{floor<days>(sys_time<milliseconds>(milliseconds(at)))};
  return duration_cast<milliseconds>(sys_days{day.year() / day.month() / 1}.time_since_epoch()).count();
}

BudgetVerdict reserve_call(jobs::JobContext& job, const gen::ProviderConfig& config, const CallEstimate& estimate) {
  const auto hold_for = config.request_timeout * config.max_attempts + std::chrono::minutes(5); // and back-offs
  BudgetVerdict verdict;
  if (!estimate.cost_nanos) return verdict; // unpriced: nothing to hold or to check
  // No budget to check or to hold a reservation against: no write. A budget set while this call is in flight
  // counts it once it is logged, like the calls before it.
  if (!under_a_budget(job.db, job.job)) return verdict;
  const std::int64_t cost = *estimate.cost_nanos;
  for (;;) {
    if (job.stop.stop_requested()) {
      verdict.kind = BudgetVerdict::Kind::stopped;
      return verdict;
    }
    const TimestampMs now = job.clock.now_ms();
    store::WriteTransaction transaction(job.db); // the check and the reservation are one step for every process
    bool wait = false;
    for (const Budget& budget : budgets_of(job.db, job.job, now)) {
      if (budget.spent >= budget.limit || budget.spent + cost > budget.limit) {
        verdict.kind = BudgetVerdict::Kind::refused;
        verdict.message =
            fmt::format("budget reached: spent {} of {} ({}; the next call was estimated at {})",
                        format_usd(budget.spent), format_usd(budget.limit), budget.name, format_usd(cost));
        return verdict;
      }
      if (budget.spent + budget.reserved + cost > budget.limit) wait = true;
    }
    if (!wait) {
      store::Reservation reservation{job.job.user_id, job.job.batch_id, job.job.id, cost,
                                     now + std::chrono::duration_cast<std::chrono::milliseconds>(hold_for).count()};
      const std::int64_t id = store::CostRepository(job.db).reserve(reservation);
      transaction.commit();
      verdict.hold = CostHold(job, id);
      return verdict;
    }
    transaction.commit();
    std::this_thread::sleep_for(k_settle_poll); // other calls in flight decide: wait for their actual cost
  }
}

} // namespace blogen::app
