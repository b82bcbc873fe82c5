#pragma once
// Budgets that hold with several workers and processes: before each provider call under a budget the job reserves
// the call's estimated cost in the store, in one write transaction that also checks every budget it is under (its
// run's --max-cost, its user's monthly budget); the reservation goes in the transaction that records the job's
// result with the call's log entry, so the actual cost replaces the estimate at once.
//
// A call is refused when the spend already logged plus its estimate would pass a budget: its job fails with
// "budget reached: spent $X of $Y", and every later job of the run is refused the same way before any call. While
// only other calls' reservations stand in the way, the call waits for them to settle instead (their actual cost
// decides). So the spend passes a budget by at most the estimate errors of the calls in flight at the end.
// Unpriced calls have no known cost: they are neither held nor refused.

#include <blogen/gen/provider.hpp>
#include <blogen/jobs/handler.hpp>
#include <blogen/store/post_repository.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace blogen::app {

/// What the estimator expects one call to use and cost.
struct CallEstimate {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t images = 0;
  std::optional<std::int64_t> cost_nanos; ///< nullopt: unpriced
};

/// Prompt tokens from the rendered messages (about four characters a token), completion tokens from the target
/// length (about 4/3 tokens a word; a social caption is taken as 100 words), priced as the call would be now.
CallEstimate estimate_chat(store::Database& db, const gen::ProviderConfig& config, const gen::ChatRequest& request,
                           TimestampMs at);
/// The generation call of a post about to be queued (its brief through its template, as its job will render it).
/// Error{usage} naming --template when the template is unknown.
CallEstimate estimate_generation(store::Database& db, const gen::ProviderConfig& config, const store::NewPost& post,
                                 TimestampMs at);
/// One image of `size`, priced as it would be now.
CallEstimate estimate_image(store::Database& db, const gen::ProviderConfig& config, const std::string& model,
                            const std::string& size, TimestampMs at);

/// What a run will do before any call (`--dry-run`): nothing is written to make it.
struct RunEstimate {
  std::string provider;
  std::string model;
  std::int64_t calls = 0;
  std::int64_t images = 0;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t cost_nanos = 0;     ///< of the priced calls
  std::int64_t unpriced_calls = 0; ///< calls whose cost is unknown
  std::chrono::milliseconds wall_time{0};
};
/// {dry_run: true, provider, model, calls, images, prompt_tokens, completion_tokens, cost_usd, cost_nanos,
/// unpriced_calls, wall_seconds}; cost null when every call is unpriced.
nlohmann::json estimate_json(const RunEstimate& run);
/// "1 call, 0 images, ~812 prompt + ~1067 completion tokens, ~$0.0012, ~23 s with openai/gpt-4o-mini".
std::string describe_estimate(const RunEstimate& run);
/// Adds one call's estimate to a run's.
void add_call(RunEstimate& run, const CallEstimate& call);
/// The wall time of a run's calls: rounds of `max_concurrency` calls (about a second plus 20 ms per completion token
/// each, nearly nothing for the builtin writer), and no faster than `requests_per_minute` allows.
std::chrono::milliseconds estimate_wall_time(const gen::ProviderConfig& config, const RunEstimate& run);

/// A reservation held while one call is in flight. Going out of scope ends it with the attempt's record
/// (JobContext::defer), so the call's logged cost replaces its estimate in one transaction.
class CostHold {
public:
  CostHold() = default;
  CostHold(jobs::JobContext& job, std::int64_t id) : m_job(&job), m_id(id) {}
  CostHold(CostHold&& other) noexcept : m_job(other.m_job), m_id(other.m_id) { other.m_job = nullptr; }
  CostHold& operator=(CostHold&& other) noexcept;
  CostHold(const CostHold&) = delete;
  CostHold& operator=(const CostHold&) = delete;
  ~CostHold() { release(); }

private:
  void release() noexcept;

  jobs::JobContext* m_job = nullptr;
  std::int64_t m_id = 0;
};

/// How the budget check before a call ended.
struct BudgetVerdict {
  enum class Kind { go, refused, stopped } kind = Kind::go;
  std::string message; ///< refused: "budget reached: spent $X of $Y (...)"
  CostHold hold;       ///< go: the reservation, released when the verdict goes
};

/// Checks the budgets of `job` (its batch's or its own --max-cost, its user's monthly budget) and reserves
/// `estimate` against them; waits while other calls' reservations are what stands in the way. If this process dies,
/// the reservation stops counting once the call would have ended (the provider's timeouts for all its attempts).
BudgetVerdict reserve_call(jobs::JobContext& job, const gen::ProviderConfig& config, const CallEstimate& estimate);

/// The first millisecond of the UTC month holding `at` (monthly budgets run by calendar month, UTC).
TimestampMs month_start(TimestampMs at);

} // namespace blogen::app
