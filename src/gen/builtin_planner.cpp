#include "builtin_planner.hpp"

#include <blogen/gen/answer.hpp>

#include "builtin_text.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace blogen::gen::builtin {
namespace {

constexpr std::array k_known_templates{"blog-post", "outline",    "listicle",
                                       "how-to",    "newsletter", "product-description"};

/// Article angles in reading order: a plan sorts its sections by this so "why" never follows "what's next".
constexpr std::array k_article_angles{Angle::why,        Angle::basics,   Angle::benefits, Angle::examples,
                                      Angle::challenges, Angle::mistakes, Angle::tips,     Angle::tools,
                                      Angle::audience,   Angle::future};

std::size_t reading_rank(Angle angle) {
  if (angle == Angle::keyword) return 3; // after the basics and benefits, before the practical sections
  const auto found = std::find(k_article_angles.begin(), k_article_angles.end(), angle);
  return static_cast<std::size_t>(found - k_article_angles.begin());
}

struct ListItem {
  std::string_view heading;
  Angle angle;
};

constexpr std::array<ListItem, 11> k_list_items{{{"Start with a Clear Goal", Angle::step_goal},
                                                 {"Keep It Simple", Angle::basics},
                                                 {"Learn from Real Examples", Angle::examples},
                                                 {"Build a Routine", Angle::step_practice},
                                                 {"Track Your Progress", Angle::step_review},
                                                 {"Pick the Right Tools", Angle::tools},
                                                 {"Avoid the Perfection Trap", Angle::mistakes},
                                                 {"Ask for Feedback", Angle::tips},
                                                 {"Think Long Term", Angle::future},
                                                 {"Know Why It Matters", Angle::why},
                                                 {"Make It Your Own", Angle::audience}}};

constexpr std::array k_steps{Angle::step_goal,   Angle::step_prepare,  Angle::step_start, Angle::step_practice,
                             Angle::step_review, Angle::step_level_up, Angle::step_share};

constexpr std::array k_roman{"I", "II", "III", "IV", "V", "VI", "VII"};

/// Title frames for a topic that already carries its own frame (a question, a how-to, a why-, a list or an
/// imperative): {Headline} is the topic as the writer framed it, so no second frame is stacked on it ("Why Why",
/// "Guide to How to"); {TopicTitle} is its noun phrase ("Learning Rust in 30 Days").
std::vector<std::string_view> framed_title_patterns(TopicShape shape, std::string_view template_name, bool has_brand) {
  if (template_name == "newsletter") {
    std::vector<std::string_view> patterns{"This Week: {Headline}", "Your Update: {Headline}"};
    if (has_brand) patterns.emplace_back("{brand} Newsletter: {Headline}");
    return patterns;
  }
  if (template_name == "outline") return {"Outline: {Headline}", "Article Outline: {Headline}"};
  if (template_name == "product-description") return {"{Headline}"};
  switch (shape) {
  case TopicShape::question:
    if (template_name == "listicle") return {"{Headline} {n} Things to Consider", "{Headline} {n} Points to Weigh"};
    return {"{Headline}", "{Headline} What You Need to Know", "{Headline} A Clear Answer",
            "{Headline} Here's the Honest Answer"};
  case TopicShape::how_to:
    if (template_name == "listicle") return {"{n} Tips for {TopicTitle}", "{n} Steps to Follow: {Headline}"};
    return {"{Headline}", "{Headline}: A Step-by-Step Guide", "{Headline}: A Practical Guide",
            "The Practical Guide to {TopicTitle}"};
  case TopicShape::why:
    if (template_name == "listicle") return {"{n} Reasons {ClauseTitle}", "{Headline}: {n} Reasons"};
    return {"{Headline}", "{Headline}, and What to Do About It", "{Headline}: The Real Reasons",
            "Understanding {TopicTitle}"};
  case TopicShape::list:
    return {"{Headline}", "{Headline}: What to Know", "{Headline}: A Practical Roundup"};
  case TopicShape::imperative:
    if (template_name == "listicle") return {"{n} Tips for {TopicTitle}", "{Headline}: {n} Tips"};
    if (template_name == "how-to") return {"How to {Headline}", "{Headline}: A Step-by-Step Guide"};
    return {"{Headline}", "How to {Headline}", "{Headline}: A Practical Guide", "A Friendly Guide to {TopicTitle}",
            "The Practical Guide to {TopicTitle}"};
  case TopicShape::noun:
  case TopicShape::numbered:
    break;
  }
  return {"{Headline}"};
}

std::vector<std::string_view> title_patterns(const DraftContext& context, std::string_view template_name,
                                             std::string_view tone, bool has_brand) {
  if (context.forms.shape != TopicShape::noun && context.forms.shape != TopicShape::numbered) {
    return framed_title_patterns(context.forms.shape, template_name, has_brand);
  }
  if (template_name == "how-to") {
    return {"How to Get Started with {TopicTitle}", "How to Approach {TopicTitle}",
            "How to Master {TopicTitle}: A Step-by-Step Guide", "{TopicTitle} Made Simple: A How-To Guide",
            "How to Make {TopicTitle} Work for You"};
  }
  if (template_name == "listicle") {
    return {"{n} Things to Know About {TopicTitle}", "{n} Smart Ways to Approach {TopicTitle}",
            "Top {n} Tips for {TopicTitle}", "{n} Ideas to Get More from {TopicTitle}"};
  }
  if (template_name == "newsletter") {
    std::vector<std::string_view> patterns{"This Week: {TopicTitle}", "The {TopicTitle} Issue",
                                           "Your Update on {TopicTitle}"};
    if (has_brand) patterns.emplace_back("{brand} Newsletter: {TopicTitle}");
    return patterns;
  }
  if (template_name == "outline") {
    return {"Outline: {TopicTitle}", "{TopicTitle}: An Article Outline", "Article Outline: A Guide to {TopicTitle}"};
  }
  if (template_name == "product-description") {
    return {"{TopicTitle}", "Meet {TopicTitle}", "Introducing {TopicTitle}", "{TopicTitle}: Made for {Audience}"};
  }
  std::vector<std::string_view> patterns{
      "{TopicTitle}: What You Need to Know",         "A Fresh Look at {TopicTitle}",
      "Why {TopicTitle} {Matters} More Than Ever",   "The Practical Guide to {TopicTitle}",
      "Everything Worth Knowing About {TopicTitle}", "{TopicTitle}, Explained"};
  if (tone == "humorous")
    patterns.insert(patterns.end(), {"{TopicTitle} Without the Headache", "{TopicTitle}: A Survival Guide"});
  if (tone == "enthusiastic")
    patterns.insert(patterns.end(), {"Why {TopicTitle} Will Make Your Day!", "Let's Talk {TopicTitle}!"});
  if (tone == "professional")
    patterns.insert(patterns.end(), {"{TopicTitle}: A Practical Framework", "A Strategic Guide to {TopicTitle}"});
  if (tone == "casual") patterns.emplace_back("{TopicTitle}, Minus the Fluff");
  if (tone == "friendly") patterns.emplace_back("A Friendly Guide to {TopicTitle}");
  return patterns;
}

std::string greeting_for(std::string_view tone, const DraftContext& context) {
  if (tone == "professional") return "Dear " + context.audience + ",";
  if (tone == "casual") return "Hey there,";
  if (tone == "enthusiastic") return "Hello, wonderful " + context.audience + "!";
  if (tone == "humorous") return "Greetings, brave " + context.audience + ",";
  return "Hi " + context.audience + ",";
}

/// Body sections (excluding the closing one), so the draft has 3-7 `##` headings in all.
int body_count(int words, Rng& rng) {
  if (words < 250) return 2;
  if (words < 600) return 3;
  return std::clamp(3 + (words - 600) / 700 + rng.between(0, 1), 3, 6);
}

std::string unique_heading(const std::vector<std::string_view>& all_patterns, const std::vector<SectionPlan>& taken,
                           Composer& composer, Rng& rng, std::string_view keyword = {}) {
  const auto patterns = composer.usable_headings(all_patterns);
  const std::size_t start = rng.below(patterns.size());
  for (std::size_t step = 0; step < patterns.size(); ++step) {
    std::string heading = composer.fill_heading(patterns[(start + step) % patterns.size()], keyword);
    const bool clash =
        std::any_of(taken.begin(), taken.end(), [&](const SectionPlan& s) { return s.heading == heading; });
    if (!clash) return heading;
  }
  return composer.fill_heading(patterns[start], keyword);
}

std::vector<SectionPlan> plan_article(const DraftContext& context, int count, BlockStyle style, Composer& composer,
                                      Rng& rng) {
  std::vector<SectionPlan> sections;
  // Keywords earn their own sections, but never crowd out the article's own arc.
  const int keyword_sections = std::min<int>(static_cast<int>(context.keywords.size()), std::max(1, count / 3));
  for (int i = 0; i < keyword_sections && i < count - 1; ++i) {
    SectionPlan section;
    section.angle = Angle::keyword;
    section.focus_keyword = context.keywords[static_cast<std::size_t>(i)];
    section.style = style;
    sections.push_back(std::move(section));
  }
  std::vector<Angle> pool(k_article_angles.begin() + 2, k_article_angles.end());
  rng.shuffle(pool);
  pool.insert(pool.begin(), rng.chance(50) ? Angle::why : Angle::basics);
  for (std::size_t i = 0; static_cast<int>(sections.size()) < count && i < pool.size(); ++i) {
    SectionPlan section;
    section.angle = pool[i];
    section.style = style;
    sections.push_back(std::move(section));
  }
  std::stable_sort(sections.begin(), sections.end(), [](const SectionPlan& a, const SectionPlan& b) {
    return reading_rank(a.angle) < reading_rank(b.angle);
  });
  for (auto& section : sections) {
    section.heading =
        unique_heading(angle_bank(section.angle).headings, sections, composer, rng, section.focus_keyword);
  }
  return sections;
}

std::vector<SectionPlan> plan_listicle(const DraftContext& context, int count, Composer& composer, Rng& rng) {
  std::vector<SectionPlan> items;
  if (!context.keywords.empty()) {
    items.push_back(SectionPlan{"", Angle::keyword, BlockStyle::paragraphs, context.keywords.front(), {}});
    items.back().heading = composer.fill("Make {Kw} a Priority", context.keywords.front());
  }
  std::vector<ListItem> pool(k_list_items.begin(), k_list_items.end());
  rng.shuffle(pool);
  for (std::size_t i = 0; static_cast<int>(items.size()) < count && i < pool.size(); ++i) {
    items.push_back(SectionPlan{std::string(pool[i].heading), pool[i].angle, BlockStyle::paragraphs, {}, {}});
  }
  rng.shuffle(items);
  for (std::size_t i = 0; i < items.size(); ++i)
    items[i].heading = std::to_string(i + 1) + ". " + items[i].heading;
  return items;
}

std::vector<SectionPlan> plan_how_to(const DraftContext& context, int count, int words, Composer& composer, Rng& rng) {
  std::vector<SectionPlan> sections;
  if (words >= 400 && count >= 3) {
    SectionPlan needs{"What You'll Need", Angle::step_prepare, BlockStyle::bullets, {}, {}};
    needs.lead_in = composer.fill("Before you begin, gather a few essentials.");
    sections.push_back(std::move(needs));
  }
  const int steps = count - static_cast<int>(sections.size());
  // Always goal and first attempt; the middle steps are chosen, the order is kept.
  std::vector<Angle> chosen{Angle::step_goal, Angle::step_start};
  std::vector<Angle> optional{Angle::step_practice, Angle::step_review, Angle::step_level_up, Angle::step_share};
  if (sections.empty()) optional.push_back(Angle::step_prepare);
  rng.shuffle(optional);
  for (std::size_t i = 0; static_cast<int>(chosen.size()) < steps && i < optional.size(); ++i) {
    chosen.push_back(optional[i]);
  }
  std::sort(chosen.begin(), chosen.end(), [](Angle a, Angle b) {
    return std::find(k_steps.begin(), k_steps.end(), a) < std::find(k_steps.begin(), k_steps.end(), b);
  });
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    SectionPlan step{"", chosen[i], BlockStyle::paragraphs, {}, {}};
    if (chosen[i] == Angle::step_level_up && !context.keywords.empty()) step.focus_keyword = context.keywords.front();
    step.heading = "Step " + std::to_string(i + 1) + ": " +
                   unique_heading(angle_bank(chosen[i]).headings, sections, composer, rng);
    sections.push_back(std::move(step));
  }
  return sections;
}

std::vector<SectionPlan> plan_newsletter(int count, Composer& composer, Rng& rng) {
  std::vector<Angle> angles{Angle::news_highlight};
  std::vector<Angle> middle{Angle::news_tips, Angle::news_reading, Angle::news_team};
  rng.shuffle(middle);
  const int middle_count = std::max(1, count - 2);
  for (int i = 0; i < middle_count && i < static_cast<int>(middle.size()); ++i) {
    angles.push_back(middle[static_cast<std::size_t>(i)]);
  }
  if (static_cast<int>(angles.size()) < count) angles.push_back(Angle::news_next);
  std::vector<SectionPlan> sections;
  for (const Angle angle : angles) {
    SectionPlan section{"", angle, angle == Angle::news_tips ? BlockStyle::bullets : BlockStyle::paragraphs, {}, {}};
    if (angle == Angle::news_tips) section.lead_in = composer.fill("A few ideas to try before the next issue:");
    section.heading = unique_heading(angle_bank(angle).headings, sections, composer, rng);
    sections.push_back(std::move(section));
  }
  return sections;
}

std::vector<SectionPlan> plan_product(const DraftContext& context, int count, Composer& composer, Rng& rng) {
  std::vector<Angle> angles{Angle::features, Angle::product_benefits, Angle::product_who, Angle::product_how};
  if (count < 4) angles.resize(static_cast<std::size_t>(std::max(count, 2)));
  std::vector<SectionPlan> sections;
  for (const Angle angle : angles) {
    SectionPlan section{"", angle, angle == Angle::features ? BlockStyle::bullets : BlockStyle::paragraphs, {}, {}};
    section.heading = unique_heading(angle_bank(angle).headings, sections, composer, rng);
    sections.push_back(std::move(section));
  }
  if (count > 4 && !context.keywords.empty()) {
    SectionPlan keyword{"", Angle::keyword, BlockStyle::paragraphs, context.keywords.front(), {}};
    keyword.heading =
        unique_heading(angle_bank(Angle::keyword).headings, sections, composer, rng, keyword.focus_keyword);
    sections.insert(sections.begin() + 2, std::move(keyword));
  }
  return sections;
}

} // namespace

const std::vector<std::string_view>& call_to_action_patterns(std::string_view template_name, std::string_view tone) {
  static const std::vector<std::string_view> k_product_ctas{
      "Order {topic} today and see the difference for yourself.",
      "Try {topic} today and discover why customers keep coming back.", "Get yours today.",
      "Add {topic} to your cart now and make every day a little easier."};
  static const std::vector<std::string_view> k_newsletter_ctas{
      "Hit reply and tell us what you'd like to read next.",
      "Forward this issue to a friend who'd enjoy it, and subscribe if you haven't already.",
      "Share your own tips by replying to this email; we read every message.", "Reply and say hello!"};
  if (template_name == "product-description") return k_product_ctas;
  if (template_name == "newsletter") return k_newsletter_ctas;
  return tone_bank(tone).ctas;
}

bool is_known_draft_template(std::string_view name) {
  return std::find(k_known_templates.begin(), k_known_templates.end(), name) != k_known_templates.end();
}

DraftPlan plan_draft(const DraftContext& context, const Brief& brief, Composer& composer, Rng& rng) {
  const std::string_view name = is_known_draft_template(context.template_name) ? std::string_view(context.template_name)
                                                                               : std::string_view("blog-post");
  const ToneBank& tone = *context.tone;
  DraftPlan plan;
  const int count = body_count(context.words, rng);

  if (name == "listicle") {
    plan.sections = plan_listicle(context, std::max(count, context.words < 150 ? 2 : 3), composer, rng);
  } else if (name == "how-to") {
    plan.sections = plan_how_to(context, count, context.words, composer, rng);
  } else if (name == "newsletter") {
    plan.sections = plan_newsletter(std::max(count, context.words < 150 ? 2 : 3), composer, rng);
    plan.greeting = greeting_for(tone.name, context);
  } else if (name == "product-description") {
    plan.sections = plan_product(context, count, composer, rng);
  } else if (name == "outline") {
    plan.sections = plan_article(context, count, BlockStyle::outline, composer, rng);
    for (std::size_t i = 0; i < plan.sections.size(); ++i) {
      plan.sections[i].heading = std::string(k_roman[i]) + ". " + plan.sections[i].heading;
    }
  } else {
    plan.sections = plan_article(context, count, BlockStyle::paragraphs, composer, rng);
  }

  // Closing section: template-specific where the genre has a convention, otherwise the tone's own wording.
  if (name == "product-description") {
    plan.closing_heading = rng.pick(std::array{"Get Yours Today", "Ready to Try It?", "Order Now"});
  } else if (name == "newsletter") {
    plan.closing_heading = rng.pick(std::array{"Until Next Time", "Before You Go", "Signing Off"});
  } else {
    plan.closing_heading =
        name == "outline" ? std::string(std::string_view("Conclusion")) : std::string(rng.pick(tone.closing_headings));
  }
  plan.ctas = call_to_action_patterns(name, tone.name);
  if (name == "outline") plan.closing_style = BlockStyle::bullets;

  for (const Angle angle : k_article_angles) {
    const bool used =
        std::any_of(plan.sections.begin(), plan.sections.end(), [&](const SectionPlan& s) { return s.angle == angle; });
    if (!used) plan.borrow_pool.push_back(angle);
  }
  rng.shuffle(plan.borrow_pool);
  // Practical steps come last (the pool is used from the back): long drafts reach them only after every article
  // angle, and they are what lets a 3000-word draft stay fresh instead of repeating itself.
  std::vector<Angle> steps;
  for (const Angle angle : k_steps) {
    const bool used =
        std::any_of(plan.sections.begin(), plan.sections.end(), [&](const SectionPlan& s) { return s.angle == angle; });
    if (!used) steps.push_back(angle);
  }
  plan.borrow_pool.insert(plan.borrow_pool.begin(), steps.rbegin(), steps.rend());

  const std::string requested_title = collapse_spaces(brief.title);
  if (!requested_title.empty()) {
    plan.title = requested_title;
  } else {
    auto patterns = title_patterns(context, name, tone.name, !collapse_spaces(brief.brand).empty());
    std::string pattern(rng.pick(patterns));
    if (const auto at = pattern.find("{n}"); at != std::string::npos) {
      pattern.replace(at, 3, std::to_string(plan.sections.size()));
    }
    // Short drafts get the shortest title pattern, so the heading does not eat the word budget.
    if (context.words < 150) {
      std::string shortest;
      for (const auto candidate : patterns) {
        std::string filled(candidate);
        if (const auto at = filled.find("{n}"); at != std::string::npos) {
          filled.replace(at, 3, std::to_string(plan.sections.size()));
        }
        if (shortest.empty() || count_words(filled) < count_words(shortest)) shortest = filled;
      }
      pattern = shortest;
    }
    plan.title = composer.fill(pattern);
    // A question mark ends its own frame: "Is Coffee Bad for You? A Clear Answer", never "?:" or "?,".
    for (const std::string_view stacked : {"?:", "?,"}) {
      for (auto at = plan.title.find(stacked); at != std::string::npos; at = plan.title.find(stacked))
        plan.title.erase(at + 1, 1);
    }
  }
  return plan;
}

} // namespace blogen::gen::builtin
