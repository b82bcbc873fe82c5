#pragma once
// How `--dry-run` prints an estimate (blog create, campaign run): one sentence, or estimate_json with --json.

#include "present.hpp"

#include <blogen/app/budgets.hpp>
#include <blogen/term/sanitize.hpp>

#include <string>

namespace blogen::cli {

/// "would take 3 calls, ...; nothing was written", or the estimate's JSON.
inline void present_estimate(term::Output& out, const app::RunEstimate& estimate) {
  const std::string text = "would take " + app::describe_estimate(estimate) + "; nothing was written";
  present(out, Outcome{app::estimate_json(estimate), term::sanitize_single_line(text), {}, {text}});
}

} // namespace blogen::cli
