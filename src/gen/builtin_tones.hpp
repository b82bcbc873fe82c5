#pragma once
// Phrase banks per tone: how the builtin writer opens, links, jokes (or doesn't), concludes and asks for action.

#include <string>
#include <string_view>
#include <vector>

namespace blogen::gen::builtin {

/// The wording of one tone. Patterns use the slots {topic}, {Topic}, {audience}, {kwlist}, {brand}.
struct ToneBank {
  std::string_view name;                          ///< canonical tone name ("friendly", ..., "neutral")
  std::vector<std::string_view> hooks;            ///< first sentence of an introduction
  std::vector<std::string_view> promises;         ///< what the piece covers
  std::vector<std::string_view> keyword_promises; ///< the same, naming the keywords through {kwlist}
  std::vector<std::string_view> connectors;       ///< sentence openers; ending in ',' lower-cases what follows
  std::vector<std::string_view> asides;           ///< standalone sentences that carry the tone's voice
  std::vector<std::string_view> conclusions;      ///< summary sentences for the closing section
  std::vector<std::string_view> ctas;             ///< calls to action; one always ends a blog draft
  std::vector<std::string_view> closing_headings; ///< the closing section's heading
  int connector_percent = 20;                     ///< how often a sentence gets a connector
  int exclaim_percent = 0;                        ///< how often a sentence ends with '!' instead of '.'
};

/// The canonical tone for a requested one: synonyms map onto the five voiced tones ("formal" -> professional,
/// "witty" -> humorous), anything else onto "neutral".
std::string_view canonical_tone(std::string_view tone);

/// The bank for a tone (after canonical_tone); never fails.
const ToneBank& tone_bank(std::string_view tone);

/// Every bank, for tests that check each one is complete.
const std::vector<ToneBank>& all_tone_banks();

} // namespace blogen::gen::builtin
