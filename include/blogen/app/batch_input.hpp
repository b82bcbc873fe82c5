#pragma once
// The rows of a batch: read from a CSV or JSON file (or stdin), from topics given on the command line, or derived
// from the campaign. Every row is checked before anything is written: one bad row rejects the whole input with an
// Error{bad_input} that names the file, the line (and column for JSON) and the field.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::app {

/// Most rows one batch may have.
constexpr std::size_t k_max_batch_rows = 50'000;
/// Longest free-text brief of a row, in characters.
constexpr std::size_t k_max_brief_chars = 5'000;
/// Longest brand or audience, in characters.
constexpr std::size_t k_max_brand_chars = 255;

/// One row of a batch as given; an empty optional field takes the campaign's (or `--platform`'s) value.
struct BatchRow {
  int line = 0;   ///< where the row starts in its file (0 for rows not read from a file)
  int column = 0; ///< JSON only: where the row's object starts
  std::string topic;
  std::string brief;
  std::string tone;
  std::string target_audience;
  std::string brand_name;
  std::string platform;
};

/// The formats a batch file can have.
enum class InputFormat { csv, json };

/// The platforms a social post can be written for (`--platform`, the `platform` column), the last being the default.
const std::vector<std::string>& social_platforms();

/// The format named by a file's extension (.csv, .json, any letter case), or nullopt.
std::optional<InputFormat> format_from_extension(std::string_view path);
/// The format of text read from stdin: JSON when its first non-blank character (after a BOM) is `[` or `{`.
InputFormat sniff_format(std::string_view text);

/// Parses and checks batch input. `source` names it in errors ("posts.csv", "stdin"). CSV needs a header row
/// naming its columns; JSON is an array of objects with string values. Columns/keys: topic (required), brief,
/// tone, target_audience, brand_name, platform; anything else is an error naming it. Tones are checked against
/// post_tones(), platforms against social_platforms(); lengths as for posts. Returns the rows trimmed and with
/// tone and platform lower-cased.
std::vector<BatchRow> parse_batch_input(std::string_view text, InputFormat format, std::string_view source);

/// Rows for topics given on the command line (`--topic`), checked like file rows (errors name `--topic`; usage).
std::vector<BatchRow> rows_from_topics(const std::vector<std::string>& topics);

/// What a campaign says about itself, for deriving topics.
struct CampaignFacts {
  std::string brand;
  std::string audience;
  std::string description;
};

/// `count` topics derived from a campaign: a fixed, ordered list of angles on the brand, its description and its
/// audience, numbered once the list repeats. The same campaign and count always give the same topics.
std::vector<std::string> derive_topics(const CampaignFacts& campaign, int count);

} // namespace blogen::app
