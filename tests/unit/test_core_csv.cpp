#include <blogen/core/csv.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/text_position.hpp>

#include <catch2/catch.hpp>

using blogen::Error;
using blogen::ErrorCode;
namespace csv = blogen::csv;

namespace {

std::vector<std::vector<std::string>> fields_of(const std::vector<csv::Record>& records) {
  std::vector<std::vector<std::string>> fields;
  for (const auto& record : records)
    fields.push_back(record.fields);
  return fields;
}

std::string error_of(std::string_view text) {
  try {
    (void)csv::parse(text, "posts.csv");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::bad_input);
    return e.what();
  }
  return {};
}

} // namespace

TEST_CASE("csv: plain records split on commas and line ends", "[csv]") {
  const auto records = csv::parse("topic,tone\nbread,friendly\ncake,witty\n", "x.csv");
  REQUIRE(records.size() == 3);
  CHECK(fields_of(records) ==
        std::vector<std::vector<std::string>>{{"topic", "tone"}, {"bread", "friendly"}, {"cake", "witty"}});
  CHECK(records[0].line == 1);
  CHECK(records[2].line == 3);
}

TEST_CASE("csv: the last record needs no line end, empty fields stay", "[csv]") {
  const auto records = csv::parse("a,,c\n,b,", "x.csv");
  CHECK(fields_of(records) == std::vector<std::vector<std::string>>{{"a", "", "c"}, {"", "b", ""}});
}

TEST_CASE("csv: quoted fields hold commas, doubled quotes and line breaks", "[csv]") {
  const auto records = csv::parse("topic,brief\n\"a, b\",\"say \"\"hi\"\"\"\n\"two\nlines\",x\nlast,y\n", "x.csv");
  REQUIRE(records.size() == 4);
  CHECK(records[1].fields == std::vector<std::string>{"a, b", "say \"hi\""});
  CHECK(records[2].fields == std::vector<std::string>{"two\nlines", "x"});
  CHECK(records[2].line == 3);
  CHECK(records[3].line == 5); // the embedded newline counts as a line
  CHECK(csv::parse("\"\"\n", "x.csv").front().fields == std::vector<std::string>{""});
}

TEST_CASE("csv: CRLF line ends and a UTF-8 BOM", "[csv]") {
  const auto records = csv::parse("\xEF\xBB\xBFtopic,tone\r\nbread,friendly\r\n\"x\r\ny\",z\r\n", "x.csv");
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields.front() == "topic"); // the BOM is not part of the first column's name
  CHECK(records[1].fields == std::vector<std::string>{"bread", "friendly"});
  CHECK(records[2].fields == std::vector<std::string>{"x\r\ny", "z"});
  CHECK(records[2].line == 3);
}

TEST_CASE("csv: empty lines are skipped but keep the line count", "[csv]") {
  const auto records = csv::parse("topic\n\nbread\n\r\ncake\n", "x.csv");
  REQUIRE(records.size() == 3);
  CHECK(records[1].line == 3);
  CHECK(records[2].line == 5);
  CHECK(csv::parse("", "x.csv").empty());
  CHECK(csv::parse("\xEF\xBB\xBF", "x.csv").empty());
}

TEST_CASE("csv: UTF-8 text passes through untouched", "[csv]") {
  const auto records = csv::parse("topic\n\"Crème brûlée, 日本\"\n", "x.csv");
  CHECK(records[1].fields.front() == "Crème brûlée, 日本");
}

TEST_CASE("csv: an unterminated quote names the file and the line it opened on", "[csv]") {
  CHECK(error_of("topic\nbread\n\"never closed,\nstill going\n") ==
        "posts.csv:3: unterminated quoted field (a '\"' opened here is never closed)");
}

TEST_CASE("csv: stray quotes are errors with their line", "[csv]") {
  CHECK(error_of("topic\nbre\"ad\n").rfind("posts.csv:2: a quote inside an unquoted field", 0) == 0);
  CHECK(error_of("topic\n\"bread\"x\n").rfind("posts.csv:2: text after the closing quote", 0) == 0);
}

TEST_CASE("csv: writing quotes only what needs it", "[csv]") {
  CHECK(csv::quote_field("plain") == "plain");
  CHECK(csv::quote_field("a,b") == "\"a,b\"");
  CHECK(csv::quote_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv::quote_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv::format_record({"1", "a,b", ""}) == "1,\"a,b\",\r\n");
}

TEST_CASE("csv: formula cells are neutralised", "[csv]") {
  CHECK(csv::neutralize_formula("=SUM(A1:A9)") == "'=SUM(A1:A9)");
  CHECK(csv::neutralize_formula("+1") == "'+1");
  CHECK(csv::neutralize_formula("-1") == "'-1");
  CHECK(csv::neutralize_formula("@cmd") == "'@cmd");
  CHECK(csv::neutralize_formula("\t=1") == "'\t=1");
  CHECK(csv::neutralize_formula("safe = text") == "safe = text");
  CHECK(csv::neutralize_formula("") == "");
  CHECK(csv::format_record({"=HYPERLINK(\"x\")"}) == "\"'=HYPERLINK(\"\"x\"\")\"\r\n");
}

TEST_CASE("csv: what is written reads back the same", "[csv]") {
  const std::vector<std::string> fields{"a,b", "say \"hi\"", "two\r\nlines", "plain", ""};
  const auto records = csv::parse(csv::format_record(fields) + csv::format_record(fields), "x.csv");
  REQUIRE(records.size() == 2);
  CHECK(records[1].fields == fields);
}

TEST_CASE("text position: lines and character columns from a byte offset", "[csv]") {
  const std::string text = "ab\ncd\r\nxé{\rz";
  CHECK(blogen::text_position(text, 0).line == 1);
  CHECK(blogen::text_position(text, 1).column == 2);
  const auto c = blogen::text_position(text, 3);
  CHECK((c.line == 2 && c.column == 1));
  const auto x = blogen::text_position(text, 7);
  CHECK((x.line == 3 && x.column == 1));
  const auto brace = blogen::text_position(text, 10); // after x and the two bytes of é
  CHECK((brace.line == 3 && brace.column == 3));
  const auto z = blogen::text_position(text, 12);
  CHECK((z.line == 4 && z.column == 1));
  CHECK(blogen::text_position(text, 1000).line == 4);
}
