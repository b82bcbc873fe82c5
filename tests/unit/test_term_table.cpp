#include <blogen/term/output.hpp>
#include <blogen/term/sanitize.hpp>
#include <blogen/term/table.hpp>

#include <support/text_lines.hpp>

#include <catch2/catch.hpp>

#include <sstream>

using namespace blogen::term;

using blogen::testing::lines_of;

TEST_CASE("columns are aligned and right-aligned numbers line up") {
  Table table({{"ID", ColumnFit::fixed, Align::right}, {"TITLE", ColumnFit::flexible}, {"STATUS"}});
  table.add_row({"7", "Short", "completed"});
  table.add_row({"1234", "A much longer title", "failed"});
  const auto lines = lines_of(table.render(200));
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "  ID  TITLE                STATUS");
  CHECK(lines[1] == "   7  Short                completed");
  CHECK(lines[2] == "1234  A much longer title  failed");
}

TEST_CASE("a table wider than the terminal shrinks its flexible column and no line exceeds the width") {
  Table table({{"ID"}, {"TITLE", ColumnFit::flexible}, {"UPDATED"}});
  table.add_row({"1", std::string(150, 'x'), "2026-11-24 09:30"});
  table.add_row({"2", "東京の天気と料理についての長い長いタイトルです本当に長い", "2026-11-24 09:31"});
  for (std::size_t width : {40u, 60u, 80u}) {
    for (const auto& line : lines_of(table.render(width))) {
      INFO(line);
      CHECK(display_width(line) <= width);
    }
  }
  CHECK_THAT(table.render(40), Catch::Contains("…"));
}

TEST_CASE("cells are sanitised: no escape sequences or newlines reach the terminal") {
  Table table({{"TITLE", ColumnFit::flexible}});
  table.add_row({"evil\x1b]0;title\x07 two\nlines\x1b[2J"});
  const std::string rendered = table.render(80);
  CHECK(rendered.find('\x1b') == std::string::npos);
  CHECK(lines_of(rendered).size() == 2);
  CHECK_THAT(rendered, Catch::Contains("evil two lines"));
}

TEST_CASE("JSON output replaces invalid UTF-8 instead of failing, and errors never carry escapes") {
  std::ostringstream out, err;
  Output output({true, false, false, ColorMode::never}, out, err, false, false, 100);
  output.print_json({{"text", std::string("ok\xff")}});
  CHECK_THAT(out.str(), Catch::Contains("ok\xEF\xBF\xBD"));
  output.error("bad \x1b]0;x\x07thing");
  CHECK(err.str() == "blogen: error: bad thing\n");
}

TEST_CASE("colour follows the mode: never and a non-TTY give plain text, always gives ANSI") {
  std::ostringstream out, err;
  Output plain({false, false, false, ColorMode::automatic}, out, err, false, false, 100);
  CHECK(plain.styled("x", Style::red) == "x");
  Output forced({false, false, false, ColorMode::always}, out, err, false, false, 100);
  CHECK(forced.styled("x", Style::red) == "\x1b[31mx\x1b[0m");
  Output never({false, false, false, ColorMode::never}, out, err, true, true, 100);
  CHECK(never.styled("x", Style::red) == "x");
  CHECK(never.live_progress()); // a TTY on stderr without --no-progress draws progress
  Output quiet({false, true, true, ColorMode::never}, out, err, true, true, 100);
  CHECK_FALSE(quiet.live_progress());
}
