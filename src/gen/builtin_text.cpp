#include "builtin_text.hpp"

#include <blogen/core/text.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace blogen::gen::builtin {
namespace {

using text::is_space;

/// The code point at `at` (U+FFFD for an invalid byte) and the bytes it takes (at least 1).
std::pair<char32_t, std::size_t> code_at(std::string_view text, std::size_t at) {
  char32_t code = 0;
  const std::size_t length = text::utf8_sequence(text, at, &code);
  return length == 0 ? std::pair<char32_t, std::size_t>{U'\uFFFD', 1} : std::pair{code, length};
}

bool starts_lower(std::string_view word) {
  const char32_t first = code_at(word, 0).first;
  return text::is_letter(first) && text::to_upper(first) != first;
}

bool is_upper_code(char32_t code) { return text::is_letter(code) && text::to_lower(code) != code; }

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
  if (word.empty() || !starts_lower(word)) return false;
  for (std::size_t i = 0; i < word.size();) {
    const auto [code, length] = code_at(word, i);
    if (is_upper_code(code)) return true;
    i += length;
  }
  return false;
}

bool ascii_punctuation(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x80 && !text::is_alnum(byte);
}

std::string strip_punctuation(std::string_view word) {
  std::size_t start = 0;
  std::size_t end = word.size();
  while (start < end && ascii_punctuation(word[start]))
    ++start;
  while (end > start && ascii_punctuation(word[end - 1]))
    --end;
  return std::string(word.substr(start, end - start));
}

/// Each hyphenated part of a word capitalised ("step-by-step" -> "Step-By-Step", "île" -> "Île").
std::string capitalise_parts(std::string_view word) {
  std::string out;
  bool start = true;
  for (std::size_t i = 0; i < word.size();) {
    const auto [code, length] = code_at(word, i);
    if (start && text::is_letter(code)) {
      text::append_utf8(out, text::to_upper(code));
    } else {
      out.append(word.substr(i, length));
    }
    start = code == U'-' && i > 0 && i + length < word.size();
    i += length;
  }
  return out;
}

} // namespace

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

std::string collapse_spaces(std::string_view text) {
  std::string out;
  for (const auto word : split_words(text)) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::string capitalize_first(std::string_view text) {
  const auto words = split_words(text);
  if (text.empty() || (!words.empty() && mixed_case(words.front()))) return std::string(text);
  return text::upper_first(text);
}

std::string title_case(std::string_view text) {
  const auto words = split_words(text);
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string word(words[i]);
    const bool edge = i == 0 || i + 1 == words.size();
    // Hyphenated words capitalise each part: "Step-By-Step" reads as a headline. Capitals are only ever added,
    // so proper nouns and acronyms ("iOS", "NASA") keep the writer's own spelling.
    if (!mixed_case(word) && (edge || !is_in(word, k_minor_words))) word = capitalise_parts(word);
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
  std::size_t length = 0;
  bool start_of_word = true;
  bool has_letter = false;
  for (std::size_t i = 0; i < words.size();) {
    const auto [code, bytes] = code_at(words, i);
    i += bytes;
    if (!text::is_alnum(code)) {
      // Apostrophes join ("Let's" -> "Lets"); every other separator starts a new CamelCase word.
      if (code != U'\'' && code != U'\u2019') start_of_word = true;
      continue;
    }
    if (length >= max_length) break;
    text::append_utf8(tag, start_of_word ? text::to_upper(code) : code);
    has_letter = has_letter || text::is_letter(code);
    ++length;
    start_of_word = false;
  }
  return has_letter ? tag : std::string();
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
