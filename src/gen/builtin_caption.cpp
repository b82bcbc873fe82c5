#include "builtin_caption.hpp"

#include <blogen/core/text.hpp>

#include <blogen/gen/templates.hpp>

#include "builtin_random.hpp"
#include "builtin_text.hpp"
#include "builtin_tones.hpp"
#include "builtin_topic.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <string_view>

namespace blogen::gen::builtin {
namespace {

/// Caption wording for one tone. Slots: {topic}, {Topic}, {audience}, {Audience}, {brand}.
struct CaptionVoice {
  std::vector<std::string_view> hooks;
  std::vector<std::string_view> values;   ///< why it matters, in one line
  std::vector<std::string_view> audience; ///< speaking to the audience directly
  std::vector<std::string_view> brand;    ///< the brand's line
  std::vector<std::string_view> ctas;
  std::string_view emoji; ///< used on Instagram only, where it is part of the genre
};

const CaptionVoice& voice_for(std::string_view tone) {
  static const std::map<std::string_view, CaptionVoice> voices{
      {"friendly",
       {{"Curious about {topic}? You're not alone.", "Let's talk about {topic}.",
         "Here's a friendly nudge about {topic}."},
        {"A few small changes can make {topic} feel easy.", "The first step is smaller than you think.",
         "Good things start with one simple habit."},
        {"{Audience}, this one's for you.", "If you're one of our {audience}, you'll love this.",
         "We made this with {audience} in mind."},
        {"At {brand}, we're here to help every step of the way.", "{brand} has your back.",
         "Team {brand} is cheering you on."},
        {"Tell us what you think in the comments!", "Save this for later and share it with a friend.",
         "Give it a try this week and let us know how it goes."},
        "\xF0\x9F\x98\x8A"}},
      {"casual",
       {{"Okay, {topic}. Let's go.", "Real talk: {topic} matters more than you think.", "Quick one about {topic}."},
        {"No fluff, just what works.", "It's simpler than it looks.", "Small tweaks, big difference."},
        {"{Audience}, you'll want to see this.", "Calling all {audience}.", "This one's for the {audience}."},
        {"{brand}'s got you.", "Brought to you by the {brand} crew.", "{brand} keeps it simple."},
        {"Drop your take below.", "Try it and tell us how it went.", "Send this to someone who needs it."},
        "\xF0\x9F\x91\x8C"}},
      {"professional",
       {{"A closer look at {topic}.", "What {audience} should know about {topic}.",
         "Three minutes on {topic}, and why it matters now."},
        {"Clear priorities turn effort into measurable results.",
         "The teams that plan for this early avoid costly surprises.", "A structured approach pays off quickly."},
        {"For {audience}, this is worth a closer look.", "{Audience} are already seeing the impact.",
         "If you lead {audience}, start here."},
        {"At {brand}, we help {audience} get this right.", "{brand} works with teams on exactly this.",
         "Learn how {brand} approaches it."},
        {"Read more at the link, and share your perspective in the comments.",
         "Connect with the {brand} team to learn more.", "Follow {brand} for more insights."},
        "\xF0\x9F\x93\x88"}},
      {"humorous",
       {{"{Topic}: harder than it looks, easier than you fear.", "Plot twist: {topic} can actually be fun.",
         "Nobody talks about {topic} at parties. We will."},
        {"No cape required.", "Your future self will send a thank-you note, probably.",
         "It's less dramatic than the internet suggests."},
        {"{Audience}, this one's for you (yes, you in the back).", "Dear {audience}: we see you.",
         "Tag the {audience} friend who needs this."},
        {"{brand} did the hard part so you don't have to.", "{brand}: professionally obsessed with this stuff.",
         "Brought to you by {brand} and an unreasonable amount of coffee."},
        {"Tell us your best story in the comments!", "Share this before someone else takes the credit.",
         "Try it, then brag about it below."},
        "\xF0\x9F\x98\x82"}},
      {"enthusiastic",
       {{"Big news about {topic}!", "Ready to level up with {topic}?", "This is your sign to try {topic}!"},
        {"The results speak for themselves!", "It's easier and more fun than you think!",
         "Every small win adds up to something amazing!"},
        {"{Audience}, you're going to love this!", "Calling all {audience}: this one's for you!",
         "Made with love for our {audience}!"},
        {"{brand} can't wait to share this with you!", "The {brand} team is so excited about this!",
         "{brand} is all in, and we hope you are too!"},
        {"Jump in today and tell us what you think!", "Tap the link and join the fun!",
         "Share this with someone who needs a boost!"},
        "\xF0\x9F\x9A\x80"}},
      {"neutral",
       {{"A quick note on {topic}.", "Thinking about {topic}?", "Something worth knowing about {topic}."},
        {"Small steps make a real difference.", "A clear plan makes it easier.", "It's worth a few minutes."},
        {"For {audience}, here's the short version.", "{Audience}, this is for you.",
         "If you're among our {audience}, read on."},
        {"From the team at {brand}.", "{brand} shares what works.", "More from {brand} soon."},
        {"Learn more at the link.", "Share your thoughts below.", "Save this post for later."},
        "\xE2\x9C\xA8"}},
  };
  const auto found = voices.find(canonical_tone(tone));
  return found == voices.end() ? voices.at("neutral") : found->second;
}

/// A brief ("announce our summer sale") turned into caption copy ("Big news: our summer sale.").
std::string brief_line(std::string_view brief) {
  std::string text = collapse_spaces(brief);
  while (!text.empty() && (text.back() == '.' || text.back() == '!' || text.back() == ','))
    text.pop_back();
  if (text.empty()) return {};
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> k_verbs{{
      {"announce ", "Big news: "},
      {"announcing ", "Big news: "},
      {"promote ", "Say hello to "},
      {"launch ", "Introducing "},
      {"introduce ", "Introducing "},
      {"highlight ", "Spotlight on "},
      {"share ", "Sharing "},
      {"celebrate ", "Let's celebrate "},
      {"remind people about ", "Friendly reminder: "},
      {"invite people to ", "You're invited: "},
  }};
  const std::string lowered = text::lower(text);
  for (const auto& [verb, lead] : k_verbs) {
    if (lowered.starts_with(verb) && text.size() > verb.size()) {
      const bool exclaim = lead.starts_with("Let's");
      return std::string(lead) + text.substr(verb.size()) + (exclaim ? "!" : ".");
    }
  }
  return as_sentence(text);
}

std::size_t tag_cap(std::string_view platform) {
  const std::string name = text::lower(text::trim(platform));
  if (name == "twitter" || name == "x") return 4;
  if (name == "linkedin") return 5;
  return 8;
}

} // namespace

std::vector<std::string> caption_hashtags(const Brief& brief, std::size_t max_tags) {
  max_tags = std::clamp<std::size_t>(max_tags, 3, 8);
  std::vector<std::string> tags;
  auto add = [&](std::string_view words) {
    const std::string tag = camel_case_tag(words);
    if (tag.empty()) return;
    const bool duplicate = std::any_of(tags.begin(), tags.end(),
                                       [&](const std::string& t) { return text::lower(t) == "#" + text::lower(tag); });
    if (!duplicate && tags.size() < max_tags) tags.push_back("#" + tag);
  };
  add(brief.brand);
  const std::string topic = brief_topic(brief);
  const auto topic_words = significant_words(topic);
  if (!topic_words.empty() && topic_words.size() <= 3) {
    std::string joined;
    for (const auto& word : topic_words)
      joined += word + " ";
    add(joined);
  }
  for (const auto& keyword : brief.keywords)
    add(keyword);
  // Long topics contribute their longest words, which carry the most meaning.
  auto by_length = topic_words;
  std::stable_sort(by_length.begin(), by_length.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (std::size_t i = 0; i < by_length.size() && i < 2; ++i)
    add(by_length[i]);
  if (tags.size() < 3) {
    const auto audience_words = significant_words(brief.audience);
    if (!audience_words.empty() && audience_words.size() <= 2) add(brief.audience);
  }
  for (const std::string_view fallback : {"Tips", "Community", "Inspiration"}) {
    if (tags.size() >= 3) break;
    add(fallback);
  }
  return tags;
}

std::string write_caption(const Brief& brief) {
  Rng rng(brief.seed ^ stable_hash(brief_topic(brief)) ^ stable_hash(brief.platform));
  const std::size_t limit = platform_char_limit(brief.platform);
  const std::string platform = text::lower(text::trim(brief.platform));
  const CaptionVoice& voice = voice_for(brief.tone);

  std::vector<std::string> tags = caption_hashtags(brief, tag_cap(platform));
  // The brand's tag always stays; the others vary a little between seeds.
  if (tags.size() > 3) {
    const bool has_brand = !camel_case_tag(brief.brand).empty();
    auto first = tags.begin() + (has_brand ? 1 : 0);
    std::vector<std::string> rest(first, tags.end());
    rng.shuffle(rest);
    const std::size_t keep =
        static_cast<std::size_t>(rng.between(3, static_cast<int>(tags.size()))) - (has_brand ? 1 : 0);
    rest.resize(std::max<std::size_t>(keep, 3 - (has_brand ? 1 : 0)));
    tags.erase(first, tags.end());
    tags.insert(tags.end(), rest.begin(), rest.end());
  }

  // The topic's noun phrase reads inside a line ("Curious about starting running after 40?").
  const std::string topic = analyse_topic(brief_topic(brief)).noun;
  const std::string audience = collapse_spaces(brief.audience);
  const std::string brand = collapse_spaces(brief.brand);
  const std::map<std::string, std::string, std::less<>> slots{
      {"topic", topic},
      {"Topic", capitalize_first(topic)},
      {"audience", audience.empty() ? std::string("followers") : audience},
      {"Audience", capitalize_first(audience.empty() ? std::string("friends") : audience)},
      {"brand", brand},
  };
  auto line = [&](const std::vector<std::string_view>& patterns) {
    return capitalize_first(fill_slots(rng.pick(patterns), slots));
  };

  // Lines in reading order, each with a priority: the lowest numbers survive a tight limit.
  struct Line {
    std::string text;
    int priority;
  };
  std::vector<Line> lines;
  const bool instagram = platform == "instagram";
  std::string hook = line(voice.hooks);
  if (instagram) hook += " " + std::string(voice.emoji);
  lines.push_back({hook, 4});
  if (const std::string from_brief = brief_line(brief.brief); !from_brief.empty()) lines.push_back({from_brief, 2});
  lines.push_back({line(voice.values), 5});
  if (platform == "linkedin") {
    // LinkedIn rewards a little more substance: a second value line and a takeaway.
    auto values = voice.values;
    lines.push_back({capitalize_first(fill_slots(values[(rng.below(values.size()) + 1) % values.size()], slots)), 6});
    if (!brief.keywords.empty()) {
      lines.push_back({"Key themes: " + join_with_and(brief.keywords) + ".", 6});
    }
  }
  if (!audience.empty() || rng.chance(50)) lines.push_back({line(voice.audience), 3});
  if (!brand.empty()) lines.push_back({line(voice.brand), 1});
  std::vector<std::string_view> ctas;
  std::copy_if(voice.ctas.begin(), voice.ctas.end(), std::back_inserter(ctas), [&](std::string_view pattern) {
    return !brand.empty() || pattern.find("{brand}") == std::string_view::npos;
  });
  lines.push_back({line(ctas), 1});

  const std::string separator = (platform == "twitter" || platform == "x") ? " " : "\n\n";
  std::string hashtag_line;
  for (const auto& tag : tags)
    hashtag_line += (hashtag_line.empty() ? "" : " ") + tag;

  auto assemble = [&](int max_priority) {
    std::string body;
    for (const auto& entry : lines) {
      if (entry.priority > max_priority) continue;
      if (!body.empty()) body += separator;
      body += entry.text;
    }
    return body + "\n\n" + hashtag_line;
  };
  std::string caption;
  for (int max_priority = 6; max_priority >= 1; --max_priority) {
    caption = assemble(max_priority);
    if (caption.size() <= limit) return caption;
  }
  // Even the brand line and call to action are too long (a very long brand name): cut at a word boundary.
  const std::size_t room = limit > hashtag_line.size() + 6 ? limit - hashtag_line.size() - 6 : 0;
  std::string body = caption.substr(0, caption.size() - hashtag_line.size() - 2);
  if (body.size() > room) {
    body.resize(room);
    const auto space = body.find_last_of(' ');
    if (space != std::string::npos && space > 0) body.resize(space);
    // Never leave half a UTF-8 sequence behind.
    while (!body.empty() && (static_cast<unsigned char>(body.back()) & 0x80U) != 0)
      body.pop_back();
    body += "...";
  }
  return body + "\n\n" + hashtag_line;
}

} // namespace blogen::gen::builtin
