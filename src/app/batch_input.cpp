#include "posts_common.hpp"

#include <blogen/app/batch_input.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/core/csv.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/text_position.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <map>

namespace blogen::app {
namespace {

using text::lower;
using text::trim;

constexpr std::array<std::string_view, 6> k_columns{"topic",           "brief",      "tone",
                                                    "target_audience", "brand_name", "platform"};

// Where a row came from, for error messages: "posts.csv:4" or "posts.json:5:3" (or "--topic" for the command line).
struct Location {
  std::string prefix;
  ErrorCode code = ErrorCode::bad_input;
  [[noreturn]] void fail(std::string_view field, std::string_view message) const {
    throw Error(code, fmt::format("{}: {}: {}", prefix, field, message));
  }
};

std::string check_text(const Location& where, std::string_view field, std::string_view value, std::size_t max_chars,
                       bool single_line) {
  if (const std::string problem = text::text_problem(value); !problem.empty()) where.fail(field, problem);
  std::string trimmed(trim(value));
  if (text::utf8_length(trimmed) > max_chars) where.fail(field, fmt::format("is longer than {} characters", max_chars));
  if (single_line && trimmed.find_first_of("\r\n") != std::string::npos) where.fail(field, "must be a single line");
  return trimmed;
}

std::string check_choice(const Location& where, std::string_view field, std::string_view value,
                         const std::vector<std::string>& choices) {
  std::string chosen = lower(trim(value));
  if (chosen.empty()) return chosen;
  if (std::find(choices.begin(), choices.end(), chosen) == choices.end()) {
    where.fail(field, fmt::format("unknown {} '{}'; use one of: {}", field, trim(value), fmt::join(choices, ", ")));
  }
  return chosen;
}

// Checks one row's raw values (by column name) into a BatchRow.
BatchRow check_row(const Location& where, const std::map<std::string, std::string>& values) {
  BatchRow row;
  const auto value = [&](std::string_view name) {
    auto it = values.find(std::string(name));
    return it == values.end() ? std::string() : it->second;
  };
  row.topic = check_text(where, "topic", value("topic"), k_max_topic_chars, true);
  if (row.topic.empty()) where.fail("topic", "is empty (every row needs a topic)");
  row.brief = check_text(where, "brief", value("brief"), k_max_brief_chars, false);
  row.tone = check_choice(where, "tone", value("tone"), post_tones());
  row.target_audience = check_text(where, "target_audience", value("target_audience"), k_max_brand_chars, true);
  row.brand_name = check_text(where, "brand_name", value("brand_name"), k_max_brand_chars, true);
  row.platform = check_choice(where, "platform", value("platform"), social_platforms());
  return row;
}

bool known_column(std::string_view name) {
  return std::find(k_columns.begin(), k_columns.end(), name) != k_columns.end();
}

[[noreturn]] void unknown_columns(std::string_view prefix, const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  quoted.reserve(names.size());
  for (const auto& name : names)
    quoted.push_back("'" + name + "'");
  throw Error(ErrorCode::bad_input,
              fmt::format("{}: unknown column{} {}; the columns are: {}", prefix, names.size() == 1 ? "" : "s",
                          fmt::join(quoted, ", "), fmt::join(k_columns, ", ")));
}

void check_row_count(std::string_view source, std::size_t rows) {
  if (rows == 0) {
    throw Error(ErrorCode::bad_input, fmt::format("{}: no rows (a batch needs at least one row with a topic)", source));
  }
  if (rows > k_max_batch_rows) {
    throw Error(ErrorCode::bad_input,
                fmt::format("{}: {} rows; a batch holds at most {}", source, rows, k_max_batch_rows));
  }
}

std::vector<BatchRow> parse_csv_rows(std::string_view text, std::string_view source) {
  const std::vector<csv::Record> records = csv::parse(text, source);
  if (records.empty()) {
    throw Error(
        ErrorCode::bad_input,
        fmt::format("{}: the file is empty; it needs a header row (topic,brief,...) and at least one row", source));
  }
  const csv::Record& header = records.front();
  std::vector<std::string> names;
  std::vector<std::string> unknown;
  for (const auto& raw : header.fields) {
    if (const std::string problem = text::text_problem(raw); !problem.empty()) {
      throw Error(ErrorCode::bad_input, fmt::format("{}:{}: a column name {}", source, header.line, problem));
    }
    std::string name = lower(trim(raw));
    if (!known_column(name)) {
      unknown.emplace_back(trim(raw));
    } else if (std::find(names.begin(), names.end(), name) != names.end()) {
      throw Error(ErrorCode::bad_input, fmt::format("{}:{}: column '{}' appears twice", source, header.line, name));
    }
    names.push_back(std::move(name));
  }
  if (!unknown.empty()) unknown_columns(fmt::format("{}:{}", source, header.line), unknown);
  if (std::find(names.begin(), names.end(), "topic") == names.end()) {
    throw Error(ErrorCode::bad_input,
                fmt::format("{}:{}: the header has no 'topic' column (the first row must name the columns: {})", source,
                            header.line, fmt::join(k_columns, ",")));
  }
  check_row_count(source, records.size() - 1);

  std::vector<BatchRow> rows;
  rows.reserve(records.size() - 1);
  for (std::size_t r = 1; r < records.size(); ++r) {
    const csv::Record& record = records[r];
    const Location where{fmt::format("{}:{}", source, record.line)};
    if (record.fields.size() != names.size()) {
      throw Error(ErrorCode::bad_input,
                  fmt::format("{}: {} field{}, but the header has {}", where.prefix, record.fields.size(),
                              record.fields.size() == 1 ? "" : "s", names.size()));
    }
    std::map<std::string, std::string> values;
    for (std::size_t c = 0; c < names.size(); ++c)
      values[names[c]] = record.fields[c];
    BatchRow row = check_row(where, values);
    row.line = record.line;
    rows.push_back(std::move(row));
  }
  return rows;
}

// One character inside a JSON string: tracks a backslash escape; true when `c` is the closing quote.
bool ends_string(char c, bool& escaped) {
  if (escaped) {
    escaped = false;
  } else if (c == '\\') {
    escaped = true;
  } else if (c == '"') {
    return true;
  }
  return false;
}

// Byte offsets where the elements of the top-level array start. Runs on text nlohmann already accepted, so it only
// needs to skip strings and count nesting.
std::vector<std::size_t> element_offsets(std::string_view text) {
  std::vector<std::size_t> offsets;
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  bool expecting = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      in_string = !ends_string(c, escaped);
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c == ',' && depth == 1) {
      expecting = true;
      continue;
    }
    if (c == ']' || c == '}') {
      --depth;
      continue;
    }
    if (depth == 1 && expecting) {
      offsets.push_back(i);
      expecting = false;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
      if (depth == 1) expecting = true;
    }
  }
  return offsets;
}

// The name of the member whose string value holds byte `offset` of a JSON text ("topic"), or empty when that byte
// is elsewhere (in a member name, say). Used before parsing, so it only follows strings, colons and separators.
std::string json_member_at(std::string_view text, std::size_t offset) {
  std::string_view last_string;
  std::string_view member;
  bool in_string = false;
  bool escaped = false;
  bool in_value = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (ends_string(c, escaped)) {
        in_string = false;
        last_string = text.substr(start, i - start);
      }
    } else if (c == '"') {
      in_string = true;
      start = i + 1;
    } else if (c == ':') {
      member = last_string;
      in_value = true;
    } else if (c == ',' || c == '{' || c == '[' || c == '}' || c == ']') {
      in_value = false;
    }
  }
  return in_string && in_value ? std::string(member) : std::string();
}

// Invalid UTF-8 would make the JSON parser fail with its own words; named here by position and member instead.
void require_utf8_json(std::string_view text, std::string_view source) {
  const std::size_t at = text::invalid_utf8_offset(text);
  if (at == std::string_view::npos) return;
  const std::string member = json_member_at(text, at);
  require_utf8(text, source, member.empty() ? "a string" : member);
}

std::string parse_error_reason(const nlohmann::json::parse_error& e) {
  const std::string message = e.what();
  const auto colon = message.find(": ");
  return colon == std::string::npos ? message : message.substr(colon + 2);
}

std::vector<BatchRow> parse_json_rows(std::string_view text, std::string_view source) {
  if (trim(text).empty() || trim(text) == "\xEF\xBB\xBF") {
    throw Error(ErrorCode::bad_input,
                fmt::format("{}: the file is empty; it needs a JSON array of objects with a \"topic\"", source));
  }
  require_utf8_json(text, source);
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // `byte` is the 1-based position of the last character read: the one that broke the document.
    const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    const TextPosition at = text_position(text, offset);
    throw Error(ErrorCode::bad_input,
                fmt::format("{}:{}:{}: invalid JSON: {}", source, at.line, at.column, parse_error_reason(e)));
  } catch (const nlohmann::json::out_of_range&) {
    // The parser reports a number beyond a double's range (1e999) as out_of_range, without a position; found by
    // the batch JSON fuzzer, where it escaped as an unexpected exception.
    throw Error(ErrorCode::bad_input,
                fmt::format("{}: invalid JSON: a number is too large (beyond about 1.8e308)", source));
  }
  if (!document.is_array()) {
    throw Error(ErrorCode::bad_input,
                fmt::format("{}:1:1: expected a JSON array of objects ([{{\"topic\": \"...\"}}, ...]), found {}",
                            source, document.type_name()));
  }
  check_row_count(source, document.size());
  const std::vector<std::size_t> offsets = element_offsets(text);

  std::vector<BatchRow> rows;
  rows.reserve(document.size());
  for (std::size_t i = 0; i < document.size(); ++i) {
    const TextPosition at = text_position(text, i < offsets.size() ? offsets[i] : 0);
    const Location where{fmt::format("{}:{}:{}", source, at.line, at.column)};
    const nlohmann::json& element = document[i];
    if (!element.is_object()) {
      throw Error(ErrorCode::bad_input, fmt::format("{}: row {} is {}, not an object with a \"topic\"", where.prefix,
                                                    i + 1, element.type_name()));
    }
    std::vector<std::string> unknown;
    std::map<std::string, std::string> values;
    for (const auto& [key, value] : element.items()) {
      if (!known_column(key)) {
        unknown.push_back(key);
        continue;
      }
      if (value.is_null()) continue;
      if (!value.is_string()) where.fail(key, fmt::format("must be a string, found {}", value.type_name()));
      values[key] = value.get<std::string>();
    }
    if (!unknown.empty()) unknown_columns(where.prefix, unknown);
    BatchRow row = check_row(where, values);
    row.line = at.line;
    row.column = at.column;
    rows.push_back(std::move(row));
  }
  return rows;
}

// The first `max_chars` characters of UTF-8 text, never splitting a character.
std::string truncate_chars(std::string_view text, std::size_t max_chars) {
  std::size_t cut = 0;
  std::size_t chars = 0;
  while (cut < text.size() && chars < max_chars) {
    ++cut;
    while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      ++cut;
    ++chars;
  }
  return std::string(trim(text.substr(0, cut)));
}

// The first sentence of a description, short enough to sit inside a topic.
std::string first_sentence(std::string_view text, std::size_t max_chars) {
  std::string sentence(trim(text));
  const auto end = sentence.find_first_of(".!?\n");
  if (end != std::string::npos) sentence = trim(sentence.substr(0, end));
  return truncate_chars(sentence, max_chars);
}

} // namespace

const std::vector<std::string>& social_platforms() {
  static const std::vector<std::string> k_platforms{"twitter", "linkedin", "instagram", "generic"};
  return k_platforms;
}

std::optional<InputFormat> format_from_extension(std::string_view path) {
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string extension = lower(path.substr(dot + 1));
  if (extension == "csv") return InputFormat::csv;
  if (extension == "json") return InputFormat::json;
  return std::nullopt;
}

InputFormat sniff_format(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '[' || c == '{' ? InputFormat::json : InputFormat::csv;
  }
  return InputFormat::csv;
}

std::vector<BatchRow> parse_batch_input(std::string_view text, InputFormat format, std::string_view source) {
  return format == InputFormat::csv ? parse_csv_rows(text, source) : parse_json_rows(text, source);
}

std::vector<BatchRow> rows_from_topics(const std::vector<std::string>& topics) {
  check_row_count("--topic", topics.size());
  std::vector<BatchRow> rows;
  rows.reserve(topics.size());
  for (const auto& topic : topics) {
    const Location where{"--topic", ErrorCode::usage};
    std::map<std::string, std::string> values{{"topic", topic}};
    rows.push_back(check_row(where, values));
  }
  return rows;
}

std::vector<std::string> derive_topics(const CampaignFacts& campaign, int count) {
  const std::string brand(trim(campaign.brand));
  const std::string audience(trim(campaign.audience).empty() ? "our community" : trim(campaign.audience));
  const std::string about = first_sentence(campaign.description, 160);
  const std::vector<std::string> angles{
      about.empty() ? fmt::format("Introducing {}", brand) : fmt::format("Introducing {}: {}", brand, about),
      fmt::format("Why {} choose {}", audience, brand),
      fmt::format("Three quick tips for {} from {}", audience, brand),
      fmt::format("Behind the scenes at {}", brand),
      fmt::format("A question {} often ask {}, answered", audience, brand),
      fmt::format("How {} fits into a busy day for {}", brand, audience),
      fmt::format("What makes {} different", brand),
      fmt::format("A customer story: {} in real life", brand),
      about.empty() ? fmt::format("Myth vs fact about {}", brand) : fmt::format("Myth vs fact: {}", about),
      fmt::format("This week at {}: what is new", brand),
      fmt::format("{} by the numbers", brand),
      fmt::format("Join the {} community: an invitation to {}", brand, audience),
  };
  std::vector<std::string> topics;
  topics.reserve(static_cast<std::size_t>(std::max(count, 0)));
  for (int i = 0; i < count; ++i) {
    const auto round = static_cast<std::size_t>(i) / angles.size();
    std::string topic = angles[static_cast<std::size_t>(i) % angles.size()];
    if (round > 0) topic += fmt::format(" (take {})", round + 1);
    topics.push_back(truncate_chars(topic, k_max_topic_chars));
  }
  return topics;
}

} // namespace blogen::app
