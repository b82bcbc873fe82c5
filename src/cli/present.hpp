#pragma once
// One presenter for every command's result, so no command asks itself whether --json or -q was given.
//
// A view is what a command shows. For each view type V, found by argument-dependent lookup (so a view is declared
// in namespace blogen::cli, in its command's file or a shared cli header):
//   nlohmann::json to_json(const V&)        the --json document, built from app's record shapes (app/view_json.hpp)
//   void to_text(term::Output&, const V&)   the human form: sentences, tables, notes on stderr
//   void to_quiet(term::Output&, const V&)  optional, the -q form (ids or names, one per line); a view without one
//                                           prints nothing on stdout with -q
// Views that print the same thing with and without -q define to_quiet as their to_text.

#include <blogen/app/view_json.hpp>
#include <blogen/term/output.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace blogen::cli {

template <typename View>
concept HasQuietForm = requires(term::Output& out, const View& view) {
  to_quiet(out, view);
};

/// Prints `view` as the global flags ask: to_json with --json, to_quiet with -q, to_text otherwise.
template <typename View> void present(term::Output& out, const View& view) {
  if (out.json()) {
    out.print_json(to_json(view));
  } else if (out.quiet()) {
    if constexpr (HasQuietForm<View>) to_quiet(out, view);
  } else {
    to_text(out, view);
  }
}

/// The result of a change, shown as one sentence: what most commands that modify something print.
struct Outcome {
  nlohmann::json json;            ///< the --json document
  std::string sentence;           ///< the human line on stdout ("" for none)
  std::string hint;               ///< a note on stderr after the sentence ("" for none)
  std::vector<std::string> quiet; ///< the -q lines (an id, a name); none prints nothing
};

/// A result that only notes something on stderr (the --json document says the rest).
inline Outcome noted(nlohmann::json json, std::string note) { return {std::move(json), {}, std::move(note), {}}; }

inline nlohmann::json to_json(const Outcome& outcome) { return outcome.json; }

inline void to_text(term::Output& out, const Outcome& outcome) {
  if (!outcome.sentence.empty()) out.line(outcome.sentence);
  if (!outcome.hint.empty()) out.note(outcome.hint);
}

inline void to_quiet(term::Output& out, const Outcome& outcome) {
  for (const auto& line : outcome.quiet)
    out.line(line);
}

/// Prints project(item) for each item, one per line (the -q form of a listing: ids or names).
template <typename Range, typename Project> void print_each(term::Output& out, const Range& range, Project project) {
  for (const auto& item : range)
    out.line(project(item));
}

} // namespace blogen::cli
