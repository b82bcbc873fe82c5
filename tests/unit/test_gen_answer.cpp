// Parsing model answers: fences, titles, chatty preambles, hashtags and word counts.

#include <blogen/gen/answer.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace blogen::gen;

TEST_CASE("a fence wrapping the whole answer is removed") {
  CHECK(strip_wrapping_fence("```markdown\n# Title\n\nBody.\n```") == "# Title\n\nBody.");
  CHECK(strip_wrapping_fence("  \n```md\n# T\n```\n\n") == "# T");
  CHECK(strip_wrapping_fence("```\n# T\ntext\n```") == "# T\ntext");
  CHECK(strip_wrapping_fence("~~~markdown\n# T\n~~~") == "# T");
  CHECK(strip_wrapping_fence("```markdown\r\n# T\r\n```") == "# T");
  SECTION("nested code blocks survive") {
    const std::string answer = "```markdown\n# T\n\n```cpp\nint x;\n```\n\nEnd.\n```";
    CHECK(strip_wrapping_fence(answer) == "# T\n\n```cpp\nint x;\n```\n\nEnd.");
  }
  SECTION("answers that merely start and end with code are left alone") {
    const std::string two_blocks = "```\nfirst\n```\nprose\n```\nsecond\n```";
    CHECK(strip_wrapping_fence(two_blocks) == two_blocks);
    const std::string code = "```python\nprint(1)\n```";
    CHECK(strip_wrapping_fence(code) == code);
    CHECK(strip_wrapping_fence("```markdown\n# T\nno closing fence") == "```markdown\n# T\nno closing fence");
  }
  CHECK(strip_wrapping_fence("  plain text \n") == "plain text");
}

TEST_CASE("the first H1 is the title and leaves the body") {
  SECTION("simple") {
    const ParsedAnswer parsed = parse_answer("# My Title\n\nIntro.\n\n## Section\n\nText.", "topic");
    CHECK(parsed.title == "My Title");
    CHECK(parsed.title_from_answer);
    CHECK(parsed.body == "Intro.\n\n## Section\n\nText.");
  }
  SECTION("fenced, with closing hashes and emphasis") {
    const ParsedAnswer parsed = parse_answer("```markdown\n#   **Bold Title** ##\nBody\n```", "topic");
    CHECK(parsed.title == "Bold Title");
    CHECK(parsed.body == "Body");
  }
  SECTION("only the first H1 is taken; later ones stay in the body") {
    const ParsedAnswer parsed = parse_answer("# One\ntext\n# Two\nmore", "topic");
    CHECK(parsed.title == "One");
    CHECK(parsed.body == "text\n# Two\nmore");
  }
  SECTION("a heading inside a code fence is not the title") {
    const ParsedAnswer parsed = parse_answer("Intro\n\n```bash\n# install it\napt install x\n```\n\nDone.", "My Topic");
    CHECK(parsed.title == "My Topic");
    CHECK_FALSE(parsed.title_from_answer);
    CHECK(parsed.body.find("# install it") != std::string::npos);
    const ParsedAnswer later = parse_answer("```\n# not this\n```\n# Real Title\nBody", "t");
    CHECK(later.title == "Real Title");
    CHECK(later.body.find("# not this") != std::string::npos);
  }
  SECTION("H2, hashtags and indented code are not H1s") {
    const ParsedAnswer parsed = parse_answer("## Sub\n#hashtag line\n    # indented code\nText", "Fallback");
    CHECK(parsed.title == "Fallback");
    CHECK(parsed.body == "## Sub\n#hashtag line\n    # indented code\nText");
  }
  SECTION("an empty heading is skipped") { CHECK(parse_answer("#\n# Real\nbody", "t").title == "Real"); }
  SECTION("no heading: the topic is the title and the whole answer the body") {
    const ParsedAnswer parsed = parse_answer("  Just a caption #Tag\n", "  cold brew  ");
    CHECK(parsed.title == "cold brew");
    CHECK(parsed.body == "Just a caption #Tag");
    CHECK_FALSE(parsed.title_from_answer);
  }
  SECTION("a chatty line before the title is dropped, real content is kept") {
    CHECK(parse_answer("Sure! Here is your blog post:\n\n# Title\nBody", "t").body == "Body");
    const ParsedAnswer kept = parse_answer("An opening paragraph with real content.\n\n# Title\nBody", "t");
    CHECK(kept.title == "Title");
    CHECK(kept.body == "An opening paragraph with real content.\n\nBody");
  }
  SECTION("CRLF line endings") {
    const ParsedAnswer parsed = parse_answer("# Title\r\n\r\nBody line\r\n", "t");
    CHECK(parsed.title == "Title");
    CHECK(parsed.body.find("Body line") != std::string::npos);
  }
}

TEST_CASE("hashtags are extracted unique and in order") {
  CHECK(extract_hashtags("Great day #Coffee #coldBrew\n\n#Summer2025 #coffee #ColdBrew") ==
        std::vector<std::string>{"#Coffee", "#coldBrew", "#Summer2025"});
  CHECK(extract_hashtags("# Heading\n## Sub\nC# rocks, item #1, &#39; and ##double").empty());
  CHECK(extract_hashtags("(#Tag), #under_score.") == std::vector<std::string>{"#Tag", "#under_score"});
  CHECK(extract_hashtags("").empty());
  // Letters of every script belong to the tag; a '#' right after a letter does not start one.
  CHECK(extract_hashtags("Bonjour #Caf\xC3\xA9M\xC3\xBCller et #\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0!") ==
        std::vector<std::string>{"#Caf\xC3\xA9M\xC3\xBCller", "#\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"});
  CHECK(extract_hashtags("caf\xC3\xA9#tag").empty());
  CHECK(extract_hashtags("\xE2\x9C\xA8#Sparkle") == std::vector<std::string>{"#Sparkle"});
}

TEST_CASE("words are counted without Markdown markers") {
  CHECK(count_words("# Title Here\n\nOne two three.") == 5);
  CHECK(count_words("## A\n- item one\n- item two\n---\n> quote") == 6);
  CHECK(count_words("1. first\n2. second") == 4);
  CHECK(count_words("word \xE2\x80\x94 word") == 2); // a spaced em dash is punctuation
  CHECK(count_words("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC") == 2);
  CHECK(count_words("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 \xC2\xB7 \xF0\x9F\x98\x80 ok") ==
        2);                                                      // Москва · 😀 ok
  CHECK(count_words("\xE2\x80\xA6 \xC2\xBB \xE2\x80\x93") == 0); // … » – are punctuation in any script
  CHECK(count_words("   \n\t ") == 0);
  CHECK(count_words("don't stop-believing") == 2);
}

TEST_CASE("a heading of emphasis marks only keeps its marks as the title, never an empty one") {
  // Found by the answer fuzzer: "# * *" lost both stars as "emphasis" and left an empty title.
  const ParsedAnswer parsed = parse_answer("\n\n# * *\nBody", "topic");
  CHECK(parsed.title == "* *");
  CHECK(parsed.body == "Body");
}
