#pragma once
// Section planners per template: how many sections a draft gets, what each is about, how it is laid out, and the
// title. The writer then fills the plan with sentences to the target length.

#include <blogen/gen/provider.hpp>

#include "builtin_angles.hpp"
#include "builtin_composer.hpp"
#include "builtin_random.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace blogen::gen::builtin {

/// How a section's sentences are laid out.
enum class BlockStyle {
  paragraphs, ///< prose, grouped into short paragraphs
  bullets,    ///< "- " items
  outline     ///< "- " key points with indented supporting sub-points
};

/// One `##` section of a draft.
struct SectionPlan {
  std::string heading;
  Angle angle = Angle::general;
  BlockStyle style = BlockStyle::paragraphs;
  std::string focus_keyword; ///< the keyword an Angle::keyword section is about
  std::string lead_in;       ///< optional first sentence before a list
};

/// The shape of a whole draft.
struct DraftPlan {
  std::string title;
  std::string greeting; ///< newsletter salutation line, empty for other templates
  std::vector<SectionPlan> sections;
  std::string closing_heading;
  BlockStyle closing_style = BlockStyle::paragraphs;
  std::vector<std::string_view> ctas; ///< calls to action the closing may end with
  std::vector<Angle> borrow_pool;     ///< angles long sections may borrow for `###` subsections
};

/// The templates the builtin writer knows; any other name is drafted as a blog post.
bool is_known_draft_template(std::string_view name);

/// The calls to action a draft of this template and tone may end with (product and newsletter have their own).
const std::vector<std::string_view>& call_to_action_patterns(std::string_view template_name, std::string_view tone);

/// Plans a draft for a brief (title from `brief.title` when given).
DraftPlan plan_draft(const DraftContext& context, const Brief& brief, Composer& composer, Rng& rng);

} // namespace blogen::gen::builtin
