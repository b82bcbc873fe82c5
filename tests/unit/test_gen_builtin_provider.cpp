// The builtin provider: structure, length, tone, keywords, determinism of blog drafts; captions within platform
// limits; SVG title cards; streaming and cancellation.

#include <blogen/core/text.hpp>
#include <blogen/gen/answer.hpp>
#include <blogen/gen/builtin_provider.hpp>
#include <blogen/gen/templates.hpp>

#include "gen/builtin_angles.hpp"
#include "gen/builtin_caption.hpp"
#include "gen/builtin_image.hpp"
#include "gen/builtin_planner.hpp"
#include "gen/builtin_text.hpp"
#include "gen/builtin_tones.hpp"

#include <blogen/core/markup.hpp>

#include <support/text_lines.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace blogen::gen;

using blogen::testing::lines_of;

namespace {

const std::vector<std::string> k_blog_templates{"blog-post", "outline",    "listicle",
                                                "how-to",    "newsletter", "product-description"};
const std::vector<std::string> k_tones{"friendly", "casual", "professional", "humorous", "enthusiastic", "whimsical"};

Brief blog_brief(const std::string& template_name, const std::string& tone, int words, std::uint64_t seed = 7) {
  Brief brief;
  brief.kind = "blog";
  brief.template_name = template_name;
  brief.topic = "remote work productivity";
  brief.tone = tone;
  brief.words = words;
  brief.keywords = {"time blocking", "async communication"};
  brief.audience = "small business owners";
  brief.brand = "Acme Labs";
  brief.seed = seed;
  return brief;
}

Brief social_brief(const std::string& platform, const std::string& tone, std::uint64_t seed = 3) {
  Brief brief;
  brief.kind = "social";
  brief.template_name = "social-caption";
  brief.topic = "cold brew coffee at home";
  brief.tone = tone;
  brief.keywords = {"summer drinks", "coffee lovers"};
  brief.audience = "busy parents";
  brief.brand = "Acme Coffee";
  brief.platform = platform;
  brief.brief = "announce our new cold brew kit";
  brief.seed = seed;
  return brief;
}

ChatResult run(const Brief& brief, bool stream = false, const DeltaCallback& on_delta = nullptr) {
  BuiltinProvider provider;
  ChatRequest request;
  request.brief = brief;
  request.stream = stream;
  return provider.chat(request, on_delta, {});
}

std::string lower(std::string text) { return blogen::text::lower(text); }

/// The text after the last `## ` heading.
std::string closing_section(const std::string& text) {
  const auto at = text.rfind("\n## ");
  REQUIRE(at != std::string::npos);
  return text.substr(at);
}

/// Whether the closing section contains one of the template's calls to action (each pattern's fixed prefix).
bool has_call_to_action(const std::string& text, const std::string& template_name, const std::string& tone) {
  const std::string closing = closing_section(text);
  for (const auto pattern : builtin::call_to_action_patterns(template_name, builtin::canonical_tone(tone))) {
    const std::string prefix(pattern.substr(0, pattern.find('{')));
    if (closing.find(prefix.substr(0, std::min<std::size_t>(prefix.size(), 20))) != std::string::npos) return true;
  }
  return false;
}

/// '#' and letters or digits of any script, at least one a letter.
bool valid_hashtag(const std::string& tag) {
  if (tag.size() < 2 || tag.front() != '#') return false;
  bool letter = false;
  for (std::size_t i = 1; i < tag.size();) {
    char32_t code = 0;
    const std::size_t length = blogen::text::utf8_sequence(tag, i, &code);
    if (length == 0 || !blogen::text::is_alnum(code)) return false;
    letter = letter || blogen::text::is_letter(code);
    i += length;
  }
  return letter;
}

} // namespace

TEST_CASE("every template and tone yields one title, 3-7 sections, an introduction and a call to action") {
  for (const auto& template_name : k_blog_templates) {
    for (const auto& tone : k_tones) {
      CAPTURE(template_name, tone);
      const ChatResult result = run(blog_brief(template_name, tone, 800));
      REQUIRE(result.ok);
      const auto lines = lines_of(result.text);
      REQUIRE(!lines.empty());
      CHECK(lines.front().starts_with("# "));
      const auto h1 =
          std::count_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("# "); });
      CHECK(h1 == 1);
      const auto h2 =
          std::count_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("## "); });
      CHECK(h2 >= 3);
      CHECK(h2 <= 7);
      // An introduction: prose between the title and the first section.
      const auto first_section =
          std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.starts_with("## "); });
      const auto intro_words = std::accumulate(lines.begin() + 1, first_section, std::size_t{0},
                                               [](std::size_t n, const std::string& l) { return n + count_words(l); });
      CHECK(intro_words >= 10);
      CHECK(has_call_to_action(result.text, template_name, tone));
      // No unfilled slot ever reaches the reader.
      CHECK(result.text.find('{') == std::string::npos);
      CHECK(result.text.find('}') == std::string::npos);
      const ParsedAnswer parsed = parse_answer(result.text, "fallback");
      CHECK(parsed.title_from_answer);
      CHECK(!parsed.body.empty());
    }
  }
}

TEST_CASE("templates shape the sections") {
  SECTION("listicle items are numbered and the title states their number") {
    const std::string text = run(blog_brief("listicle", "casual", 800)).text;
    const auto lines = lines_of(text);
    std::vector<std::string> items;
    for (const auto& line : lines) {
      if (std::regex_match(line, std::regex("## [0-9]+\\. .+"))) items.push_back(line);
    }
    REQUIRE(items.size() >= 3);
    for (std::size_t i = 0; i < items.size(); ++i)
      CHECK(items[i].starts_with("## " + std::to_string(i + 1) + ". "));
    CHECK(lines.front().find(std::to_string(items.size())) != std::string::npos);
  }
  SECTION("how-to has numbered steps in order") {
    const std::string text = run(blog_brief("how-to", "friendly", 1500)).text;
    CHECK(text.find("## Step 1: ") != std::string::npos);
    CHECK(text.find("## Step 2: ") != std::string::npos);
    CHECK(text.find("## Step 1: ") < text.find("## Step 2: "));
    CHECK(text.find("## What You'll Need") != std::string::npos);
  }
  SECTION("outline sections are bullet lists with nested points") {
    const std::string text = run(blog_brief("outline", "professional", 800)).text;
    CHECK(text.find("\n- ") != std::string::npos);
    CHECK(text.find("\n  - ") != std::string::npos);
    CHECK(text.find("## I. ") != std::string::npos);
    CHECK(text.find("## Conclusion") != std::string::npos);
  }
  SECTION("product description lists features") {
    const std::string text = run(blog_brief("product-description", "enthusiastic", 600)).text;
    const auto features = text.find("## Key Features") != std::string::npos ||
                          text.find("## What's Inside") != std::string::npos ||
                          text.find("## Features at a Glance") != std::string::npos;
    CHECK(features);
    CHECK(std::count(text.begin(), text.end(), '\n') > 10);
    CHECK(text.find("\n- ") != std::string::npos);
  }
  SECTION("newsletter greets its readers") {
    const std::string text = run(blog_brief("newsletter", "friendly", 600)).text;
    CHECK(text.find("Hi small business owners,") != std::string::npos);
  }
  SECTION("an unknown template is drafted as a blog post") {
    const ChatResult result = run(blog_brief("my-own-template", "friendly", 500));
    REQUIRE(result.ok);
    CHECK(result.text.starts_with("# "));
    CHECK(count_words(result.text) > 400);
  }
}

TEST_CASE("length stays within 15% of the target") {
  for (const int words : {100, 300, 800, 1500, 3000}) {
    for (const auto& template_name : k_blog_templates) {
      for (const auto& tone : k_tones) {
        CAPTURE(words, template_name, tone);
        const std::string text = run(blog_brief(template_name, tone, words, static_cast<std::uint64_t>(words))).text;
        const double counted = static_cast<double>(count_words(text));
        CHECK(counted >= words * 0.85);
        CHECK(counted <= words * 1.15);
      }
    }
  }
}

TEST_CASE("the extremes of the length range are honoured") {
  SECTION("10000 words: the builtin says less rather than repeat itself") {
    const std::string text = run(blog_brief("blog-post", "professional", 10000)).text;
    const double counted = static_cast<double>(count_words(text));
    CHECK(counted >= 2550); // at least what a 3000-word request gets
    CHECK(counted <= 11500);
  }
  SECTION("targets outside 50..10000 are clamped") {
    CHECK(count_words(run(blog_brief("blog-post", "friendly", 20000)).text) <= 11500);
    CHECK(count_words(run(blog_brief("blog-post", "friendly", 5)).text) <= 80);
  }
  SECTION("50 words stays short") {
    for (const auto& template_name : k_blog_templates) {
      CAPTURE(template_name);
      const auto counted = count_words(run(blog_brief(template_name, "friendly", 50)).text);
      CHECK(counted >= 40);
      CHECK(counted <= 66);
    }
  }
}

TEST_CASE("keywords are woven in, whatever the length") {
  for (const int words : {100, 800, 3000}) {
    for (const auto& template_name : k_blog_templates) {
      CAPTURE(words, template_name);
      Brief brief = blog_brief(template_name, "friendly", words);
      brief.keywords = {"standing desk", "Pomodoro technique", "deep work"};
      const std::string text = lower(run(brief).text);
      for (const auto& keyword : brief.keywords)
        CHECK(text.find(lower(keyword)) != std::string::npos);
    }
  }
}

TEST_CASE("drafts are deterministic per seed and vary across seeds, topics and tones") {
  const Brief brief = blog_brief("blog-post", "friendly", 800, 42);
  CHECK(run(brief).text == run(brief).text);

  Brief other_seed = brief;
  other_seed.seed = 43;
  CHECK(run(other_seed).text != run(brief).text);

  Brief other_topic = brief;
  other_topic.topic = "houseplant care";
  const std::string plants = run(other_topic).text;
  CHECK(plants != run(brief).text);
  CHECK(plants.find("houseplant care") != std::string::npos);

  Brief other_tone = brief;
  other_tone.tone = "professional";
  CHECK(run(other_tone).text != run(brief).text);

  // Different seeds give different titles often enough to matter.
  std::set<std::string> titles;
  for (std::uint64_t seed = 0; seed < 12; ++seed) {
    Brief varied = brief;
    varied.seed = seed;
    titles.insert(lines_of(run(varied).text).front());
  }
  CHECK(titles.size() >= 3);
}

TEST_CASE("tones sound different") {
  const std::string professional = run(blog_brief("blog-post", "professional", 600)).text;
  const std::string enthusiastic = run(blog_brief("blog-post", "enthusiastic", 600)).text;
  const auto exclamations = [](const std::string& text) { return std::count(text.begin(), text.end(), '!'); };
  CHECK(exclamations(enthusiastic) > exclamations(professional) + 3);
  CHECK(builtin::canonical_tone("Formal") == "professional");
  CHECK(builtin::canonical_tone("witty") == "humorous");
  CHECK(builtin::canonical_tone("whimsical") == "neutral");
}

TEST_CASE("title and topic come from the brief or the prompt") {
  SECTION("a requested title is used verbatim") {
    Brief brief = blog_brief("blog-post", "friendly", 300);
    brief.title = "My Very Own Title";
    CHECK(lines_of(run(brief).text).front() == "# My Very Own Title");
  }
  SECTION("a prompt without a topic gives the topic") {
    Brief brief = blog_brief("how-to", "friendly", 300);
    brief.topic.clear();
    brief.prompt = "Write a short blog post about sourdough baking for beginners. Keep it light.";
    const std::string text = run(brief).text;
    CHECK(text.find("sourdough baking for beginners") != std::string::npos);
    CHECK(lines_of(text).front().find("Sourdough Baking") != std::string::npos);
    CHECK(text.find("Keep it light") == std::string::npos);
  }
  SECTION("a request with only messages drafts from the last user message") {
    BuiltinProvider provider;
    ChatRequest request;
    request.brief.topic.clear();
    request.messages = {{"system", "be nice"}, {"user", "Tell me about urban beekeeping"}};
    const ChatResult result = provider.chat(request, nullptr, {});
    REQUIRE(result.ok);
    CHECK(result.text.find("urban beekeeping") != std::string::npos);
  }
}

TEST_CASE("results report model, usage, finish reason and latency") {
  BuiltinProvider provider;
  CHECK(provider.config().name == "builtin");
  CHECK(provider.config().kind == "builtin");
  CHECK(provider.config().model == "builtin-drafter");
  CHECK(provider.config().api_key_env.empty());
  ChatRequest request = build_chat_request(*find_builtin_template("blog-post"), blog_brief("blog-post", "casual", 600));
  const ChatResult result = provider.chat(request, nullptr, {});
  REQUIRE(result.ok);
  CHECK(result.error == ErrorKind::none);
  CHECK(result.model == "builtin-drafter");
  CHECK(result.finish_reason == "stop");
  CHECK(result.usage.completion_tokens == static_cast<std::int64_t>(count_words(result.text) * 4 / 3));
  CHECK(result.usage.prompt_tokens > 50);
  CHECK(result.latency.count() >= 0);
  CHECK(result.http_status == 0);

  const ModelsResult models = provider.list_models();
  CHECK(models.ok);
  CHECK(models.models == std::vector<std::string>{"builtin-drafter"});
}

TEST_CASE("streaming delivers word-sized deltas that add up to the text") {
  std::vector<std::string> deltas;
  const ChatResult result =
      run(blog_brief("listicle", "humorous", 400), true, [&](std::string_view delta) { deltas.emplace_back(delta); });
  REQUIRE(result.ok);
  std::string joined;
  for (const auto& delta : deltas)
    joined += delta;
  CHECK(joined == result.text);
  CHECK(deltas.size() > 300);
  CHECK(std::all_of(deltas.begin(), deltas.end(),
                    [](const std::string& d) { return count_words(d) <= 1 && !d.empty(); }));

  std::size_t calls = 0;
  const ChatResult quiet = run(blog_brief("listicle", "humorous", 400), false, [&](std::string_view) { ++calls; });
  CHECK(quiet.ok);
  CHECK(calls == 0);
}

TEST_CASE("a stop request cancels the generation") {
  BuiltinProvider provider;
  ChatRequest request;
  request.brief = blog_brief("blog-post", "friendly", 800);
  request.stream = true;

  SECTION("before it starts") {
    std::stop_source source;
    source.request_stop();
    const ChatResult result = provider.chat(request, nullptr, source.get_token());
    CHECK_FALSE(result.ok);
    CHECK(result.error == ErrorKind::cancelled);
    CHECK_FALSE(result.retryable());
  }
  SECTION("while streaming") {
    std::stop_source source;
    std::size_t deltas = 0;
    const ChatResult result = provider.chat(
        request,
        [&](std::string_view) {
          if (++deltas == 5) source.request_stop();
        },
        source.get_token());
    CHECK_FALSE(result.ok);
    CHECK(result.error == ErrorKind::cancelled);
    CHECK(deltas == 5);
  }
  SECTION("images too") {
    std::stop_source source;
    source.request_stop();
    const ImageResult image = provider.image(ImageRequest{}, source.get_token());
    CHECK_FALSE(image.ok);
    CHECK(image.error == ErrorKind::cancelled);
  }
}

TEST_CASE("captions fit each platform with 3-8 valid hashtags, brand and audience") {
  for (const std::string platform : {"twitter", "linkedin", "instagram", "generic"}) {
    for (const auto& tone : k_tones) {
      for (std::uint64_t seed = 0; seed < 3; ++seed) {
        CAPTURE(platform, tone, seed);
        const ChatResult result = run(social_brief(platform, tone, seed));
        REQUIRE(result.ok);
        const std::string& text = result.text;
        CHECK(text.size() <= platform_char_limit(platform));
        CHECK(text.find('#') != 0); // no Markdown heading
        const auto lines = lines_of(text);
        REQUIRE(lines.size() >= 2);
        const std::string last = lines.back();
        const auto tags = extract_hashtags(last);
        CHECK(tags.size() >= 3);
        CHECK(tags.size() <= 8);
        for (const auto& tag : tags)
          CHECK(valid_hashtag(tag));
        // The last line is nothing but hashtags, and they are all the hashtags there are.
        std::string rebuilt;
        for (const auto& tag : tags)
          rebuilt += (rebuilt.empty() ? "" : " ") + tag;
        CHECK(last == rebuilt);
        CHECK(extract_hashtags(text) == tags);
        CHECK(std::find(tags.begin(), tags.end(), "#AcmeCoffee") != tags.end());
        const std::string body = text.substr(0, text.size() - last.size());
        CHECK(body.find("Acme Coffee") != std::string::npos);
        CHECK(lower(body).find("busy parents") != std::string::npos);
        CHECK(body.find("cold brew kit") != std::string::npos); // shaped by the brief
      }
    }
  }
}

TEST_CASE("captions stay valid with hostile or missing inputs") {
  SECTION("a very long brand and topic still fit on twitter") {
    Brief brief = social_brief("twitter", "friendly");
    brief.brand = std::string(200, 'B') + " Incorporated";
    brief.topic = std::string(300, 't');
    brief.brief = std::string(400, 'x');
    const std::string text = run(brief).text;
    CHECK(text.size() <= 280);
    const auto tags = extract_hashtags(lines_of(text).back());
    CHECK(tags.size() >= 3);
    for (const auto& tag : tags)
      CHECK(valid_hashtag(tag));
  }
  SECTION("no brand, no keywords: hashtags still come from the topic") {
    Brief brief = social_brief("instagram", "casual");
    brief.brand.clear();
    brief.keywords.clear();
    const std::string text = run(brief).text;
    const auto tags = extract_hashtags(lines_of(text).back());
    CHECK(tags.size() >= 3);
    CHECK(std::find(tags.begin(), tags.end(), "#Coffee") != tags.end());
  }
  SECTION("punctuation never leaks into hashtags; accented letters stay") {
    Brief brief = social_brief("generic", "friendly");
    brief.brand = "Café Noir & Co.";
    brief.keywords = {"latte-art", "C++ fans!", "???"};
    const auto tags = builtin::caption_hashtags(brief, 8);
    CHECK(tags.front() == "#CaféNoirCo");
    CHECK(std::find(tags.begin(), tags.end(), "#LatteArt") != tags.end());
    CHECK(std::find(tags.begin(), tags.end(), "#CFans") != tags.end());
    for (const auto& tag : tags)
      CHECK(valid_hashtag(tag));
  }
  SECTION("captions are deterministic per seed and vary across seeds") {
    CHECK(run(social_brief("linkedin", "professional", 1)).text ==
          run(social_brief("linkedin", "professional", 1)).text);
    std::set<std::string> captions;
    for (std::uint64_t seed = 0; seed < 6; ++seed)
      captions.insert(run(social_brief("linkedin", "professional", seed)).text);
    CHECK(captions.size() >= 3);
  }
}

TEST_CASE("images are SVG title cards with escaped text and seeded colours") {
  BuiltinProvider provider;
  ImageRequest request;
  request.brief = social_brief("instagram", "friendly");
  request.brief.topic = "Tips <script>alert(1)</script> & \"quotes\"";
  request.brief.brand = "Acme & <Sons>";
  request.size = "1200x630";
  const ImageResult image = provider.image(request, {});
  REQUIRE(image.ok);
  CHECK(image.mime_type == "image/svg+xml");
  const std::string& svg = image.bytes;
  CHECK(svg.starts_with("<?xml"));
  CHECK(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"") != std::string::npos);
  CHECK(svg.ends_with("</svg>\n"));
  CHECK(svg.find("<script>") == std::string::npos);
  CHECK(svg.find("&lt;script&gt;") != std::string::npos);
  CHECK(svg.find("&amp; &quot;quotes&quot;") != std::string::npos);
  CHECK(svg.find("Acme &amp; &lt;Sons&gt;") != std::string::npos);
  // Every '&' starts an entity: the document stays well-formed.
  for (std::size_t at = svg.find('&'); at != std::string::npos; at = svg.find('&', at + 1)) {
    const std::string rest = svg.substr(at, 6);
    CHECK((rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;") ||
           rest.starts_with("&quot;") || rest.starts_with("&apos;")));
  }
  CHECK(std::count(svg.begin(), svg.end(), '<') == std::count(svg.begin(), svg.end(), '>'));

  CHECK(provider.image(request, {}).bytes == svg);
  ImageRequest other = request;
  other.brief.seed += 1;
  CHECK(provider.image(other, {}).bytes != svg);

  CHECK(blogen::markup::escape(std::string("a\x01"
                                           "b\xff"
                                           "c")) == "abc");
  CHECK(blogen::markup::escape("\xC3\xA9t\xC3\xA9") == "\xC3\xA9t\xC3\xA9");
}

TEST_CASE("phrase banks are complete") {
  for (const auto& bank : builtin::all_tone_banks()) {
    CAPTURE(bank.name);
    CHECK(bank.hooks.size() >= 3);
    CHECK(bank.keyword_promises.size() >= 2);
    CHECK(bank.connectors.size() >= 3);
    CHECK(bank.asides.size() >= 3);
    CHECK(bank.conclusions.size() >= 2);
    CHECK(bank.ctas.size() >= 3);
    CHECK(bank.closing_headings.size() >= 3);
  }
  for (const auto& bank : builtin::all_angle_banks()) {
    CAPTURE(static_cast<int>(bank.angle));
    CHECK(bank.headings.size() >= 3);
    CHECK(bank.sentences.size() >= 5);
  }
  CHECK(builtin::all_angle_banks().size() == static_cast<std::size_t>(builtin::Angle::general) + 1);
}
