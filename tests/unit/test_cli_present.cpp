// present(): one result, printed as --json, -q or for people, chosen by the global flags alone.
#include "cli/present.hpp"

#include <catch2/catch.hpp>

#include <sstream>

namespace {

using blogen::cli::Outcome;
using blogen::cli::present;
using blogen::term::Output;
using blogen::term::OutputOptions;

// A view with all three forms.
struct Numbers {
  std::vector<int> values;
};

nlohmann::json to_json(const Numbers& numbers) { return {{"values", numbers.values}}; }

void to_text(Output& out, const Numbers& numbers) {
  out.line(std::to_string(numbers.values.size()) + " numbers");
  out.note("a note");
}

void to_quiet(Output& out, const Numbers& numbers) {
  for (const int value : numbers.values)
    out.line(std::to_string(value));
}

// A view without a quiet form.
struct Greeting {};

nlohmann::json to_json(const Greeting&) { return {{"hello", true}}; }

void to_text(Output& out, const Greeting&) { out.line("hello"); }

struct Printed {
  std::string out;
  std::string err;
};

template <typename View> Printed print(const View& view, bool json, bool quiet) {
  std::ostringstream out;
  std::ostringstream err;
  OutputOptions options;
  options.json = json;
  options.quiet = quiet;
  options.color = blogen::term::ColorMode::never;
  Output output(options, out, err, false, false, 80);
  present(output, view);
  return {out.str(), err.str()};
}

} // namespace

TEST_CASE("with --json the presenter prints the view's JSON document and nothing else") {
  const Printed printed = print(Numbers{{1, 2}}, true, false);
  CHECK(nlohmann::json::parse(printed.out) == nlohmann::json{{"values", {1, 2}}});
  CHECK(printed.err.empty());
  // --json wins over -q: scripts get the document whatever else was given.
  CHECK(nlohmann::json::parse(print(Numbers{{3}}, true, true).out) == nlohmann::json{{"values", {3}}});
}

TEST_CASE("with -q the presenter prints the quiet form, or nothing for a view without one") {
  const Printed numbers = print(Numbers{{4, 5}}, false, true);
  CHECK(numbers.out == "4\n5\n");
  CHECK(numbers.err.empty());
  CHECK(print(Greeting{}, false, true).out.empty());
}

TEST_CASE("without flags the human text is printed, notes on stderr") {
  const Printed printed = print(Numbers{{6, 7, 8}}, false, false);
  CHECK(printed.out == "3 numbers\n");
  CHECK(printed.err == "a note\n");
}

TEST_CASE("an outcome is its sentence and hint for people, its quiet lines with -q, its JSON with --json") {
  const Outcome outcome{{{"id", 9}}, "Created thing 9.", "Use it with: thing use 9", {"9"}};
  const Printed human = print(outcome, false, false);
  CHECK(human.out == "Created thing 9.\n");
  CHECK(human.err == "Use it with: thing use 9\n");
  const Printed quiet = print(outcome, false, true);
  CHECK(quiet.out == "9\n");
  CHECK(quiet.err.empty());
  CHECK(nlohmann::json::parse(print(outcome, true, false).out) == nlohmann::json{{"id", 9}});
  // A hint alone (a confirmation on stderr) prints nothing on stdout.
  const Printed hint_only = print(Outcome{{{"saved", true}}, {}, "saved", {}}, false, false);
  CHECK(hint_only.out.empty());
  CHECK(hint_only.err == "saved\n");
}
