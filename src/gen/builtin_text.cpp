#include "builtin_text.hpp"

#include <blogen/core/text.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace blogen::gen::builtin {
namespace {

using text::is_space;
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_lower(char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }
bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i]))
      ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i]))
      ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

constexpr std::array k_minor_words{"a",   "an", "and", "as", "at",  "but", "by", "for", "in",
                                   "nor", "of", "on",  "or", "the", "to",  "vs", "via", "with"};

constexpr std::array k_stop_words{"a",     "an",    "and",  "are",  "as",    "at",   "be", "best",  "by",
                                  "for",   "from",  "how",  "in",   "into",  "is",   "it", "its",   "of",
                                  "on",    "or",    "our",  "the",  "their", "this", "to", "vs",    "what",
                                  "when",  "why",   "with", "your", "you",   "we",   "my", "about", "that",
                                  "these", "those", "than", "them", "they",  "can",  "do", "does",  "using"};

bool is_in(std::string_view word, const auto& list) {
  const std::string lowered = text::lower(word);
  return std::find(list.begin(), list.end(), lowered) != list.end();
}

/// Whether a word is deliberately mixed-case ("iPhone", "eBay", "macOS"), so its casing must be kept.
bool mixed_case(std::string_view word) {
  return !word.empty() && is_lower(word.front()) && std::any_of(word.begin(), word.end(), is_upper);
}

std::string strip_punctuation(std::string_view word) {
  std::size_t start = 0;
  std::size_t end = word.size();
  while (start < end && !is_alnum(word[start]) && static_cast<unsigned char>(word[start]) < 0x80)
    ++start;
  while (end > start && !is_alnum(word[end - 1]) && static_cast<unsigned char>(word[end - 1]) < 0x80)
    --end;
  return std::string(word.substr(start, end - start));
}

} // namespace

std::string collapse_spaces(std::string_view text) {
  std::string out;
  for (const auto word : split_words(text)) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::string capitalize_first(std::string_view text) {
  std::string out(text);
  const auto words = split_words(text);
  if (out.empty() || (!words.empty() && mixed_case(words.front()))) return out;
  out.front() = upper(out.front());
  return out;
}

std::string title_case(std::string_view text) {
  const auto words = split_words(text);
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string word(words[i]);
    const bool edge = i == 0 || i + 1 == words.size();
    if (!mixed_case(word) && (edge || !is_in(word, k_minor_words))) {
      word.front() = upper(word.front());
      // Hyphenated words capitalise each part: "Step-By-Step" reads as a headline.
      for (std::size_t j = 1; j + 1 < word.size(); ++j) {
        if (word[j] == '-') word[j + 1] = upper(word[j + 1]);
      }
    }
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::string join_with_and(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::vector<std::string> significant_words(std::string_view text) {
  std::vector<std::string> out;
  for (const auto raw : split_words(text)) {
    std::string word = strip_punctuation(raw);
    if (word.empty() || is_in(word, k_stop_words)) continue;
    out.push_back(std::move(word));
  }
  return out;
}

std::string camel_case_tag(std::string_view words, std::size_t max_length) {
  std::string tag;
  bool start_of_word = true;
  for (const char c : words) {
    if (!is_alnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      // Apostrophes join ("Let's" -> "Lets"); every other separator starts a new CamelCase word.
      if (c != '\'') start_of_word = true;
      continue;
    }
    if (tag.size() >= max_length) break;
    tag += start_of_word ? upper(c) : c;
    start_of_word = false;
  }
  if (std::none_of(tag.begin(), tag.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; })) {
    return {};
  }
  return tag;
}

std::string topic_from_prompt(std::string_view prompt, std::size_t max_words) {
  std::string text = collapse_spaces(prompt);
  // The topic lives in the first sentence; later ones are usually instructions ("Keep it short.").
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '.' || c == '?' || c == '!' || c == '\n' || c == ';') && (i + 1 == text.size() || text[i + 1] == ' ')) {
      text.resize(i);
      break;
    }
  }
  // Strip request phrasing, repeatedly: "Please write a short blog post about ..." -> "...".
  static constexpr std::array k_lead_ins{"please ",  "can you ", "could you ",  "i want ",   "i need ",     "write ",
                                         "create ",  "draft ",   "compose ",    "generate ", "give me ",    "make ",
                                         "tell me ", "explain ", "describe ",   "a ",        "an ",         "the ",
                                         "short ",   "long ",    "quick ",      "detailed ", "brief ",      "blog ",
                                         "post ",    "posts ",   "article ",    "articles ", "piece ",      "guide ",
                                         "essay ",   "story ",   "newsletter ", "caption ",  "outline ",    "listicle ",
                                         "about ",   "on ",      "regarding ",  "covering ", "discussing ", "some "};
  bool stripped = true;
  while (stripped) {
    stripped = false;
    const std::string lowered = text::lower(text);
    for (const std::string_view lead : k_lead_ins) {
      // "about: the topic" is phrased like "about the topic".
      const std::string with_colon = std::string(lead.substr(0, lead.size() - 1)) + ": ";
      for (const std::string_view form : {lead, std::string_view(with_colon)}) {
        if (lowered.starts_with(form) && text.size() > form.size()) {
          text.erase(0, form.size());
          stripped = true;
          break;
        }
      }
      if (stripped) break;
    }
  }
  // Trailing instructions: "... for beginners in 500 words" keeps "for beginners", drops the length.
  for (const std::string_view cut : {" in under ", " in about ", " in around ", " in ", " with ", " using "}) {
    const std::string lowered = text::lower(text);
    for (auto at = lowered.find(cut); at != std::string::npos; at = lowered.find(cut, at + 1)) {
      const std::size_t next = at + cut.size();
      if (at > 0 && next < lowered.size() && std::isdigit(static_cast<unsigned char>(lowered[next])) != 0) {
        text.resize(at);
        break;
      }
    }
  }
  // A comma usually starts an instruction ("..., with a focus on X"); keep the part before it.
  if (const auto comma = text.find(", ");
      comma != std::string::npos && split_words(text.substr(0, comma)).size() >= 2) {
    text.resize(comma);
  }
  auto words = split_words(text);
  if (words.size() > max_words) words.resize(max_words);
  // A cut must not leave the topic dangling on "of", "and", "the", ...
  while (words.size() > 1 && is_in(words.back(), k_minor_words))
    words.pop_back();
  std::string topic;
  for (const auto word : words) {
    if (!topic.empty()) topic += ' ';
    topic += word;
  }
  while (!topic.empty() && (topic.back() == ',' || topic.back() == ':' || topic.back() == '-'))
    topic.pop_back();
  topic = std::string(text::trim(topic));
  return topic.empty() ? std::string("this topic") : topic;
}

std::string as_sentence(std::string_view text) {
  std::string out = capitalize_first(collapse_spaces(text));
  if (out.empty()) return out;
  const char last = out.back();
  if (last != '.' && last != '!' && last != '?') out += '.';
  return out;
}

std::string fill_slots(std::string_view pattern, const std::map<std::string, std::string, std::less<>>& values) {
  std::string out;
  out.reserve(pattern.size() + 32);
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '{') {
      const auto close = pattern.find('}', i + 1);
      if (close != std::string_view::npos) {
        const auto found = values.find(pattern.substr(i + 1, close - i - 1));
        if (found != values.end()) {
          out += found->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += pattern[i];
    ++i;
  }
  return out;
}

} // namespace blogen::gen::builtin
