#include "commands.hpp"

#include <blogen/app/call_log.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

namespace blogen::cli {

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
    auto& out = env.out();
    if (options->tokens) {
      const auto totals = app::token_totals(env.app());
      if (out.json()) {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& t : totals) {
          array.push_back({{"provider", t.provider},
                           {"model", t.model},
                           {"calls", t.calls},
                           {"prompt_tokens", t.prompt_tokens},
                           {"completion_tokens", t.completion_tokens}});
        }
        out.print_json(array);
        return 0;
      }
      term::Table table({{"PROVIDER"},
                         {"MODEL"},
                         {"CALLS", term::ColumnFit::fixed, term::Align::right},
                         {"PROMPT TOKENS", term::ColumnFit::fixed, term::Align::right},
                         {"COMPLETION TOKENS", term::ColumnFit::fixed, term::Align::right}});
      for (const auto& t : totals) {
        table.add_row({t.provider, t.model, std::to_string(t.calls), std::to_string(t.prompt_tokens),
                       std::to_string(t.completion_tokens)});
      }
      out.table(table);
      return 0;
    }
    const auto calls = app::list_calls(env.app(), options->job, options->limit);
    if (out.json()) {
      nlohmann::json array = nlohmann::json::array();
      for (const auto& c : calls) {
        array.push_back({{"id", c.id},
                         {"job_id", c.job_id ? nlohmann::json(*c.job_id) : nlohmann::json(nullptr)},
                         {"post_id", c.post_id ? nlohmann::json(*c.post_id) : nlohmann::json(nullptr)},
                         {"provider", c.provider},
                         {"model", c.model},
                         {"call", c.call},
                         {"attempt", c.attempt},
                         {"status", c.status},
                         {"error", c.error},
                         {"http_status", c.http_status},
                         {"prompt_tokens", c.prompt_tokens},
                         {"completion_tokens", c.completion_tokens},
                         {"latency_ms", c.latency_ms},
                         {"created_at", format_iso8601(c.created_at)},
                         {"prompt", c.prompt},
                         {"response", c.response}});
      }
      out.print_json(array);
      return 0;
    }
    term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                       {"TIME"},
                       {"JOB", term::ColumnFit::fixed, term::Align::right},
                       {"PROVIDER/MODEL"},
                       {"TRY", term::ColumnFit::fixed, term::Align::right},
                       {"STATUS"},
                       {"TOKENS", term::ColumnFit::fixed, term::Align::right},
                       {"MS", term::ColumnFit::fixed, term::Align::right},
                       {"ERROR", term::ColumnFit::flexible}});
    for (const auto& c : calls) {
      table.add_row({std::to_string(c.id), format_short_time(c.created_at), c.job_id ? std::to_string(*c.job_id) : "-",
                     c.provider + "/" + c.model, std::to_string(c.attempt),
                     c.status + (c.http_status ? fmt::format(" ({})", c.http_status) : ""),
                     std::to_string(c.prompt_tokens + c.completion_tokens), std::to_string(c.latency_ms), c.error});
    }
    out.table(table);
    return 0;
  });
}

} // namespace blogen::cli
