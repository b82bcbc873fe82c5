#pragma once
// Small text helpers shared by the builtin writer and caption writer: casing, joining, slots, tags.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::gen::builtin {

/// The whitespace-separated words of a text (views into it).
std::vector<std::string_view> split_words(std::string_view text);
/// Runs of whitespace (including newlines) collapsed to single spaces, trimmed.
std::string collapse_spaces(std::string_view text);
/// The first letter upper-cased, unless the first word is deliberately mixed-case ("iPhone", "eBay").
std::string capitalize_first(std::string_view text);
/// Headline case: major words capitalised, short function words ("of", "and") kept lower except first/last.
std::string title_case(std::string_view text);
/// "a", "a and b", "a, b and c".
std::string join_with_and(const std::vector<std::string>& items);
/// The words of a text that carry meaning (no "the", "of", "how", ...), punctuation stripped, original case.
std::vector<std::string> significant_words(std::string_view text);
/// A hashtag body in CamelCase from words ("remote work" -> "RemoteWork", "Café Müller" -> "CaféMüller"): letters
/// and digits of any script, at most `max_length` code points; empty when no letter remains.
std::string camel_case_tag(std::string_view words, std::size_t max_length = 28);
/// A topic from a writer's raw prompt: the request phrasing ("write a blog post about") and trailing
/// instructions dropped, at most `max_words` words.
std::string topic_from_prompt(std::string_view prompt, std::size_t max_words = 8);
/// A sentence from free text: trimmed, capitalised, ending in '.', '!' or '?'.
std::string as_sentence(std::string_view text);
/// Replaces `{slot}` markers with values; unknown slots are left as they are (banks are tested to use known ones).
std::string fill_slots(std::string_view pattern, const std::map<std::string, std::string, std::less<>>& values);

} // namespace blogen::gen::builtin
