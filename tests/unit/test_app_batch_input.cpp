#include <blogen/app/batch_input.hpp>
#include <blogen/core/error.hpp>

#include <catch2/catch.hpp>

#include <string>

using blogen::Error;
using blogen::ErrorCode;
using namespace blogen::app;

namespace {

struct Failure {
  ErrorCode code = ErrorCode::failed;
  std::string message;
};

Failure failure_of(std::string_view text, InputFormat format, std::string_view source = "posts.csv") {
  try {
    (void)parse_batch_input(text, format, source);
  } catch (const Error& e) {
    return {e.code(), e.what()};
  }
  FAIL("no error for: " << text);
  return {};
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

} // namespace

TEST_CASE("batch input: CSV rows with every column", "[batch_input]") {
  const auto rows = parse_batch_input("topic,brief,tone,target_audience,brand_name,platform\n"
                                      "Spring menu,\"Seasonal, local\",Witty,Foodies,Acme Bakery,LinkedIn\n"
                                      "  Opening hours  ,,,,,\n",
                                      InputFormat::csv, "posts.csv");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].topic == "Spring menu");
  CHECK(rows[0].brief == "Seasonal, local");
  CHECK(rows[0].tone == "witty");        // lower-cased
  CHECK(rows[0].platform == "linkedin"); // lower-cased
  CHECK(rows[0].target_audience == "Foodies");
  CHECK(rows[0].brand_name == "Acme Bakery");
  CHECK(rows[0].line == 2);
  CHECK(rows[1].topic == "Opening hours"); // trimmed
  CHECK(rows[1].tone.empty());             // empty: the campaign's value applies later
  CHECK(rows[1].line == 3);
}

TEST_CASE("batch input: CSV columns in any order and case, only topic required", "[batch_input]") {
  const auto rows = parse_batch_input("\xEF\xBB\xBFPlatform, TOPIC\r\ntwitter,Bread\r\n", InputFormat::csv, "p.csv");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].topic == "Bread");
  CHECK(rows[0].platform == "twitter");
}

TEST_CASE("batch input: CSV errors name file, line and field", "[batch_input]") {
  auto f = failure_of("topic,tone\nbread,friendly\ncake,grumpy\n", InputFormat::csv);
  CHECK(f.code == ErrorCode::bad_input);
  CHECK(starts_with(f.message, "posts.csv:3: tone: unknown tone 'grumpy'; use one of: friendly,"));

  f = failure_of("topic,platform\nbread,myspace\n", InputFormat::csv);
  CHECK(f.message == "posts.csv:2: platform: unknown platform 'myspace'; use one of: twitter, linkedin, instagram, "
                     "generic");

  f = failure_of("topic,brief\nbread,x\n  ,y\n", InputFormat::csv);
  CHECK(starts_with(f.message, "posts.csv:3: topic: is empty"));

  f = failure_of("topic\n" + std::string(501, 'x') + "\n", InputFormat::csv);
  CHECK(f.message == "posts.csv:2: topic: is longer than 500 characters");

  f = failure_of("topic,brief\nbread," + std::string(5001, 'b') + "\n", InputFormat::csv);
  CHECK(f.message == "posts.csv:2: brief: is longer than 5000 characters");

  f = failure_of("topic,brief\n\"two\nlines\",x\n", InputFormat::csv);
  CHECK(f.message == "posts.csv:2: topic: must be a single line");

  f = failure_of("topic\n\xff\xfe\n", InputFormat::csv);
  CHECK(f.message == "posts.csv:2: topic: is not valid UTF-8 (byte 1 starts an invalid, overlong or surrogate "
                     "sequence); write it in UTF-8");
  f = failure_of("topic\nok\n\"Caf\xe0\x80\x80\"\n", InputFormat::csv); // an overlong form
  CHECK_THAT(f.message, Catch::StartsWith("posts.csv:3: topic: is not valid UTF-8 (byte 4"));
}

TEST_CASE("batch input: CSV structure errors", "[batch_input]") {
  auto f = failure_of("topic,colour,size\nbread,red,2\n", InputFormat::csv);
  CHECK(f.code == ErrorCode::bad_input);
  CHECK(starts_with(f.message, "posts.csv:1: unknown columns 'colour', 'size'; the columns are: topic, brief,"));

  f = failure_of("brief,tone\nx,friendly\n", InputFormat::csv);
  CHECK(starts_with(f.message, "posts.csv:1: the header has no 'topic' column"));

  f = failure_of("topic,topic\nx,y\n", InputFormat::csv);
  CHECK(f.message == "posts.csv:1: column 'topic' appears twice");

  f = failure_of("topic,tone\nbread\n", InputFormat::csv);
  CHECK(f.message == "posts.csv:2: 1 field, but the header has 2");

  f = failure_of("topic\nbread\n\"open\n", InputFormat::csv);
  CHECK(starts_with(f.message, "posts.csv:3: unterminated quoted field"));
}

TEST_CASE("batch input: empty input and a header without rows are rejected", "[batch_input]") {
  CHECK(starts_with(failure_of("", InputFormat::csv).message, "posts.csv: the file is empty"));
  CHECK(starts_with(failure_of("\n\n", InputFormat::csv).message, "posts.csv: the file is empty"));
  CHECK(starts_with(failure_of("topic\n", InputFormat::csv).message, "posts.csv: no rows"));
  CHECK(starts_with(failure_of("", InputFormat::json, "p.json").message, "p.json: the file is empty"));
  CHECK(starts_with(failure_of("  []  ", InputFormat::json, "p.json").message, "p.json: no rows"));
}

TEST_CASE("batch input: more rows than a batch holds", "[batch_input]") {
  std::string text = "topic\n";
  for (std::size_t i = 0; i <= k_max_batch_rows; ++i)
    text += "t\n";
  CHECK(failure_of(text, InputFormat::csv).message == "posts.csv: 50001 rows; a batch holds at most 50000");
}

TEST_CASE("batch input: JSON arrays of objects", "[batch_input]") {
  const auto rows = parse_batch_input(R"([
  {"topic": "Bread", "tone": "Formal", "platform": "instagram"},
  {"topic": "Cake", "brief": null, "brand_name": "Acme"}
])",
                                      InputFormat::json, "posts.json");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].tone == "formal");
  CHECK(rows[0].platform == "instagram");
  CHECK(rows[0].line == 2);
  CHECK(rows[0].column == 3);
  CHECK(rows[1].brand_name == "Acme");
  CHECK(rows[1].line == 3);
}

TEST_CASE("batch input: JSON syntax errors give line and column", "[batch_input]") {
  auto f = failure_of("[\n  {\"topic\": \"a\"},\n  {\"topic\": oops}\n]", InputFormat::json, "posts.json");
  INFO(f.message);
  CHECK(f.code == ErrorCode::bad_input);
  CHECK(starts_with(f.message, "posts.json:3:13: invalid JSON: "));

  f = failure_of("[{\"topic\": \"a\"}", InputFormat::json, "posts.json");
  CHECK(starts_with(f.message, "posts.json:1:16: invalid JSON: "));
  // A number beyond a double's range is a JSON error too, never an unexpected failure (found by the fuzzer).
  f = failure_of("[{\"topic\": \"a\", \"x\": 1e999}]", InputFormat::json, "posts.json");
  INFO(f.message);
  CHECK(f.code == ErrorCode::bad_input);
  CHECK(starts_with(f.message, "posts.json: invalid JSON: a number is too large"));
}

TEST_CASE("batch input: JSON field errors give line, column and field", "[batch_input]") {
  auto f = failure_of("[\n  {\"topic\": \"a\"},\n  {\"topic\": \"b\", \"tone\": \"grumpy\"}\n]", InputFormat::json,
                      "posts.json");
  CHECK(starts_with(f.message, "posts.json:3:3: tone: unknown tone 'grumpy'"));

  f = failure_of("[{\"topic\": 42}]", InputFormat::json, "posts.json");
  CHECK(f.message == "posts.json:1:2: topic: must be a string, found number");

  f = failure_of("[{\"topic\": \"a\", \"colour\": \"red\"}]", InputFormat::json, "posts.json");
  CHECK(starts_with(f.message, "posts.json:1:2: unknown column 'colour'"));

  f = failure_of("[{\"brief\": \"no topic\"}]", InputFormat::json, "posts.json");
  CHECK(starts_with(f.message, "posts.json:1:2: topic: is empty"));

  f = failure_of("[{\"topic\": \"a\"}, \"b\"]", InputFormat::json, "posts.json");
  CHECK(f.message == "posts.json:1:18: row 2 is string, not an object with a \"topic\"");

  f = failure_of("{\"topic\": \"a\"}", InputFormat::json, "posts.json");
  CHECK(starts_with(f.message, "posts.json:1:1: expected a JSON array of objects"));
}

TEST_CASE("batch input: strings with brackets and escapes do not confuse row positions", "[batch_input]") {
  const auto rows =
      parse_batch_input("[{\"topic\": \"a [x], {y} \\\" z\"},\n {\"topic\": \"b\"}]", InputFormat::json, "p.json");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].topic == "a [x], {y} \" z");
  CHECK(rows[1].line == 2);
  CHECK(rows[1].column == 2);
}

TEST_CASE("batch input: format by extension, or sniffed", "[batch_input]") {
  CHECK(format_from_extension("posts.csv") == InputFormat::csv);
  CHECK(format_from_extension("dir.v2/POSTS.JSON") == InputFormat::json);
  CHECK_FALSE(format_from_extension("posts.txt").has_value());
  CHECK(sniff_format("  \n[{}]") == InputFormat::json);
  CHECK(sniff_format("\xEF\xBB\xBF{") == InputFormat::json);
  CHECK(sniff_format("topic\nx") == InputFormat::csv);
}

TEST_CASE("batch input: --topic rows are checked with usage errors", "[batch_input]") {
  CHECK(rows_from_topics({"a", " b "})[1].topic == "b");
  try {
    (void)rows_from_topics({"ok", " "});
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::usage);
    CHECK(std::string(e.what()) == "--topic: topic: is empty (every row needs a topic)");
  }
}

TEST_CASE("batch input: derived topics are deterministic and use the campaign", "[batch_input]") {
  const CampaignFacts facts{"Acme Bakery", "busy parents", "Fresh bread daily. Since 1990."};
  const auto topics = derive_topics(facts, 30);
  REQUIRE(topics.size() == 30);
  CHECK(topics == derive_topics(facts, 30));
  CHECK(topics[0] == "Introducing Acme Bakery: Fresh bread daily");
  CHECK(topics[1] == "Why busy parents choose Acme Bakery");
  CHECK(topics[12] == topics[0] + " (take 2)");
  CHECK(topics[29].find("(take 3)") != std::string::npos);
  const auto plain = derive_topics({"Acme", "", ""}, 2);
  CHECK(plain[0] == "Introducing Acme");
  CHECK(plain[1] == "Why our community choose Acme");
}

TEST_CASE("batch input: invalid UTF-8 in JSON names line, column and member, never the parser's words (issue 16 item "
          "3)") {
  auto f = failure_of("[\n  {\"topic\": \"a\"},\n  {\"topic\": \"b\", \"brief\": \"say \\\"hi\\\" \xed\xa0\x80\"}\n]",
                      InputFormat::json, "posts.json");
  CHECK(f.code == ErrorCode::bad_input);
  CHECK_THAT(f.message, Catch::StartsWith("posts.json:3:39: brief: is not valid UTF-8"));
  f = failure_of("[{\"top\xc0\xafic\": \"a\"}]", InputFormat::json, "posts.json");
  CHECK_THAT(f.message, Catch::StartsWith("posts.json:1:7: a string: is not valid UTF-8"));
  CHECK(f.message.find("json.exception") == std::string::npos);
  CHECK(f.message.find("syntax error") == std::string::npos);
}
