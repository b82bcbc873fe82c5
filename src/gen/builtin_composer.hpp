#pragma once
// The builtin writer's sentence source: fills slots, rotates keywords, adds the tone's voice, and hands out
// sentences from shuffled decks so a draft does not repeat itself until the banks run dry.

#include <blogen/gen/provider.hpp>

#include "builtin_angles.hpp"
#include "builtin_random.hpp"
#include "builtin_tones.hpp"
#include "builtin_topic.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::gen::builtin {

/// What the writer knows about a brief, cleaned up once: topic (derived from the prompt if needed), casing
/// variants, audience and brand with stand-ins, keywords without blanks, the tone's bank.
struct DraftContext {
  TopicForms forms;        ///< the topic's shape, headline and noun phrase
  std::string topic;       ///< the noun phrase used in sentences ({topic})
  std::string topic_title; ///< the noun phrase in headline case ({TopicTitle})
  std::string audience;
  std::string audience_title;
  std::string brand;
  std::vector<std::string> keywords;
  const ToneBank* tone = nullptr;
  std::string template_name;
  int words = 800;
};

/// The context of a brief; `words` clamped to 50..10000.
DraftContext make_context(const Brief& brief);

/// How a sentence will be used: paragraphs get connectors, exclamations and asides; list items stay plain.
enum class SentenceStyle { prose, list_item };

/// Hands out filled sentences; deterministic for a given Rng.
class Composer {
public:
  Composer(const DraftContext& context, Rng& rng);

  /// A pattern with every slot filled; `focus_keyword` replaces {kw} instead of the rotating keyword.
  std::string fill(std::string_view pattern, std::string_view focus_keyword = {});

  /// A heading pattern filled in headline case ({Topic}, {Kw} and {Audience} title-cased).
  std::string fill_heading(std::string_view pattern, std::string_view focus_keyword = {});

  /// The heading patterns that read well for this topic: when its noun phrase is a clause ("whether coffee is bad
  /// for you"), the ones that would wrap it in another frame ("Why {Topic} Matters") are left out.
  [[nodiscard]] std::vector<std::string_view> usable_headings(const std::vector<std::string_view>& patterns) const;

  /// The next unused sentence of an angle, at most `max_words` long, or nothing when the angle has none left
  /// that fits.
  std::optional<std::string> sentence(Angle angle, SentenceStyle style, std::string_view focus_keyword,
                                      std::size_t max_words);

  /// The next unused sentence from a fixed list (tone hooks, CTAs, ...), at most `max_words` long if possible;
  /// when none fits, the shortest. Returns an empty string only for an empty list.
  std::string pick(const std::vector<std::string_view>& patterns, std::size_t max_words);

  /// The next unused pattern of a fixed list (tone conclusions, ...) that fits, or nothing.
  std::optional<std::string> fresh(const std::vector<std::string_view>& patterns, std::size_t max_words);

  /// A tone aside for prose, or nothing when this sentence should not get one.
  std::optional<std::string> maybe_aside(std::size_t max_words);

  /// Whether an angle still has a sentence that was not used yet (of any length).
  bool has_fresh(Angle angle, std::string_view focus_keyword);

private:
  struct Deck {
    std::vector<std::size_t> order;
    std::size_t position = 0;
  };

  std::string voice(std::string_view pattern, std::string filled);
  std::string voiced_within(std::string_view pattern, const std::string& filled, std::size_t max_words);
  void accept(std::string_view pattern, std::string_view focus_keyword, const std::string& filled);
  Deck& deck_for(Angle angle);

  const DraftContext& m_context;
  Rng& m_rng;
  std::map<Angle, Deck> m_decks;
  std::set<std::string, std::less<>> m_used;
  std::size_t m_keyword_cursor = 0;
  bool m_last_was_aside = false;
  std::vector<std::string_view> m_recent_connectors; ///< the last few connectors, not repeated while recent
};

} // namespace blogen::gen::builtin
