#include <blogen/core/error.hpp>
#include <blogen/core/text.hpp>
#include <blogen/core/text_position.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>

namespace text = blogen::text;

TEST_CASE("is_space is ASCII whitespace only", "[text]") {
  for (const char c : std::string(" \t\n\r\f\v"))
    CHECK(text::is_space(c));
  CHECK_FALSE(text::is_space('a'));
  CHECK_FALSE(text::is_space('\0'));
  CHECK_FALSE(text::is_space('\xA0')); // a byte of U+00A0 inside UTF-8 is not whitespace on its own
  CHECK_FALSE(text::is_space('\xC2'));
}

TEST_CASE("trim removes surrounding ASCII whitespace and keeps inner text", "[text]") {
  CHECK(text::trim("  hello world \t\r\n") == "hello world");
  CHECK(text::trim("\f\vx\v\f") == "x");
  CHECK(text::trim("   ").empty());
  CHECK(text::trim("").empty());
  CHECK(text::trim("caf\xC3\xA9 ") == "caf\xC3\xA9");
  const std::string owner = "  kept  ";
  const std::string_view view = text::trim(owner);
  CHECK(view.data() == owner.data() + 2); // a view into the argument, no copy
}

TEST_CASE("lower lower-cases ASCII letters and leaves UTF-8 bytes alone", "[text]") {
  CHECK(text::lower("Hello WORLD 42") == "hello world 42");
  CHECK(text::lower("CAF\xC3\x89") == "caf\xC3\x89");
  CHECK(text::lower("").empty());
}

TEST_CASE("utf8_length counts code points", "[text]") {
  CHECK(text::utf8_length("") == 0);
  CHECK(text::utf8_length("abc") == 3);
  CHECK(text::utf8_length("caf\xC3\xA9") == 4);              // café
  CHECK(text::utf8_length("\xE2\x82\xAC") == 1);             // €
  CHECK(text::utf8_length("\xF0\x9F\x98\x80 ok") == 4);      // 😀 ok
  CHECK(text::utf8_length("\xE6\x97\xA5\xE6\x9C\xAC") == 2); // 日本
}

TEST_CASE("valid_utf8 accepts well-formed text", "[text]") {
  CHECK(text::valid_utf8(""));
  CHECK(text::valid_utf8("plain ASCII"));
  CHECK(text::valid_utf8("\xC2\x80"));         // U+0080, the smallest two-byte form
  CHECK(text::valid_utf8("\xE0\xA0\x80"));     // U+0800
  CHECK(text::valid_utf8("\xED\x9F\xBF"));     // U+D7FF, just below the surrogates
  CHECK(text::valid_utf8("\xEE\x80\x80"));     // U+E000, just above them
  CHECK(text::valid_utf8("\xF0\x90\x80\x80")); // U+10000
  CHECK(text::valid_utf8("\xF4\x8F\xBF\xBF")); // U+10FFFF, the last code point
}

TEST_CASE("valid_utf8 rejects overlong forms, surrogates, values past U+10FFFF and truncation", "[text]") {
  CHECK_FALSE(text::valid_utf8("\xC0\xAF"));         // overlong '/'
  CHECK_FALSE(text::valid_utf8("\xC1\xBF"));         // overlong
  CHECK_FALSE(text::valid_utf8("\xE0\x80\xAF"));     // overlong three-byte
  CHECK_FALSE(text::valid_utf8("\xF0\x80\x80\xAF")); // overlong four-byte
  CHECK_FALSE(text::valid_utf8("\xED\xA0\x80"));     // U+D800, a surrogate
  CHECK_FALSE(text::valid_utf8("\xED\xBF\xBF"));     // U+DFFF
  CHECK_FALSE(text::valid_utf8("\xF4\x90\x80\x80")); // U+110000
  CHECK_FALSE(text::valid_utf8("\xF5\x80\x80\x80")); // lead byte past F4
  CHECK_FALSE(text::valid_utf8("\xFF"));
  CHECK_FALSE(text::valid_utf8("\x80"));         // stray continuation byte
  CHECK_FALSE(text::valid_utf8("caf\xC3"));      // truncated at the end
  CHECK_FALSE(text::valid_utf8("\xE2\x82"));     // truncated three-byte
  CHECK_FALSE(text::valid_utf8("\xE2\x82x"));    // continuation replaced by ASCII
  CHECK_FALSE(text::valid_utf8("\xF0\x9F\x98")); // truncated four-byte
}

TEST_CASE("utf8_sequence decodes one code point at an offset", "[text]") {
  const std::string_view s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  char32_t code = 0;
  CHECK(text::utf8_sequence(s, 0, &code) == 1);
  CHECK(code == U'a');
  CHECK(text::utf8_sequence(s, 1, &code) == 2);
  CHECK(code == U'\u00E9');
  CHECK(text::utf8_sequence(s, 3, &code) == 3);
  CHECK(code == U'\u20AC');
  CHECK(text::utf8_sequence(s, 6, &code) == 4);
  CHECK(code == U'\U0001F600');
  CHECK(text::utf8_sequence(s, 2) == 0); // inside a sequence
  CHECK(text::utf8_sequence(s, s.size()) == 0);
}

TEST_CASE("append_utf8 round-trips through utf8_sequence", "[text]") {
  for (const char32_t code : {U'A', U'\u00FC', U'\u0800', U'\uFFFD', U'\U00010000', U'\U0010FFFF'}) {
    std::string encoded;
    text::append_utf8(encoded, code);
    char32_t decoded = 0;
    CHECK(text::utf8_sequence(encoded, 0, &decoded) == encoded.size());
    CHECK(decoded == code);
  }
}

TEST_CASE("letters and digits of every script are recognised", "[text]") {
  for (const char32_t letter :
       {U'a', U'Z', U'\u00E9', U'\u00DF', U'\u0141', U'\u0416', U'\u03A9', U'\u65E5', U'\u30AB'})
    CHECK(text::is_letter(letter));
  for (const char32_t other : {U'1', U' ', U'-', U'#', U'\u2014', U'\u00D7', U'\U0001F600'})
    CHECK_FALSE(text::is_letter(other));
  CHECK(text::is_alnum(U'7'));
  CHECK(text::is_alnum(U'\u00FC'));
  CHECK_FALSE(text::is_alnum(U'\u2019'));
}

TEST_CASE("case changes work beyond ASCII", "[text]") {
  CHECK(text::to_upper(U'\u00E9') == U'\u00C9'); // é -> É
  CHECK(text::to_lower(U'\u00DC') == U'\u00FC'); // Ü -> ü
  CHECK(text::to_upper(U'\u0142') == U'\u0141'); // ł -> Ł
  CHECK(text::to_upper(U'\u0436') == U'\u0416'); // ж -> Ж
  CHECK(text::to_upper(U'7') == U'7');
  CHECK(text::upper_first("\xC3\xA9t\xC3\xA9") == "\xC3\x89t\xC3\xA9"); // été -> Été
  CHECK(text::lower_first("\xC3\x89t\xC3\xA9") == "\xC3\xA9t\xC3\xA9");
  CHECK(text::upper_first("") == "");
  CHECK(text::upper_first("\xFF"
                          "abc") == "\xFF"
                                    "abc"); // invalid UTF-8 is left as it is
}

TEST_CASE("Latin letters have an ASCII spelling, other characters have none", "[text]") {
  CHECK(text::ascii_spelling(U'a') == "a");
  CHECK(text::ascii_spelling(U'Q') == "Q");
  CHECK(text::ascii_spelling(U'5') == "5");
  CHECK(text::ascii_spelling(U'\u00E9') == "e");  // é
  CHECK(text::ascii_spelling(U'\u00C5') == "A");  // Å
  CHECK(text::ascii_spelling(U'\u00DF') == "ss"); // ß
  CHECK(text::ascii_spelling(U'\u00C6') == "AE"); // Æ
  CHECK(text::ascii_spelling(U'\u00FE') == "th"); // þ
  CHECK(text::ascii_spelling(U'\u0141') == "L");  // Ł
  CHECK(text::ascii_spelling(U'\u0151') == "o");  // ő
  CHECK(text::ascii_spelling(U'\u0161') == "s");  // š
  CHECK(text::ascii_spelling(U'\u0153') == "oe"); // œ
  CHECK(text::ascii_spelling(U'\u017E') == "z");  // ž
  CHECK(text::ascii_spelling(U'\u00D7').empty()); // ×
  CHECK(text::ascii_spelling(U'\u00F7').empty()); // ÷
  CHECK(text::ascii_spelling(U'-').empty());
  CHECK(text::ascii_spelling(U'\u0416').empty()); // Ж: another script
  CHECK(text::ascii_spelling(U'\u65E5').empty()); // 日
}

TEST_CASE("invalid_utf8_offset and utf8_problem find the first invalid sequence (issue 16 item 3)", "[text]") {
  CHECK(text::invalid_utf8_offset("Caf\xc3\xa9") == std::string_view::npos);
  CHECK(text::invalid_utf8_offset("Caf\xe0\x80\x80 culture") == 3); // overlong
  CHECK(text::invalid_utf8_offset("ab\xed\xa0\x80") == 2);          // surrogate
  CHECK(text::invalid_utf8_offset("\xc3") == 0);                    // truncated
  CHECK(text::utf8_problem("fine").empty());
  CHECK(text::utf8_problem("Caf\xe0\x80\x80") ==
        "is not valid UTF-8 (byte 4 starts an invalid, overlong or surrogate sequence); write it in UTF-8");
}

TEST_CASE("require_utf8 names source, line, column and field, and passes valid text (issue 16 item 3)", "[text]") {
  CHECK_NOTHROW(blogen::require_utf8("line one\nline two \xe6\x97\xa5\n", "post.md", "text"));
  try {
    blogen::require_utf8("line one\r\nab\xed\xa0\x80\n", "post.md", "text");
    FAIL("no error");
  } catch (const blogen::Error& e) {
    CHECK(e.code() == blogen::ErrorCode::bad_input);
    CHECK_THAT(std::string(e.what()), Catch::StartsWith("post.md:2:3: text: is not valid UTF-8"));
  }
}

TEST_CASE("describe_failure turns library exceptions into sentences without their own text (issue 16 item 3)",
          "[text]") {
  try {
    (void)nlohmann::json(std::string("Caf\xe0\x80\x80")).dump();
    FAIL("nlohmann accepted invalid UTF-8");
  } catch (const std::exception& e) {
    const std::string message = blogen::describe_failure(e);
    CHECK(message.find("json.exception") == std::string::npos);
    CHECK_THAT(message, Catch::Contains("not valid UTF-8"));
  }
  try {
    (void)nlohmann::json::parse("{\"a\": 1}").at("b");
    FAIL("no exception");
  } catch (const std::exception& e) {
    CHECK(blogen::describe_failure(e).find("json.exception") == std::string::npos);
  }
  const std::filesystem::filesystem_error missing("boom", "/nowhere/x",
                                                  std::make_error_code(std::errc::permission_denied));
  CHECK(blogen::describe_failure(missing).find("filesystem error") == std::string::npos);
  CHECK_THAT(blogen::describe_failure(missing), Catch::Contains("/nowhere/x"));
  CHECK(blogen::describe_failure(blogen::Error(blogen::ErrorCode::usage, "--x: bad")) == "--x: bad");
}

TEST_CASE("text_problem refuses invalid UTF-8 and NUL bytes, the first one found (issue 19 item 4)", "[text]") {
  CHECK(text::text_problem("Caf\xc3\xa9").empty());
  CHECK(text::invalid_text_offset(std::string("ab\0c", 4)) == 2);
  CHECK(text::text_problem(std::string("ab\0c", 4)) ==
        "contains a NUL byte (byte 3), which text cannot hold; remove it");
  CHECK(text::invalid_text_offset(std::string("a\xff\0", 3)) == 1); // the invalid byte comes first
  CHECK_THAT(text::text_problem(std::string("a\xff\0", 3)), Catch::StartsWith("is not valid UTF-8 (byte 2"));
  CHECK(text::valid_utf8(std::string("a\0", 2))); // NUL is valid UTF-8; only text_problem refuses it
}
