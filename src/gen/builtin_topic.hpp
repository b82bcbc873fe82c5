#pragma once
// What kind of topic the writer was given ("How to start running after 40", "Is coffee bad for you?", "10 tips for
// better sleep", "Learn Rust in 30 days", "The best budget laptops of 2026", ...) and the forms it takes in a draft:
// a headline as the writer meant it, and a noun phrase that reads grammatically inside running sentences and frames
// ("... know about starting running after 40", "A Friendly Guide to Learning Rust in 30 Days").

#include <string>
#include <string_view>

namespace blogen::gen::builtin {

/// The shape of a topic, which decides the frames its title and headings may use.
enum class TopicShape {
  noun,       ///< "remote work productivity"
  numbered,   ///< a noun phrase with a year or number: "The best budget laptops of 2026"
  question,   ///< "Is coffee bad for you?", "What is machine learning?"
  how_to,     ///< "How to start running after 40", "How do I start a podcast?"
  why,        ///< "Why remote teams fail"
  list,       ///< "10 tips for better sleep"
  imperative, ///< "Learn Rust in 30 days"
};

/// The forms of one topic.
struct TopicForms {
  TopicShape shape = TopicShape::noun;
  std::string given; ///< the topic as written, spaces collapsed
  std::string
      headline;     ///< the topic as a headline, frame kept: "How to Start Running After 40", "Is Coffee Bad for You?"
  std::string noun; ///< a noun phrase for sentences: "starting running after 40", "the question of whether coffee is
                    ///< bad for you"
  std::string noun_title;   ///< the noun phrase in headline case for inside a title ("the Best Budget Laptops of 2026")
  std::string clause;       ///< why-topics: the reason clause ("remote teams fail"); empty otherwise
  bool clause_noun = false; ///< the noun phrase is a clause ("whether ...", "the reasons ..."): headings avoid it
  bool plural = false;      ///< the noun phrase is plural ("budget laptops"), so a verb after it agrees
};

/// Recognises the shape of a topic and builds its forms. The writer's capitalisation of names and acronyms is kept;
/// only a leading common word ("The", "Learn", "Is") changes case where the grammar needs it.
TopicForms analyse_topic(std::string_view topic);

/// The name of a shape, for tests and messages ("how-to", "question", ...).
std::string_view shape_name(TopicShape shape);

/// The "-ing" form of an English verb ("start" -> "starting", "make" -> "making", "run" -> "running").
std::string gerund(std::string_view verb);

} // namespace blogen::gen::builtin
