// `blogen cost`: what the provider calls cost, in tokens, calls, images and money.
#include "commands.hpp"
#include "present.hpp"

#include <blogen/app/costs.hpp>
#include <blogen/term/sanitize.hpp>

namespace blogen::cli {
namespace {

/// `cost`: one row per group (or only the total), the total last.
struct CostView {
  app::CostReport report;
};

nlohmann::json to_json(const CostView& view) {
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& group : view.report.groups) {
    nlohmann::json row = app::cost_json(group);
    row["key"] = group.key;
    groups.push_back(row);
  }
  return {{"by", view.report.by.empty() ? nlohmann::json(nullptr) : nlohmann::json(view.report.by)},
          {"groups", groups},
          {"total", app::cost_json(view.report.total)}};
}

void to_text(term::Output& out, const CostView& view) {
  term::Table table({{view.report.by.empty() ? "" : view.report.by},
                     {"CALLS", term::ColumnFit::fixed, term::Align::right},
                     {"PROMPT TOKENS", term::ColumnFit::fixed, term::Align::right},
                     {"COMPLETION TOKENS", term::ColumnFit::fixed, term::Align::right},
                     {"IMAGES", term::ColumnFit::fixed, term::Align::right},
                     {"COST", term::ColumnFit::flexible, term::Align::right}});
  const auto add = [&](const std::string& key, const app::CostTotal& total) {
    table.add_row({key, std::to_string(total.calls), std::to_string(total.prompt_tokens),
                   std::to_string(total.completion_tokens), std::to_string(total.images), app::describe_cost(total)});
  };
  for (const auto& group : view.report.groups)
    add(group.key.empty() ? "(none)" : term::sanitize_single_line(group.key), group);
  add("total", view.report.total);
  out.table(table);
}

void to_quiet(term::Output& out, const CostView& view) { out.line(app::describe_cost(view.report.total)); }

} // namespace

void add_cost_command(CLI::App& root, Registry& registry) {
  auto request = make_options<app::CostReportRequest>();
  auto* cost = root.add_subcommand("cost", "What your provider calls cost: tokens, calls, images and money");
  cost->add_option("--since", request->since, "From this UTC day on (YYYY-MM-DD)");
  cost->add_option("--until", request->until, "Up to and including this UTC day (YYYY-MM-DD)");
  registry.one_of(cost->add_option("--by", request->by, "One row per day, provider, model, campaign, batch or user"),
                  app::cost_groupings());
  cost->add_flag("--all-users", request->all_users, "Every user's calls (admin)");
  registry.on(cost, [request](Env& env) {
    present(env.out(), CostView{app::cost_report(env.app(), *request)});
    return 0;
  });
}

} // namespace blogen::cli
