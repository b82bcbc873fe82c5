#include <blogen/term/output.hpp>
#include <blogen/term/sanitize.hpp>

#include <catch2/catch.hpp>

#include <sstream>

using blogen::term::display_width;
using blogen::term::sanitize_for_terminal;
using blogen::term::sanitize_single_line;
using blogen::term::truncate_to_width;

TEST_CASE("plain text, newlines, tabs and valid UTF-8 pass unchanged") {
  const std::string text = "Hello\tworld\nCafé – 東京 🍞 naïve";
  CHECK(sanitize_for_terminal(text) == text);
}

TEST_CASE("CSI sequences (colours, cursor moves, screen clears) are removed") {
  CHECK(sanitize_for_terminal("a\x1b[31mred\x1b[0m b") == "ared b");
  CHECK(sanitize_for_terminal("x\x1b[2J\x1b[1;1Hy") == "xy");
  CHECK(sanitize_for_terminal("\x1b[?1049h\x1b[?25l") == "");
}

TEST_CASE("OSC sequences (window title, hyperlinks, clipboard) are removed whole") {
  CHECK(sanitize_for_terminal("a\x1b]0;pwned title\x07"
                              "b") == "ab");
  CHECK(sanitize_for_terminal("a\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\b") == "alinkb");
  CHECK(sanitize_for_terminal("\x1b]52;c;ZXZpbA==\x07ok") == "ok");
}

TEST_CASE("other C0 controls, DEL and carriage returns are dropped") {
  using namespace std::string_literals;
  CHECK(sanitize_for_terminal("a\rb\bc\x07"s + "d\x7f"s + "e\0f"s) == "abcdef");
  CHECK(sanitize_for_terminal("line\r\n") == "line\n");
}

TEST_CASE("C1 controls are removed, raw or UTF-8 encoded, with what they introduce") {
  CHECK(sanitize_for_terminal("a\xc2\x9b"
                              "31mb") == "ab"); // encoded CSI
  CHECK(sanitize_for_terminal("a\xc2\x9d"
                              "0;title\x07"
                              "b") == "ab"); // encoded OSC
  CHECK(sanitize_for_terminal("a\xc2\x85"
                              "b") == "ab"); // NEL
  CHECK(sanitize_for_terminal("a\x9b"
                              "b") == "a\xEF\xBF\xBD"
                                      "b"); // raw C1 byte is invalid UTF-8
}

TEST_CASE("invalid UTF-8 becomes U+FFFD and never leaks raw bytes") {
  CHECK(sanitize_for_terminal("a\xff"
                              "b") == "a\xEF\xBF\xBD"
                                      "b");
  CHECK(sanitize_for_terminal("\xc0\xaf") == "\xEF\xBF\xBD\xEF\xBF\xBD");                 // overlong '/'
  CHECK(sanitize_for_terminal("\xed\xa0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate
  CHECK(sanitize_for_terminal("end\xe2\x82") == "end\xEF\xBF\xBD\xEF\xBF\xBD");           // truncated
}

TEST_CASE("an escape at the very end or an unterminated OSC does not run past the text") {
  CHECK(sanitize_for_terminal("abc\x1b") == "abc");
  CHECK(sanitize_for_terminal("abc\x1b]0;never ends") == "abc");
  CHECK(sanitize_for_terminal("abc\x1b[") == "abc");
}

TEST_CASE("single-line sanitising folds newlines and tabs") {
  CHECK(sanitize_single_line("a\nb\tc\x1b[1m") == "a b c");
}

TEST_CASE("display width counts wide characters twice and combining marks not at all") {
  CHECK(display_width("abc") == 3);
  CHECK(display_width("東京") == 4);
  CHECK(display_width("🍞") == 2);
  CHECK(display_width("e\xcc\x81") == 1); // e + combining acute
}

TEST_CASE("truncation respects display width and never splits a character") {
  CHECK(truncate_to_width("abcdef", 10) == "abcdef");
  CHECK(truncate_to_width("abcdef", 4) == "abc…");
  CHECK(truncate_to_width("東京大阪", 5) == "東京…");
  CHECK(display_width(truncate_to_width("東京大阪", 5)) <= 5);
}

TEST_CASE("Output::document neutralises a document on a terminal and keeps it byte for byte elsewhere (issue 16 "
          "item 10)") {
  const std::string document = "id,caption\r\n1,\"Evil \x1b]0;pwned\x07 \x1b[2J text\"\r\n";
  std::ostringstream terminal;
  std::ostringstream err;
  blogen::term::Output on_terminal({}, terminal, err, true, false, 80);
  on_terminal.document(document);
  CHECK(terminal.str().find('\x1b') == std::string::npos);
  CHECK(terminal.str().find('\x07') == std::string::npos);
  CHECK_THAT(terminal.str(), Catch::Contains("Evil") && Catch::Contains("text"));

  std::ostringstream pipe;
  blogen::term::Output into_pipe({}, pipe, err, false, false, 80);
  into_pipe.document(document);
  CHECK(pipe.str() == document);
}
