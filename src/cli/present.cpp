#include "present.hpp"

namespace blogen::cli {

nlohmann::json to_json(const Outcome& outcome) { return outcome.json; }

void to_text(term::Output& out, const Outcome& outcome) {
  if (!outcome.sentence.empty()) out.line(outcome.sentence);
  if (!outcome.hint.empty()) out.note(outcome.hint);
}

void to_quiet(term::Output& out, const Outcome& outcome) {
  for (const auto& line : outcome.quiet)
    out.line(line);
}

} // namespace blogen::cli
