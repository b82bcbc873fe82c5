// The builtin drafter over a corpus of topics of every shape (tests/data/builtin_topics.txt): shapes recognised,
// titles without stacked frames, bodies that use the topic grammatically and never repeat a sentence, lengths in
// range, hashtags that keep every letter.

#include <blogen/core/text.hpp>
#include <blogen/gen/answer.hpp>
#include <blogen/gen/provider.hpp>

#include "gen/builtin_caption.hpp"
#include "gen/builtin_topic.hpp"
#include "gen/builtin_writer.hpp"

#include <support/text_lines.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace blogen::gen;
using builtin::TopicShape;
namespace text = blogen::text;

using blogen::testing::lines_of;

namespace {

struct CorpusTopic {
  std::string shape;
  std::string topic;
};

const std::vector<CorpusTopic>& corpus() {
  static const std::vector<CorpusTopic> topics = [] {
    std::vector<CorpusTopic> loaded;
    std::ifstream in(std::string(BLOGEN_SOURCE_DIR) + "/tests/data/builtin_topics.txt");
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line.front() == '#') continue;
      const auto tab = line.find('\t');
      if (tab == std::string::npos) continue;
      loaded.push_back({line.substr(0, tab), line.substr(tab + 1)});
    }
    return loaded;
  }();
  return topics;
}

const std::vector<std::string> k_templates{"blog-post", "listicle", "how-to", "newsletter", "outline", "blog-post"};
const std::vector<std::string> k_tones{"friendly", "casual", "professional", "humorous", "enthusiastic", "formal"};

Brief brief_for(const std::string& topic, int words, std::size_t variant, std::uint64_t seed = 11) {
  Brief brief;
  brief.kind = "blog";
  brief.topic = topic;
  brief.words = words;
  brief.template_name = k_templates[variant % k_templates.size()];
  brief.tone = k_tones[(variant / 2) % k_tones.size()];
  brief.seed = seed;
  return brief;
}

/// The prose and list lines of a draft: no title, headings or list markers.
std::vector<std::string> body_lines(const std::string& draft) {
  std::vector<std::string> body;
  for (std::string line : lines_of(draft)) {
    if (line.empty() || line.starts_with("#")) continue;
    while (line.starts_with(" ") || line.starts_with("-"))
      line.erase(0, 1);
    body.push_back(line);
  }
  return body;
}

/// Sentences of the body: split after '.', '!' or '?' followed by a space or the end of a line.
std::vector<std::string> sentences_of(const std::string& draft) {
  std::vector<std::string> sentences;
  for (const auto& line : body_lines(draft)) {
    std::string current;
    for (std::size_t i = 0; i < line.size(); ++i) {
      current += line[i];
      const bool end =
          (line[i] == '.' || line[i] == '!' || line[i] == '?') && (i + 1 == line.size() || line[i + 1] == ' ');
      if (end) {
        sentences.emplace_back(text::trim(current));
        current.clear();
      }
    }
    if (!text::trim(current).empty()) sentences.emplace_back(text::trim(current));
  }
  return sentences;
}

/// The first sentence that appears twice, or empty.
std::string repeated_sentence(const std::string& draft) {
  std::set<std::string> seen;
  for (const auto& sentence : sentences_of(draft)) {
    if (!seen.insert(sentence).second) return sentence;
  }
  return {};
}

/// Why a title stacks a frame on a frame ("Why Why ...", "Guide to The ...", "?, Explained"), or empty.
std::string stacked_frame(const std::string& title) {
  const std::string lowered = text::lower(title);
  const auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto at = lowered.find(needle); at != std::string::npos; at = lowered.find(needle, at + 1))
      ++n;
    return n;
  };
  if (count("why ") > 1) return "two whys";
  if (count("how to ") > 1) return "two how-tos";
  if (title.find("?,") != std::string::npos || title.find("?:") != std::string::npos) return "a frame after '?'";
  if (std::count(title.begin(), title.end(), '?') > 1) return "two question marks";
  static const std::regex k_capital_article_inside(R"(\b(to|at|of|about|with|on|for|in) (The|A|An) )");
  if (std::regex_search(title, k_capital_article_inside)) return "a capitalised article inside the title";
  static const std::regex k_frame_on_clause(
      R"(\b(guide to|about|with|of|look at|knowing about) (how to|why|is|are|should|learn|build|start|stop|master|choose)\b)",
      std::regex::icase);
  if (std::regex_search(title, k_frame_on_clause)) return "a frame wrapped around a clause";
  if (title.find("Laptops of 2026 Matters") != std::string::npos) return "a plural topic with a singular verb";
  return {};
}

/// Whether `tag` (without '#', lower-cased) is a run of whole words from `words`, the last one possibly cut short
/// when the tag reached its length limit.
bool made_of_words(const std::string& tag, const std::set<std::string>& words, bool may_be_cut) {
  std::vector<bool> reachable(tag.size() + 1, false);
  reachable[0] = true;
  for (std::size_t i = 0; i < tag.size(); ++i) {
    if (!reachable[i]) continue;
    for (const auto& word : words) {
      if (tag.compare(i, word.size(), word) == 0) reachable[i + word.size()] = true;
      if (may_be_cut && word.size() > tag.size() - i && word.compare(0, tag.size() - i, tag, i) == 0) return true;
    }
  }
  return reachable[tag.size()];
}

/// The lower-cased words (letters and digits of any script) of a text, apostrophes dropped ("Let's" -> "lets").
std::set<std::string> words_of(const std::string& source) {
  std::set<std::string> words;
  std::string current;
  std::size_t i = 0;
  while (i <= source.size()) {
    char32_t code = U' ';
    std::size_t length = 1;
    if (i < source.size()) length = std::max<std::size_t>(1, text::utf8_sequence(source, i, &code));
    if (code == U'\'' || code == U'\u2019') {
      i += length;
      continue;
    }
    if (i < source.size() && text::is_alnum(code)) {
      text::append_utf8(current, text::to_lower(code));
    } else if (!current.empty()) {
      words.insert(current);
      current.clear();
    }
    i += length;
  }
  return words;
}

std::string lower_utf8(const std::string& word) {
  std::string out;
  std::size_t i = 0;
  while (i < word.size()) {
    char32_t code = 0;
    const std::size_t length = text::utf8_sequence(word, i, &code);
    if (length == 0) return word;
    text::append_utf8(out, text::to_lower(code));
    i += length;
  }
  return out;
}

} // namespace

TEST_CASE("the corpus has at least 50 topics and every shape") {
  REQUIRE(corpus().size() >= 50);
  std::set<std::string> shapes;
  for (const auto& entry : corpus())
    shapes.insert(entry.shape);
  CHECK(shapes == std::set<std::string>{"how-to", "why", "question", "list", "imperative", "numbered", "noun"});
}

TEST_CASE("every corpus topic is recognised as its shape") {
  for (const auto& entry : corpus()) {
    CAPTURE(entry.topic);
    CHECK(builtin::shape_name(builtin::analyse_topic(entry.topic).shape) == entry.shape);
  }
}

TEST_CASE("topic forms read grammatically and keep names and acronyms") {
  const auto forms = [](std::string_view topic) { return builtin::analyse_topic(topic); };
  CHECK(forms("How to start running after 40").noun == "taking up running after 40");
  CHECK(forms("How to start running after 40").headline == "How to Start Running After 40");
  CHECK(forms("How do I start a podcast?").noun == "starting a podcast");
  CHECK(forms("Why remote teams fail").noun == "the reasons remote teams fail");
  CHECK(forms("Why remote teams fail").clause == "remote teams fail");
  CHECK(forms("Why is sleep important").headline == "Why Is Sleep Important?");
  CHECK(forms("Is coffee bad for you?").noun == "the question of whether coffee is bad for you");
  CHECK(forms("Is coffee bad for you?").headline == "Is Coffee Bad for You?");
  CHECK(forms("Are remote jobs worth it").noun == "the question of whether remote jobs are worth it");
  CHECK(forms("How does compound interest work?").noun == "the question of how compound interest works");
  CHECK(forms("Which Python framework should I learn first?").noun ==
        "the question of which Python framework I should learn first");
  CHECK(forms("What is machine learning?").noun == "machine learning");
  CHECK(forms("Learn Rust in 30 days").noun == "learning Rust in 30 days");
  CHECK(forms("Learn Rust in 30 days").noun_title == "Learning Rust in 30 Days");
  CHECK(forms("10 tips for better sleep").noun == "better sleep");
  CHECK(forms("7 ways to save money").noun == "saving money");
  CHECK(forms("The best budget laptops of 2026").noun == "the best budget laptops of 2026");
  CHECK(forms("The best budget laptops of 2026").noun_title == "the Best Budget Laptops of 2026");
  CHECK(forms("The best budget laptops of 2026").shape == TopicShape::numbered);
  CHECK(forms("macOS keyboard shortcuts").headline == "macOS Keyboard Shortcuts");
  CHECK(forms("NASA's Artemis program").noun == "NASA's Artemis program");
  CHECK(forms("crème brûlée week").headline == "Crème Brûlée Week");
  CHECK(forms("").noun == "this topic");
  CHECK(forms("The best budget laptops of 2026").plural);
  CHECK(forms("macOS keyboard shortcuts").plural);
  CHECK_FALSE(forms("Kubernetes security").plural);
  CHECK_FALSE(forms("Learn Rust in 30 days").plural);
  CHECK_FALSE(forms("NASA's Artemis program").plural);
}

TEST_CASE("gerunds follow English spelling") {
  CHECK(builtin::gerund("start") == "starting");
  CHECK(builtin::gerund("make") == "making");
  CHECK(builtin::gerund("run") == "running");
  CHECK(builtin::gerund("plan") == "planning");
  CHECK(builtin::gerund("see") == "seeing");
  CHECK(builtin::gerund("tie") == "tying");
  CHECK(builtin::gerund("Learn") == "learning");
}

TEST_CASE("the issue's titles no longer stack frames") {
  const std::map<std::string, std::string> before{
      {"How to start running after 40", "Why How to Start Running After 40 Matters More Than Ever"},
      {"Why remote teams fail", "Why Why Remote Teams Fail Matters More Than Ever"},
      {"The best budget laptops of 2026", "The Practical Guide to The Best Budget Laptops of 2026"},
      {"Is coffee bad for you?", "Is Coffee Bad for You?, Explained"},
      {"Learn Rust in 30 days", "A Friendly Guide to Learn Rust in 30 Days"}};
  CHECK_FALSE(stacked_frame(before.at("Why remote teams fail")).empty()); // the checker sees the old bugs
  CHECK_FALSE(stacked_frame(before.at("The best budget laptops of 2026")).empty());
  CHECK_FALSE(stacked_frame(before.at("Is coffee bad for you?")).empty());
  CHECK_FALSE(stacked_frame(before.at("Learn Rust in 30 days")).empty());
  for (const auto& [topic, old_title] : before) {
    for (const auto& tone : k_tones) {
      for (std::uint64_t seed = 0; seed < 8; ++seed) {
        Brief brief = brief_for(topic, 800, 0, seed);
        brief.tone = tone;
        const std::string title = lines_of(builtin::write_blog_post(brief)).front();
        CAPTURE(topic, tone, seed, title);
        CHECK(stacked_frame(title).empty());
        CHECK(title != "# " + old_title);
      }
    }
  }
}

TEST_CASE("corpus titles never stack frames, in every template and tone") {
  for (const auto& entry : corpus()) {
    for (std::size_t variant = 0; variant < 12; ++variant) {
      const std::string title =
          lines_of(builtin::write_blog_post(brief_for(entry.topic, 600, variant, variant))).front();
      CAPTURE(entry.topic, variant, title);
      REQUIRE(title.starts_with("# "));
      CHECK(stacked_frame(title).empty());
    }
  }
}

TEST_CASE("corpus bodies use the topic as a noun phrase, never the framed topic verbatim") {
  for (const auto& entry : corpus()) {
    const auto forms = builtin::analyse_topic(entry.topic);
    const bool framed = forms.shape == TopicShape::how_to || forms.shape == TopicShape::why ||
                        forms.shape == TopicShape::imperative || forms.shape == TopicShape::list ||
                        forms.noun.find("whether ") != std::string::npos;
    if (!framed) continue;
    std::string core = text::lower(forms.given);
    while (core.ends_with("?"))
      core.pop_back();
    for (std::size_t variant = 0; variant < 6; ++variant) {
      const std::string draft = builtin::write_blog_post(brief_for(entry.topic, 800, variant));
      std::string body;
      for (const auto& line : body_lines(draft))
        body += text::lower(line) + "\n";
      CAPTURE(entry.topic, variant);
      CHECK(body.find(core) == std::string::npos);
    }
  }
}

TEST_CASE("corpus drafts stay within 15% of 800 and 3000 words and never repeat a sentence") {
  for (const int words : {800, 3000}) {
    for (std::size_t i = 0; i < corpus().size(); ++i) {
      const auto& entry = corpus()[i];
      const std::string draft = builtin::write_blog_post(brief_for(entry.topic, words, i));
      const double counted = static_cast<double>(count_words(draft));
      CAPTURE(entry.topic, words, i, counted);
      CHECK(counted >= words * 0.85);
      CHECK(counted <= words * 1.15);
      CHECK(repeated_sentence(draft) == "");
    }
  }
}

TEST_CASE("very long drafts say less rather than repeat a sentence, up to 10 000 words") {
  for (const std::string topic : {"How to start running after 40", "Is coffee bad for you?", "remote work productivity",
                                  "Learn Rust in 30 days"}) {
    for (std::size_t variant = 0; variant < 3; ++variant) {
      Brief brief = brief_for(topic, 10000, variant);
      brief.keywords = {"consistency", "recovery"};
      const std::string draft = builtin::write_blog_post(brief);
      CAPTURE(topic, variant);
      CHECK(repeated_sentence(draft) == "");
      CHECK(count_words(draft) >= 2550); // still at least what a 3000-word request gets
      CHECK(count_words(draft) <= 11500);
    }
  }
}

TEST_CASE("prose paragraphs vary their openings") {
  for (std::size_t i = 0; i < corpus().size(); i += 3) {
    Brief brief = brief_for(corpus()[i].topic, 1500, 0);
    brief.template_name = "blog-post";
    std::string previous;
    for (const auto& line : lines_of(builtin::write_blog_post(brief))) {
      if (line.empty() || line.starts_with("#") || line.starts_with("-") || line.starts_with(" ")) continue;
      std::string first = text::lower(line.substr(0, line.find(' ')));
      while (!first.empty() && (first.back() == ',' || first.back() == ':'))
        first.pop_back();
      CAPTURE(corpus()[i].topic, line);
      CHECK(first != previous);
      previous = first;
    }
  }
}

TEST_CASE("drafts of corpus topics are deterministic per seed") {
  for (std::size_t i = 0; i < corpus().size(); i += 7) {
    const Brief brief = brief_for(corpus()[i].topic, 800, i);
    CHECK(builtin::write_blog_post(brief) == builtin::write_blog_post(brief));
    Brief other = brief;
    other.seed += 1;
    CHECK(builtin::write_blog_post(brief) != builtin::write_blog_post(other));
  }
}

TEST_CASE("hashtags keep every letter of every script") {
  Brief brief;
  brief.kind = "social";
  brief.template_name = "social-caption";
  brief.topic = "Crème brûlée week";
  brief.brand = "Café Müller";
  brief.platform = "instagram";
  brief.seed = 1;
  const auto tags = builtin::caption_hashtags(brief, 8);
  CHECK(std::find(tags.begin(), tags.end(), "#CaféMüller") != tags.end());
  CHECK(std::find(tags.begin(), tags.end(), "#CrèmeBrûléeWeek") != tags.end());
  const std::string caption = builtin::write_caption(brief);
  CHECK(caption.find("#CafMLler") == std::string::npos);
  CHECK(caption.find("#CrMe") == std::string::npos);
  // The caption parser reads the same tags back.
  for (const auto& tag : extract_hashtags(caption.substr(caption.rfind('\n') + 1))) {
    CAPTURE(tag);
    CHECK(std::find(tags.begin(), tags.end(), tag) != tags.end());
  }
  brief.topic = "Москва и Санкт-Петербург";
  brief.brand = "東京カフェ";
  const auto other_scripts = builtin::caption_hashtags(brief, 8);
  CHECK(std::find(other_scripts.begin(), other_scripts.end(), "#東京カフェ") != other_scripts.end());
  CHECK(std::find(other_scripts.begin(), other_scripts.end(), "#Москва") != other_scripts.end());
}

TEST_CASE("corpus hashtags are whole words of the brief") {
  for (std::size_t i = 0; i < corpus().size(); ++i) {
    Brief brief;
    brief.kind = "social";
    brief.template_name = "social-caption";
    brief.topic = corpus()[i].topic;
    brief.brand = i % 2 == 0 ? "Café Müller" : "Łódź Studio";
    brief.keywords = {i % 3 == 0 ? "Zürich" : "crème fraîche"};
    brief.platform = i % 2 == 0 ? "instagram" : "linkedin";
    brief.seed = i;
    std::set<std::string> words = words_of(brief.topic + " " + brief.brand + " " + brief.keywords.front());
    words.insert({"tips", "community", "inspiration"});
    const std::string caption = builtin::write_caption(brief);
    const auto tags = extract_hashtags(caption);
    CAPTURE(brief.topic, caption);
    CHECK(tags.size() >= 3);
    for (const auto& tag : tags) {
      CAPTURE(tag);
      const std::string body = lower_utf8(tag.substr(1));
      CHECK(made_of_words(body, words, text::utf8_length(body) >= 28));
    }
  }
}
