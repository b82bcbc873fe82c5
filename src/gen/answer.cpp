#include <blogen/gen/answer.hpp>

#include <blogen/core/text.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_set>

namespace blogen::gen {
namespace {

using text::is_space;
using text::lower;
using text::trim;

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

/// A fence line per CommonMark: up to three spaces, then at least three backticks or tildes.
struct Fence {
  char marker = '`';
  std::size_t length = 0;
  std::string_view info;
};

std::optional<Fence> parse_fence(std::string_view line) {
  std::size_t indent = 0;
  while (indent < line.size() && indent < 4 && line[indent] == ' ')
    ++indent;
  if (indent > 3) return std::nullopt;
  line.remove_prefix(indent);
  if (line.empty() || (line.front() != '`' && line.front() != '~')) return std::nullopt;
  Fence fence;
  fence.marker = line.front();
  while (fence.length < line.size() && line[fence.length] == fence.marker)
    ++fence.length;
  if (fence.length < 3) return std::nullopt;
  fence.info = trim(line.substr(fence.length));
  if (fence.marker == '`' && fence.info.find('`') != std::string_view::npos) return std::nullopt;
  return fence;
}

bool closes(const Fence& open, const std::optional<Fence>& candidate) {
  return candidate && candidate->marker == open.marker && candidate->length >= open.length && candidate->info.empty();
}

/// Whether the inner lines nest fences properly, each inner block opened with an info string. A bare inner fence
/// would mean the "wrapper" is really two separate code blocks with prose between them.
bool inner_fences_balanced(const std::vector<std::string_view>& lines, std::size_t first, std::size_t last) {
  std::optional<Fence> open;
  for (std::size_t i = first; i < last; ++i) {
    const auto fence = parse_fence(lines[i]);
    if (!fence) continue;
    if (open) {
      if (closes(*open, fence)) open.reset();
    } else {
      if (fence->info.empty()) return false;
      open = fence;
    }
  }
  return !open;
}

/// The text of an ATX level-1 heading line ("# Title #"), or nothing.
std::optional<std::string_view> h1_text(std::string_view line) {
  std::size_t indent = 0;
  while (indent < line.size() && line[indent] == ' ')
    ++indent;
  if (indent > 3) return std::nullopt;
  line.remove_prefix(indent);
  if (line.empty() || line.front() != '#') return std::nullopt;
  line.remove_prefix(1);
  if (!line.empty() && line.front() != ' ' && line.front() != '\t') return std::nullopt;
  line = trim(line);
  // A closing sequence of '#' is decoration when separated by a space (CommonMark).
  std::size_t end = line.size();
  while (end > 0 && line[end - 1] == '#')
    --end;
  if (end < line.size() && (end == 0 || line[end - 1] == ' ' || line[end - 1] == '\t'))
    line = trim(line.substr(0, end));
  return line;
}

/// Models often bold the whole title; the stored title should be plain text.
std::string_view strip_wrapping_emphasis(std::string_view title) {
  for (const std::string_view mark : {"**", "__", "*", "_"}) {
    if (title.size() > 2 * mark.size() && title.starts_with(mark) && title.ends_with(mark)) {
      // "# * *" is marks only: stripping would leave an empty title (found by the answer fuzzer).
      const std::string_view inner = trim(title.substr(mark.size(), title.size() - 2 * mark.size()));
      if (!inner.empty()) return inner;
    }
  }
  return title;
}

std::string join_lines(const std::vector<std::string_view>& lines, std::size_t first, std::size_t last) {
  std::string out;
  for (std::size_t i = first; i < last; ++i) {
    if (i > first) out += '\n';
    out += lines[i];
  }
  return out;
}

} // namespace

std::string strip_wrapping_fence(std::string_view answer) {
  const std::string_view trimmed = trim(answer);
  const auto lines = split_lines(trimmed);
  if (lines.size() < 2) return std::string(trimmed);
  const auto open = parse_fence(lines.front());
  if (!open || !closes(*open, parse_fence(lines.back()))) return std::string(trimmed);
  const std::string info = lower(open->info);
  const bool markdown_info = info == "markdown" || info == "md" || info == "text" || info == "txt";
  if (!markdown_info && !info.empty()) return std::string(trimmed);
  if (!inner_fences_balanced(lines, 1, lines.size() - 1)) return std::string(trimmed);
  return std::string(trim(join_lines(lines, 1, lines.size() - 1)));
}

ParsedAnswer parse_answer(std::string_view answer, std::string_view fallback_title) {
  const std::string text = strip_wrapping_fence(answer);
  const auto lines = split_lines(text);
  std::optional<Fence> open;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto fence = parse_fence(lines[i]);
    if (open) {
      if (closes(*open, fence)) open.reset();
      continue;
    }
    if (fence) {
      open = fence;
      continue;
    }
    const auto heading = h1_text(lines[i]);
    if (!heading || heading->empty()) continue;
    ParsedAnswer parsed;
    parsed.title = std::string(strip_wrapping_emphasis(*heading));
    parsed.title_from_answer = true;
    const std::string before = join_lines(lines, 0, i);
    const std::string after = join_lines(lines, i + 1, lines.size());
    const std::string_view preamble = trim(before);
    const bool chatty = !preamble.empty() && preamble.find("\n\n") == std::string_view::npos &&
                        preamble.back() == ':' && count_words(preamble) <= 30;
    if (preamble.empty() || chatty) {
      parsed.body = std::string(trim(after));
    } else {
      parsed.body = std::string(trim(std::string(preamble) + "\n\n" + std::string(trim(after))));
    }
    return parsed;
  }
  ParsedAnswer parsed;
  parsed.title = std::string(trim(fallback_title));
  parsed.body = text;
  return parsed;
}

std::vector<std::string> extract_hashtags(std::string_view text) {
  std::vector<std::string> tags;
  std::unordered_set<std::string> seen;
  // A hashtag is '#' and a run of letters, digits (any script) and '_' with at least one letter: "#CaféMüller".
  const auto code_at = [&](std::size_t at, char32_t& code) { return text::utf8_sequence(text, at, &code); };
  // Whether the character that ends just before `at` is a letter or digit ("é#" is not a hashtag).
  const auto alnum_before = [&](std::size_t at) {
    std::size_t start = at - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0U) == 0x80U)
      --start;
    char32_t code = 0;
    return code_at(start, code) == at - start && text::is_alnum(code);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '#') continue;
    if (i > 0) {
      const char before = text[i - 1];
      // "C#", "&#39;", "é#" and "##" are not hashtags.
      if (alnum_before(i) || before == '#' || before == '&' || before == '_') continue;
    }
    std::size_t end = i + 1;
    bool has_letter = false;
    while (end < text.size()) {
      char32_t code = 0;
      const std::size_t length = code_at(end, code);
      if (length == 0 || !(text::is_alnum(code) || code == U'_')) break;
      has_letter = has_letter || text::is_letter(code);
      end += length;
    }
    if (end == i + 1 || !has_letter) continue;
    std::string tag(text.substr(i, end - i));
    if (seen.insert(lower(tag)).second) tags.push_back(std::move(tag));
    i = end - 1;
  }
  return tags;
}

std::size_t count_words(std::string_view markdown) {
  // A word is a whitespace-separated token with at least one letter or digit of any script: "café", "日本" and
  // "2026" count; a spaced em dash, a bullet or an emoji on its own does not.
  std::size_t words = 0;
  bool in_token = false;
  bool token_has_word_char = false;
  std::size_t i = 0;
  while (i < markdown.size()) {
    const char c = markdown[i];
    if (is_space(c)) {
      if (in_token && token_has_word_char) ++words;
      in_token = false;
      token_has_word_char = false;
      ++i;
      continue;
    }
    in_token = true;
    if (static_cast<unsigned char>(c) < 0x80) {
      token_has_word_char = token_has_word_char || is_alnum(c);
      ++i;
      continue;
    }
    char32_t code = 0;
    const std::size_t length = text::utf8_sequence(markdown, i, &code);
    token_has_word_char = token_has_word_char || (length > 0 && text::is_alnum(code));
    i += length == 0 ? 1 : length;
  }
  if (in_token && token_has_word_char) ++words;
  return words;
}

} // namespace blogen::gen
