#include "builtin_composer.hpp"

#include <blogen/core/text.hpp>

#include <blogen/gen/answer.hpp>
#include <blogen/gen/templates.hpp>

#include "builtin_text.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace blogen::gen::builtin {
namespace {

bool uses_keyword(std::string_view pattern) {
  return pattern.find("{kw}") != std::string_view::npos || pattern.find("{Kw}") != std::string_view::npos;
}

/// Whether a connector runs into the sentence ("Honestly, the ...", "Fun fact: the ...") rather than standing
/// apart as its own sentence ("Guess what? The ...").
bool connector_runs_on(std::string_view connector) {
  const char last = connector.back();
  return last != '?' && last != '!';
}

} // namespace

DraftContext make_context(const Brief& brief) {
  DraftContext context;
  context.forms = analyse_topic(brief_topic(brief));
  context.topic = context.forms.noun;
  context.topic_title = context.forms.noun_title;
  const std::string audience = collapse_spaces(brief.audience);
  context.audience = audience.empty() ? std::string("readers") : audience;
  context.audience_title = title_case(context.audience);
  const std::string brand = collapse_spaces(brief.brand);
  context.brand = brand.empty() ? std::string("our team") : brand;
  for (const auto& keyword : brief.keywords) {
    std::string cleaned = collapse_spaces(keyword);
    const bool duplicate = std::any_of(context.keywords.begin(), context.keywords.end(),
                                       [&](const std::string& k) { return text::lower(k) == text::lower(cleaned); });
    if (!cleaned.empty() && !duplicate) context.keywords.push_back(std::move(cleaned));
  }
  context.tone = &tone_bank(brief.tone);
  context.template_name = brief.template_name.empty() ? std::string("blog-post") : brief.template_name;
  context.words = std::clamp(brief.words, 50, 10000);
  return context;
}

Composer::Composer(const DraftContext& context, Rng& rng) : m_context(context), m_rng(rng) {}

std::string Composer::fill_heading(std::string_view pattern, std::string_view focus_keyword) {
  std::string adjusted(pattern);
  if (const auto at = adjusted.find("{Topic}"); at != std::string::npos) adjusted.replace(at, 7, "{TopicTitle}");
  return fill(adjusted, focus_keyword);
}

std::vector<std::string_view> Composer::usable_headings(const std::vector<std::string_view>& patterns) const {
  if (!m_context.forms.clause_noun) return patterns;
  std::vector<std::string_view> usable;
  std::copy_if(patterns.begin(), patterns.end(), std::back_inserter(usable),
               [](std::string_view pattern) { return pattern.find("{Topic}") == std::string_view::npos; });
  return usable.empty() ? patterns : usable;
}

std::string Composer::fill(std::string_view pattern, std::string_view focus_keyword) {
  std::string keyword(focus_keyword);
  if (keyword.empty() && !m_context.keywords.empty()) {
    keyword = m_context.keywords[m_keyword_cursor % m_context.keywords.size()];
  }
  if (keyword.empty()) keyword = m_context.topic;
  const std::map<std::string, std::string, std::less<>> slots{
      {"topic", m_context.topic},
      {"Topic", capitalize_first(m_context.topic)},
      {"TopicTitle", m_context.topic_title},
      {"Headline", m_context.forms.headline},
      {"Matters", m_context.forms.plural ? "Matter" : "Matters"},
      {"ClauseTitle", title_case(m_context.forms.clause)},
      {"kw", keyword},
      {"Kw", title_case(keyword)},
      {"audience", m_context.audience},
      {"Audience", m_context.audience_title},
      {"brand", m_context.brand},
      {"kwlist", join_with_and(m_context.keywords)},
  };
  return capitalize_first(fill_slots(pattern, slots));
}

std::string Composer::voiced_within(std::string_view pattern, const std::string& filled, std::size_t max_words) {
  std::string voiced = voice(pattern, filled);
  // A connector must not push the sentence past the words the caller has room for.
  return count_words(voiced) <= max_words ? voiced : filled;
}

void Composer::accept(std::string_view pattern, std::string_view focus_keyword, const std::string& filled) {
  m_used.insert(filled);
  // The rotating keyword moves on only when a sentence actually used it, so every keyword gets its turn.
  if (focus_keyword.empty() && uses_keyword(pattern)) ++m_keyword_cursor;
}

Composer::Deck& Composer::deck_for(Angle angle) {
  auto found = m_decks.find(angle);
  if (found != m_decks.end()) return found->second;
  Deck deck;
  const auto& sentences = angle_bank(angle).sentences;
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    if (m_context.keywords.empty() && uses_keyword(sentences[i])) continue;
    deck.order.push_back(i);
  }
  m_rng.shuffle(deck.order);
  return m_decks.emplace(angle, std::move(deck)).first->second;
}

std::string Composer::voice(std::string_view pattern, std::string filled) {
  const ToneBank& tone = *m_context.tone;
  // No connector before a slot (it may be a name) or into a sentence that already has a colon.
  if (!tone.connectors.empty() && !pattern.starts_with('{') && filled.find(':') == std::string::npos &&
      m_rng.chance(tone.connector_percent)) {
    // A connector heard in the last few sentences is not used again yet, so openings keep varying.
    const std::size_t start = m_rng.below(tone.connectors.size());
    std::string_view connector = tone.connectors[start];
    const auto recent = [&](std::string_view candidate) {
      return std::find(m_recent_connectors.begin(), m_recent_connectors.end(), candidate) != m_recent_connectors.end();
    };
    for (std::size_t step = 1; step < tone.connectors.size() && recent(connector); ++step)
      connector = tone.connectors[(start + step) % tone.connectors.size()];
    m_recent_connectors.push_back(connector);
    if (m_recent_connectors.size() > 3) m_recent_connectors.erase(m_recent_connectors.begin());
    if (connector_runs_on(connector)) {
      const auto first_space = filled.find(' ');
      const std::string first_word = filled.substr(0, first_space);
      // Only lower-case an ordinary capitalised word; "I", acronyms and names keep their case.
      const bool plain = first_word != "I" && std::isupper(static_cast<unsigned char>(first_word[0])) != 0 &&
                         std::all_of(first_word.begin() + 1, first_word.end(),
                                     [](char c) { return std::isupper(static_cast<unsigned char>(c)) == 0; });
      if (plain && first_word != "I'm" && first_word != "I've") {
        filled[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(filled[0])));
      }
    }
    // A connector that is a sentence of its own ("Guess what?") may appear once per draft.
    const bool standalone_again = !connector_runs_on(connector) && !m_used.insert(std::string(connector)).second;
    if (!standalone_again) filled = std::string(connector) + " " + filled;
  }
  if (tone.exclaim_percent > 0 && filled.back() == '.' && m_rng.chance(tone.exclaim_percent)) filled.back() = '!';
  return filled;
}

std::optional<std::string> Composer::sentence(Angle angle, SentenceStyle style, std::string_view focus_keyword,
                                              std::size_t max_words) {
  Deck& deck = deck_for(angle);
  const auto& patterns = angle_bank(angle).sentences;
  // Only keyword sections pin {kw}; every other section takes the rotating keyword.
  const std::string_view focus = angle == Angle::keyword ? focus_keyword : std::string_view{};
  for (std::size_t i = deck.position; i < deck.order.size(); ++i) {
    const std::string_view pattern = patterns[deck.order[i]];
    std::string filled = fill(pattern, focus);
    if (m_used.contains(filled) || count_words(filled) > max_words) continue;
    std::swap(deck.order[i], deck.order[deck.position]);
    ++deck.position;
    accept(pattern, focus, filled);
    m_last_was_aside = false;
    if (style == SentenceStyle::prose) return voiced_within(pattern, filled, max_words);
    return filled;
  }
  return std::nullopt;
}

std::string Composer::pick(const std::vector<std::string_view>& patterns, std::size_t max_words) {
  if (patterns.empty()) return {};
  const std::size_t start = m_rng.below(patterns.size());
  std::string shortest;
  std::size_t shortest_words = 0;
  for (std::size_t step = 0; step < patterns.size(); ++step) {
    std::string filled = fill(patterns[(start + step) % patterns.size()]);
    const std::size_t words = count_words(filled);
    if (m_used.contains(filled)) continue;
    if (words <= max_words) {
      accept(patterns[(start + step) % patterns.size()], {}, filled);
      return filled;
    }
    if (shortest.empty() || words < shortest_words) {
      shortest = filled;
      shortest_words = words;
    }
  }
  if (shortest.empty()) shortest = fill(patterns[start]);
  m_used.insert(shortest);
  return shortest;
}

std::optional<std::string> Composer::fresh(const std::vector<std::string_view>& patterns, std::size_t max_words) {
  if (patterns.empty()) return std::nullopt;
  const std::size_t start = m_rng.below(patterns.size());
  for (std::size_t step = 0; step < patterns.size(); ++step) {
    const std::string_view pattern = patterns[(start + step) % patterns.size()];
    std::string filled = fill(pattern);
    if (m_used.contains(filled) || count_words(filled) > max_words) continue;
    accept(pattern, {}, filled);
    return voiced_within(pattern, filled, max_words);
  }
  return std::nullopt;
}

std::optional<std::string> Composer::maybe_aside(std::size_t max_words) {
  const ToneBank& tone = *m_context.tone;
  if (m_last_was_aside || tone.asides.empty() || !m_rng.chance(12)) return std::nullopt;
  const std::size_t start = m_rng.below(tone.asides.size());
  for (std::size_t step = 0; step < tone.asides.size(); ++step) {
    std::string filled = fill(tone.asides[(start + step) % tone.asides.size()]);
    if (m_used.contains(filled) || count_words(filled) > max_words) continue;
    m_used.insert(filled);
    m_last_was_aside = true;
    return filled;
  }
  return std::nullopt;
}

bool Composer::has_fresh(Angle angle, std::string_view focus_keyword) {
  const Deck& deck = deck_for(angle);
  const auto& patterns = angle_bank(angle).sentences;
  for (std::size_t i = deck.position; i < deck.order.size(); ++i) {
    if (!m_used.contains(fill(patterns[deck.order[i]], angle == Angle::keyword ? focus_keyword : ""))) return true;
  }
  return false;
}

} // namespace blogen::gen::builtin
