// `blogen log`: the provider calls and the tokens they used.
#include "commands.hpp"
#include "present.hpp"

#include <blogen/app/call_log.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

/// `log --tokens`: token totals per provider and model (-q prints the same table).
struct TokenTotals {
  std::vector<app::TokenTotal> totals;
};

nlohmann::json to_json(const TokenTotals& list) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& t : list.totals)
    array.push_back(app::token_total_json(t));
  return array;
}

void to_text(term::Output& out, const TokenTotals& list) {
  term::Table table({{"PROVIDER"},
                     {"MODEL"},
                     {"CALLS", term::ColumnFit::fixed, term::Align::right},
                     {"PROMPT TOKENS", term::ColumnFit::fixed, term::Align::right},
                     {"COMPLETION TOKENS", term::ColumnFit::fixed, term::Align::right}});
  for (const auto& t : list.totals) {
    table.add_row({t.provider, t.model, std::to_string(t.calls), std::to_string(t.prompt_tokens),
                   std::to_string(t.completion_tokens)});
  }
  out.table(table);
}

void to_quiet(term::Output& out, const TokenTotals& list) { to_text(out, list); }

/// `log`: the newest provider calls (-q prints the same table).
struct CallList {
  std::vector<app::CallLogEntry> calls;
};

nlohmann::json to_json(const CallList& list) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& c : list.calls)
    array.push_back(app::call_json(c));
  return array;
}

void to_text(term::Output& out, const CallList& list) {
  term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                     {"TIME"},
                     {"JOB", term::ColumnFit::fixed, term::Align::right},
                     {"PROVIDER/MODEL"},
                     {"TRY", term::ColumnFit::fixed, term::Align::right},
                     {"STATUS"},
                     {"TOKENS", term::ColumnFit::fixed, term::Align::right},
                     {"MS", term::ColumnFit::fixed, term::Align::right},
                     {"ERROR", term::ColumnFit::flexible}});
  for (const auto& c : list.calls) {
    table.add_row({std::to_string(c.id), format_short_time(c.created_at), c.job_id ? std::to_string(*c.job_id) : "-",
                   c.provider + "/" + c.model, std::to_string(c.attempt),
                   c.status + (c.http_status ? fmt::format(" ({})", c.http_status) : ""),
                   std::to_string(c.prompt_tokens + c.completion_tokens), std::to_string(c.latency_ms), c.error});
  }
  out.table(table);
}

void to_quiet(term::Output& out, const CallList& list) { to_text(out, list); }

} // namespace

void add_log_commands(CLI::App& root, Registry& registry) {
  struct Options {
    std::optional<std::int64_t> job;
    int limit = 20;
    bool tokens = false;
  };
  auto options = make_options<Options>();
  auto* log = root.add_subcommand("log", "Every provider call: prompt, response, tokens, latency, status");
  log->add_option("--job", options->job, "Only the calls of this job");
  log->add_option("--limit", options->limit, "How many calls (default 20, at most 1000)");
  log->add_flag("--tokens", options->tokens, "Token totals per provider and model instead");
  registry.on(log, [options](Env& env) {
    if (options->tokens) {
      present(env.out(), TokenTotals{app::token_totals(env.app())});
    } else {
      present(env.out(), CallList{app::list_calls(env.app(), options->job, options->limit)});
    }
    return 0;
  });
}

} // namespace blogen::cli
