#include "builtin_tones.hpp"

#include <blogen/core/text.hpp>

#include "builtin_text.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace blogen::gen::builtin {
namespace {

ToneBank friendly() {
  return ToneBank{
      "friendly",
      {"If you've ever wondered about {topic}, you're in good company.",
       "Let's take a relaxed, honest look at {topic} together.",
       "Here's a little secret: getting comfortable with {topic} is easier than it looks.",
       "So you're curious about {topic}? That's wonderful, and you're in the right place.",
       "Whether you're brand new to {topic} or picking it back up, welcome."},
      {"We'll walk through what matters, what to skip and how to start.",
       "By the end, you'll have a clear picture and a few ideas you can use today.",
       "Grab a cup of something warm and let's dig in."},
      {"Along the way we'll cover {kwlist}, one friendly step at a time.",
       "We'll also chat about {kwlist} and why it all makes a real difference.",
       "You'll also get practical pointers on {kwlist}."},
      {"Here's the good news:", "Honestly,", "The nice part is that", "Don't worry:", "Remember,", "Happily,"},
      {"You've got this.", "Take it one step at a time; there's no rush.",
       "Everyone starts somewhere, and that's perfectly fine.", "Be kind to yourself while you learn.",
       "A little patience goes a long way here."},
      {"That's a lot of ground, and you covered it with ease.",
       "The big idea is simple: start small and keep showing up.",
       "With these ideas in your pocket, {topic} should feel far less mysterious.",
       "Small, steady steps will take you further than you think."},
      {"Pick one idea from this post, try it this week, and tell us how it went in the comments!",
       "Give it a try today, and share this post with a friend who'd enjoy it.",
       "Start with one small step today, then come back and let us know what worked for you.",
       "Try one of these tips this week and drop us a note about how it goes.", "Give it a try today!"},
      {"Wrapping Up", "Final Thoughts", "Before You Go", "Let's Recap"},
      22,
      5};
}

ToneBank casual() {
  return ToneBank{
      "casual",
      {"Let's talk about {topic}.", "Okay, real talk: {topic} deserves a closer look.",
       "So, {topic}. Where do you even start?", "{Topic} pops up everywhere lately, so let's break it down.",
       "Quick question: how much do you actually know about {topic}?"},
      {"No fluff, just the stuff that works.", "Here's the short version, plus a few things nobody tells you.",
       "We'll keep it simple and skip the jargon."},
      {"We'll hit {kwlist} along the way.", "Expect a few words on {kwlist}, too.",
       "And yep, we'll get into {kwlist}."},
      {"Real talk:", "Here's the thing:", "Honestly,", "Basically,", "Look,", "Plus,"},
      {"Easy, right?", "No stress.", "Keep it chill and keep it going.", "That's pretty much it.",
       "Nobody gets it perfect on day one, and that's fine."},
      {"So yeah, that's the gist.", "Bottom line: {topic} isn't rocket science.", "Keep it simple and you'll be fine.",
       "That covers the stuff that actually matters."},
      {"Go try it out and tell us how it went!", "Give it a shot this week, then come back and share what happened.",
       "Try one thing from this list today and see what sticks.",
       "Hit the comments with your own tips, and pass this along if it helped.", "Go try it out!"},
      {"The Takeaway", "So, What Now?", "That's a Wrap", "Quick Recap"},
      28,
      8};
}

ToneBank professional() {
  return ToneBank{
      "professional",
      {"{Topic} has become a priority for many organisations.",
       "For {audience}, a clear approach to {topic} is no longer optional.",
       "Getting {topic} right requires a structured, evidence-based approach.",
       "Decisions about {topic} carry real consequences for quality, cost and reputation.",
       "This article examines {topic} and what it means in practice."},
      {"It outlines the key considerations, common pitfalls and practical next steps.",
       "The following sections set out a practical framework you can apply immediately.",
       "The aim is a clear, actionable overview rather than an exhaustive survey."},
      {"It also addresses {kwlist} as part of a sound strategy.", "Particular attention is given to {kwlist}.",
       "The discussion covers {kwlist} in turn."},
      {"In practice,", "Importantly,", "As a result,", "In addition,", "For this reason,", "Notably,"},
      {"Consistency matters more than intensity.", "Clear ownership prevents most of the problems described here.",
       "Measure the outcome, not only the activity.", "Document decisions so the next team can build on them."},
      {"In summary, a disciplined approach to {topic} pays for itself.",
       "The organisations that succeed treat {topic} as an ongoing practice, not a one-off project.",
       "With clear goals and regular review, {topic} becomes a dependable advantage.",
       "The principles above provide a solid foundation for further work."},
      {"Contact our team to discuss how these practices apply to your organisation.",
       "Review your current approach this quarter and identify one area to improve first.",
       "Subscribe for further analysis, or get in touch to arrange a consultation.",
       "Share this article with your team and schedule a short review of your current process.",
       "Contact us to learn more."},
      {"Conclusion", "Key Takeaways", "Next Steps", "Summary"},
      18,
      0};
}

ToneBank humorous() {
  return ToneBank{
      "humorous",
      {"{Topic}: the thing everyone pretends to understand at parties.",
       "Let's be honest, {topic} has a reputation, and only half of it is deserved.",
       "If {topic} were a houseguest, it would rearrange your furniture and then teach you something useful.",
       "Welcome to the only guide to {topic} that admits it has snacks nearby.",
       "Nobody is born knowing {topic}, although some people act like it."},
      {"We'll separate the useful bits from the wishful thinking.",
       "There will be advice, there will be mild jokes, and nobody gets hurt.",
       "Stick around; the good stuff comes before the awkward pun."},
      {"We'll even wrestle {kwlist} into submission, gently.",
       "Yes, we'll get to {kwlist}, and snacks may be involved.", "{kwlist}? Covered, no cape required."},
      {"Plot twist:", "Spoiler:", "Fun fact:", "Brace yourself:", "Believe it or not,", "Shockingly,"},
      {"Yes, really.", "No cape required.", "Your future self will send a thank-you card, probably.",
       "It's less dramatic than it sounds, unlike most of the internet.",
       "If this sounds easy, that's because it mostly is."},
      {"And there you have it: {topic}, slightly less intimidating and mildly more entertaining.",
       "You made it to the end, which already puts you ahead of most people.",
       "Now {topic} has been demystified, or at least given a stern talking-to.",
       "The moral of the story: start small, laugh often, and keep going."},
      {"Go try one idea today, then brag about it in the comments!",
       "Share this with the friend who claims they already know all of this.",
       "Pick one tip, try it this week, and report back with your best war story.",
       "Subscribe for more, because the jokes only get better (citation needed).", "Go on, give it a try!"},
      {"The Grand Finale", "Roll Credits", "The Moral of the Story", "In Conclusion, Sort Of"},
      25,
      10};
}

ToneBank enthusiastic() {
  return ToneBank{
      "enthusiastic",
      {"Get ready, because {topic} is about to become your new favourite subject!",
       "There has never been a better time to dive into {topic}!",
       "{Topic} is full of possibilities, and it's exciting to explore!",
       "Buckle up: {topic} is more rewarding than you might expect!",
       "Big things happen when you take {topic} seriously!"},
      {"Let's jump straight into the good stuff!", "You're going to love what's ahead!",
       "Every section below has something you can use right away!"},
      {"We'll explore {kwlist} too, and that's where it gets exciting!", "Plus, we'll shine a spotlight on {kwlist}!",
       "Get excited for {kwlist}, because that's where the fun begins!"},
      {"Even better,", "Best of all,", "Here's the exciting part:", "Guess what?", "Imagine this:", "Wow,"},
      {"How great is that?", "This is where the magic happens!", "You're going to love the results!",
       "The possibilities are endless!", "Momentum builds faster than you think!"},
      {"What a journey, and it's only the beginning!", "{Topic} offers so much, and you're ready for it!",
       "Every small win adds up to something amazing!", "The future of {topic} is bright, and you're part of it!"},
      {"Start today and share your first win with us!", "Jump in now, and tell everyone what you discover!",
       "Try it this week and join the conversation in the comments!",
       "Don't wait: take the first step today and subscribe for more inspiration!", "Start today!"},
      {"Let's Go!", "Your Next Big Step", "Ready, Set, Go", "The Adventure Starts Now"},
      22,
      45};
}

ToneBank neutral() {
  return ToneBank{"neutral",
                  {"{Topic} comes up often, and it rewards a closer look.", "This post takes a clear look at {topic}.",
                   "Understanding {topic} starts with a few core ideas.",
                   "Many people want a straightforward explanation of {topic}."},
                  {"It covers the essentials, the common mistakes and how to get started.",
                   "Each section focuses on one practical aspect."},
                  {"It also covers {kwlist}.", "Along the way, it touches on {kwlist}."},
                  {"In short,", "For example,", "In general,", "Also,", "Overall,"},
                  {"Small steps add up.", "Consistency matters more than perfection.", "Context always matters."},
                  {"These points offer a practical starting place for {topic}.",
                   "With the basics in place, {topic} becomes much easier to approach."},
                  {"Try one of these ideas this week and note what changes.",
                   "Share this post with someone who might find it useful, and leave your questions below.",
                   "Start with the first step today and revisit this guide as you progress.", "Try it this week."},
                  {"Conclusion", "Summary", "Next Steps"},
                  15,
                  0};
}

/// Synonyms of the five voiced tones; anything not listed gets the neutral bank.
constexpr std::array<std::pair<std::string_view, std::string_view>, 32> k_synonyms{{
    {"friendly", "friendly"},
    {"warm", "friendly"},
    {"kind", "friendly"},
    {"supportive", "friendly"},
    {"empathetic", "friendly"},
    {"encouraging", "friendly"},
    {"casual", "casual"},
    {"conversational", "casual"},
    {"relaxed", "casual"},
    {"laid-back", "casual"},
    {"chill", "casual"},
    {"informal", "casual"},
    {"professional", "professional"},
    {"formal", "professional"},
    {"authoritative", "professional"},
    {"expert", "professional"},
    {"corporate", "professional"},
    {"serious", "professional"},
    {"business", "professional"},
    {"humorous", "humorous"},
    {"funny", "humorous"},
    {"witty", "humorous"},
    {"playful", "humorous"},
    {"quirky", "humorous"},
    {"humourous", "humorous"},
    {"enthusiastic", "enthusiastic"},
    {"excited", "enthusiastic"},
    {"energetic", "enthusiastic"},
    {"upbeat", "enthusiastic"},
    {"exciting", "enthusiastic"},
    {"inspirational", "enthusiastic"},
    {"bold", "enthusiastic"},
}};

} // namespace

std::string_view canonical_tone(std::string_view tone) {
  const std::string lowered = text::lower(text::trim(tone));
  for (const auto& [alias, canonical] : k_synonyms) {
    if (alias == lowered) return canonical;
  }
  return "neutral";
}

const std::vector<ToneBank>& all_tone_banks() {
  static const std::vector<ToneBank> banks{friendly(), casual(), professional(), humorous(), enthusiastic(), neutral()};
  return banks;
}

const ToneBank& tone_bank(std::string_view tone) {
  const std::string_view canonical = canonical_tone(tone);
  const auto& banks = all_tone_banks();
  const auto found =
      std::find_if(banks.begin(), banks.end(), [&](const ToneBank& bank) { return bank.name == canonical; });
  return found == banks.end() ? banks.back() : *found;
}

} // namespace blogen::gen::builtin
