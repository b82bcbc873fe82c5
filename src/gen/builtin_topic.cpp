#include "builtin_topic.hpp"

#include <blogen/core/text.hpp>

#include "builtin_text.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace blogen::gen::builtin {
namespace {

using Words = std::vector<std::string>;

bool one_of(std::string_view word, std::initializer_list<std::string_view> list) {
  const std::string lowered = text::lower(word);
  return std::find(list.begin(), list.end(), lowered) != list.end();
}

bool is_auxiliary(std::string_view word) {
  return one_of(word, {"is", "are", "was", "were", "can", "could", "should", "would", "will", "do", "does", "did",
                       "has", "have", "may", "might", "must", "shall"});
}

bool is_determiner(std::string_view word) {
  return one_of(word, {"the",  "a",     "an",    "your", "my",  "our",   "their", "his",  "her",  "its", "this",
                       "that", "these", "those", "some", "any", "every", "all",   "most", "many", "more"});
}

/// Words that open a topic in sentence case but are not names, so they may be lower-cased inside a sentence.
bool is_common_opener(std::string_view word) {
  return is_determiner(word) || is_auxiliary(word) ||
         one_of(word,
                {"best",      "top",    "new",      "simple",      "easy",      "quick",    "healthy",   "remote",
                 "modern",    "small",  "great",    "good",        "better",    "cheap",    "budget",    "home",
                 "daily",     "weekly", "everyday", "essential",   "ultimate",  "complete", "practical", "beginner",
                 "beginners", "common", "smart",    "sustainable", "effective", "first",    "why",       "how",
                 "what",      "when",   "where",    "which",       "who",       "you",      "we",        "they",
                 "it",        "people", "working",  "living",      "getting",   "making",   "building",  "learning",
                 "growing",   "saving", "cooking",  "running",     "writing",   "managing", "choosing",  "starting"});
}

/// Verbs a topic in the imperative mood starts with ("Learn Rust in 30 days").
bool is_imperative_verb(std::string_view word) {
  return one_of(word,
                {"learn",    "start",      "build",    "make",      "get",       "stop",    "choose",   "write",
                 "use",      "find",       "improve",  "master",    "create",    "cook",    "grow",     "plan",
                 "save",     "boost",      "train",    "run",       "keep",      "avoid",   "manage",   "reduce",
                 "increase", "understand", "prepare",  "organize",  "organise",  "design",  "set",      "turn",
                 "take",     "try",        "read",     "fix",       "clean",     "quit",    "switch",   "beat",
                 "lose",     "travel",     "invest",   "negotiate", "hire",      "launch",  "deploy",   "automate",
                 "migrate",  "scale",      "protect",  "secure",    "teach",     "raise",   "speak",    "apply",
                 "host",     "repair",     "brew",     "bake",      "declutter", "earn",    "sell",     "buy",
                 "rent",     "become",     "stay",     "practice",  "practise",  "explore", "discover", "craft",
                 "develop",  "optimize",   "optimise", "simplify",  "upgrade",   "replace", "measure",  "track",
                 "write",    "draw",       "paint",    "sing",      "swim",      "study",   "prevent",  "handle"});
}

/// Verbs that are likely the main verb after a question's subject ("How does compound interest work?").
bool is_common_verb(std::string_view word) {
  return is_imperative_verb(word) ||
         one_of(word, {"work",  "help",  "cause", "affect",  "matter", "mean",    "happen", "change", "need",
                       "want",  "cost",  "last",  "compare", "feel",   "look",    "sound",  "fit",    "hurt",
                       "live",  "sleep", "eat",   "drink",   "go",     "come",    "pay",    "see",    "know",
                       "think", "say",   "lead",  "differ",  "fail",   "succeed", "spread"});
}

bool is_number_word(std::string_view word) {
  if (!word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; })) return true;
  return one_of(word, {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                       "fifteen", "twenty", "fifty", "hundred"});
}

bool is_year(std::string_view word) {
  return word.size() == 4 && (word.starts_with("19") || word.starts_with("20")) &&
         std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool has_digit(const Words& words) {
  return std::any_of(words.begin(), words.end(), [](const std::string& w) {
    return std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
  });
}

Words split(std::string_view text) {
  const auto views = split_words(text);
  return Words(views.begin(), views.end());
}

std::string join(const Words& words, std::size_t from, std::size_t to = std::string::npos) {
  std::string out;
  for (std::size_t i = from; i < std::min(to, words.size()); ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}

/// A phrase whose first word is a common word written in sentence case ("The best ...") lower-cased for use inside
/// a sentence; names, acronyms and anything unknown keep the writer's spelling.
std::string inner_case(std::string phrase) {
  const Words words = split(phrase);
  if (words.empty()) return phrase;
  const std::string& first = words.front();
  const bool sentence_case = text::lower_first(first) == text::lower(first) && first != text::lower(first);
  if (sentence_case && is_common_opener(first) && first != "I") return text::lower_first(phrase);
  return phrase;
}

/// The third-person singular of a verb ("work" -> "works", "do" -> "does", "try" -> "tries").
std::string third_person(std::string_view verb) {
  const std::string word(verb);
  if (word == "have") return "has";
  if (word == "do" || word == "go") return word + "es";
  if (word.ends_with('s') || word.ends_with("sh") || word.ends_with("ch") || word.ends_with('x') ||
      word.ends_with('z') || word.ends_with('o')) {
    return word + "es";
  }
  if (word.size() > 1 && word.back() == 'y' &&
      std::string_view("aeiou").find(word[word.size() - 2]) == std::string_view::npos) {
    return word.substr(0, word.size() - 1) + "ies";
  }
  return word + "s";
}

/// A question's words after its auxiliary put in statement order: ("is", "coffee bad for you") -> "coffee is bad
/// for you"; ("does", "coffee help focus") -> "coffee helps focus". The subject is guessed: one word, a determiner
/// and its noun, or an adjective before a plural ("remote jobs").
std::string statement_order(std::string_view auxiliary, const Words& rest) {
  if (rest.empty()) return {};
  std::size_t subject = 1;
  if (is_determiner(rest[0]) && rest.size() > 2) subject = 2;
  if (subject < rest.size() - 1 && !rest[subject - 1].ends_with('s') && rest[subject].ends_with('s') &&
      rest[subject].size() > 3) {
    ++subject;
  }
  // After "do"/"does"/"did" the main verb is known by name more often than the subject: "does compound interest
  // work" has a two-word subject.
  if (one_of(auxiliary, {"do", "does", "did"})) {
    for (std::size_t i = 1; i < rest.size() && i <= 4; ++i) {
      if (is_common_verb(rest[i])) {
        subject = i;
        break;
      }
    }
  }
  subject = std::min(subject, rest.size());
  const std::string aux = text::lower(auxiliary);
  std::string out = inner_case(join(rest, 0, subject));
  if (subject == rest.size()) return out + (aux == "do" || aux == "does" || aux == "did" ? "" : " " + aux);
  if (aux == "do" || aux == "did") return out + " " + join(rest, subject);
  if (aux == "does") {
    Words predicate(rest.begin() + static_cast<std::ptrdiff_t>(subject), rest.end());
    predicate.front() = third_person(text::lower(predicate.front()));
    return out + " " + join(predicate, 0);
  }
  return out + " " + aux + " " + join(rest, subject);
}

/// "start running after 40" -> "starting running after 40": the verb becomes its "-ing" form, the rest is kept.
std::string gerund_phrase(const Words& words, std::size_t verb_at) {
  if (verb_at >= words.size()) return {};
  // Two "-ing" forms in a row read badly: "start running" is "taking up running", "stop procrastinating" is
  // "breaking the habit of procrastinating".
  if (one_of(words[verb_at], {"stop", "quit"}) && verb_at + 1 < words.size() && words[verb_at + 1].ends_with("ing")) {
    return "breaking the habit of " + join(words, verb_at + 1);
  }
  if (one_of(words[verb_at], {"start", "begin"}) && verb_at + 1 < words.size() && words[verb_at + 1].ends_with("ing")) {
    return "taking up " + join(words, verb_at + 1);
  }
  std::string out = gerund(text::lower(words[verb_at]));
  if (verb_at + 1 < words.size()) out += " " + join(words, verb_at + 1);
  return out;
}

/// Headline case for a phrase used inside a title: a leading "the" or "a" stays lower-case ("Guide to the Best ...").
std::string inner_title(std::string_view phrase) {
  const std::string framed = title_case("Of " + std::string(phrase));
  return framed.substr(3);
}

/// Whether a noun phrase is plural, judged by its head: the word before the first preposition, else the last word
/// ("the best budget laptops of 2026", "macOS keyboard shortcuts"). Gerund phrases are singular.
bool plural_phrase(std::string_view phrase) {
  const Words words = split(phrase);
  if (words.empty() || words.front().ends_with("ing")) return false;
  std::size_t head = words.size() - 1;
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (one_of(words[i], {"of", "for", "in", "on", "with", "at", "to", "from", "by", "after", "without", "under"})) {
      head = i - 1;
      break;
    }
  }
  const std::string word = text::lower(words[head]);
  return word.size() > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") &&
         !word.ends_with("is") && !word.ends_with("'s");
}

std::string headline_of(std::string_view core, bool question) {
  std::string headline = title_case(core);
  if (question) headline += '?';
  return headline;
}

} // namespace

std::string gerund(std::string_view verb) {
  std::string word = text::lower(verb);
  if (word.empty()) return word;
  if (word == "be" || word == "see" || word == "flee" || word == "agree") return word + "ing";
  if (word.ends_with("ie")) return word.substr(0, word.size() - 2) + "ying";
  if (word.ends_with("ee") || word.ends_with("ye") || word.ends_with("oe")) return word + "ing";
  if (word.size() > 2 && word.back() == 'e') return word.substr(0, word.size() - 1) + "ing";
  // Short verbs ending consonant-vowel-consonant double the last letter.
  if (one_of(word,
             {"run", "stop", "plan", "get",  "begin", "swim", "shop", "put",  "set", "cut",  "sit",  "quit", "win",
              "jog", "chat", "skip", "drop", "step",  "hit",  "dig",  "grab", "map", "ship", "prep", "trim", "beat"})) {
    if (word == "beat") return "beating";
    return word + word.back() + "ing";
  }
  return word + "ing";
}

std::string_view shape_name(TopicShape shape) {
  switch (shape) {
  case TopicShape::noun:
    return "noun";
  case TopicShape::numbered:
    return "numbered";
  case TopicShape::question:
    return "question";
  case TopicShape::how_to:
    return "how-to";
  case TopicShape::why:
    return "why";
  case TopicShape::list:
    return "list";
  case TopicShape::imperative:
    return "imperative";
  }
  return "noun";
}

TopicForms analyse_topic(std::string_view topic) {
  TopicForms forms;
  forms.given = collapse_spaces(topic);
  std::string core = forms.given;
  bool question = false;
  while (!core.empty() && (core.back() == '?' || core.back() == '.' || core.back() == '!' || core.back() == ' ')) {
    question = question || core.back() == '?';
    core.pop_back();
  }
  const Words words = split(core);
  if (words.empty()) {
    forms.given = forms.noun = "this topic";
    forms.headline = forms.noun_title = "This Topic";
    return forms;
  }
  const std::string first = text::lower(words[0]);
  const std::string second = words.size() > 1 ? text::lower(words[1]) : std::string();
  forms.headline = headline_of(core, question);

  if (first == "how" && second == "to" && words.size() >= 3) {
    forms.shape = TopicShape::how_to;
    forms.noun = gerund_phrase(words, 2);
  } else if (first == "how" && words.size() >= 4 && one_of(second, {"do", "can", "should", "could", "would"}) &&
             one_of(words[2], {"i", "you", "we", "one", "people", "beginners"})) {
    forms.shape = TopicShape::how_to;
    forms.noun = gerund_phrase(words, 3);
    forms.headline = headline_of(core, true);
  } else if (first == "why" && words.size() >= 2) {
    forms.shape = TopicShape::why;
    const Words rest(words.begin() + 1, words.end());
    forms.clause = is_auxiliary(rest[0]) && rest.size() >= 2
                       ? statement_order(rest[0], Words(rest.begin() + 1, rest.end()))
                       : inner_case(join(rest, 0));
    forms.noun = "the reasons " + forms.clause;
    if (is_auxiliary(rest[0])) forms.headline = headline_of(core, true); // "Why is sleep important" asks
    forms.clause_noun = true;
  } else if (is_auxiliary(first) && words.size() >= 2) {
    forms.shape = TopicShape::question;
    forms.noun = "the question of whether " + statement_order(words[0], Words(words.begin() + 1, words.end()));
    forms.headline = headline_of(core, true);
    forms.clause_noun = true;
  } else if (one_of(first, {"what", "which", "who", "when", "where", "how"}) &&
             (question ||
              (words.size() >= 3 && (is_auxiliary(second) || one_of(second, {"much", "many", "long", "often"}))))) {
    forms.shape = TopicShape::question;
    forms.headline = headline_of(core, true);
    forms.clause_noun = true;
    if (first == "what" && one_of(second, {"is", "are"}) && words.size() >= 3) {
      forms.noun = inner_case(join(words, 2)); // "What is machine learning?" is about machine learning
      forms.clause_noun = false;
    } else if (const auto aux =
                   std::find_if(words.begin() + 1, words.begin() + std::min<std::ptrdiff_t>(4, std::ssize(words)),
                                [](const std::string& w) { return is_auxiliary(w); });
               aux != words.end() && aux + 1 != words.end() && aux - words.begin() < 4) {
      // "Which language should I learn first?" -> "which language I should learn first".
      const Words prefix(words.begin(), aux);
      forms.noun =
          "the question of " + inner_case(join(prefix, 0)) + " " + statement_order(*aux, Words(aux + 1, words.end()));
    } else {
      forms.noun = "the question of " + inner_case(core); // "what makes a good manager"
    }
  } else if (question) {
    forms.shape = TopicShape::question;
    forms.noun = inner_case(core);
  } else if (is_number_word(words[0]) && !is_year(words[0]) && words.size() >= 3) {
    forms.shape = TopicShape::list;
    const std::string link = text::lower(words[2]);
    if (one_of(link, {"for", "on", "about", "of"}) && words.size() >= 4) {
      forms.noun = inner_case(join(words, 3)); // "10 tips for better sleep" is about better sleep
    } else if (link == "to" && words.size() >= 4) {
      forms.noun = gerund_phrase(words, 3); // "7 ways to save money" is about saving money
    } else {
      forms.noun = "the " + join(words, 1); // "5 mistakes new managers make" -> "the mistakes new managers make"
    }
  } else if (is_imperative_verb(first) && words.size() >= 2) {
    forms.shape = TopicShape::imperative;
    forms.noun = gerund_phrase(words, 0);
  } else {
    forms.shape = has_digit(words) ? TopicShape::numbered : TopicShape::noun;
    forms.noun = inner_case(core);
  }
  if (forms.noun.empty()) forms.noun = inner_case(core);
  forms.noun_title = inner_title(forms.noun);
  forms.plural = !forms.clause_noun && plural_phrase(forms.noun);
  return forms;
}

} // namespace blogen::gen::builtin
