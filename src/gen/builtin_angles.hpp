#pragma once
// Content banks per section angle ("why it matters", "common mistakes", "step: gather what you need", ...).
// Sentences are tone-neutral; the tone bank adds the voice around them.

#include <string_view>
#include <vector>

namespace blogen::gen::builtin {

/// What a section is about; each template's planner picks a sequence of angles.
enum class Angle {
  why,
  basics,
  benefits,
  challenges,
  mistakes,
  tips,
  tools,
  examples,
  future,
  keyword,
  audience,
  step_goal,
  step_prepare,
  step_start,
  step_practice,
  step_review,
  step_level_up,
  step_share,
  features,
  product_benefits,
  product_who,
  product_how,
  news_highlight,
  news_tips,
  news_reading,
  news_team,
  news_next,
  general
};

/// Headings and sentences for one angle. Slots: {topic}, {Topic}, {kw}, {Kw}, {audience}, {Audience}, {brand}, and
/// {Matters} ("Matter" after a plural topic).
/// Patterns mentioning {kw} are only used when the brief has keywords.
struct AngleBank {
  Angle angle;
  std::vector<std::string_view> headings;
  std::vector<std::string_view> sentences;
};

/// The bank for an angle.
const AngleBank& angle_bank(Angle angle);

/// Every bank, for tests that check each one is complete.
const std::vector<AngleBank>& all_angle_banks();

} // namespace blogen::gen::builtin
