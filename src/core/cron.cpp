#include "zone_rules.hpp"

#include <blogen/core/cron.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/text.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <span>
#include <utility>

namespace blogen {

namespace {

/// One field of a cron expression: its name for messages, its range, and its names (JAN, MON) if it has any.
struct Field {
  std::string_view name;
  int low;
  int high;      ///< highest value accepted (7 for day-of-week, which is Sunday again)
  int star_high; ///< highest value `*` covers (6 for day-of-week, so Sunday is not counted twice)
  std::span<const std::string_view> names{}; ///< names of consecutive values, e.g. JAN for 1
  int first_name_value = 0;
};

constexpr std::array<std::string_view, 12> month_names{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> day_names{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

constexpr Field minute_field{"minute", 0, 59, 59};
constexpr Field hour_field{"hour", 0, 23, 23};
constexpr Field day_of_month_field{"day-of-month", 1, 31, 31};
constexpr Field month_field{"month", 1, 12, 12, month_names, 1};
constexpr Field day_of_week_field{"day-of-week", 0, 7, 6, day_names, 0};

using Mask = std::uint64_t; // one bit per value; every field fits in 60 bits

/// Compares ASCII text ignoring case: names (JAN, mon) and macros (@Daily) are accepted in any case.
bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return blogen::text::lower(a) == blogen::text::lower(b);
}

// A day field written `*` or `*/n` leaves the day to the other day field (cron's OR rule applies only when both are
// restricted). A list such as `*/10,5` counts as restricted: to_string() writes the days out, and the text it writes
// must mean the same schedule when parsed again.
bool is_unrestricted(std::string_view field) {
  return field.front() == '*' && field.find(',') == std::string_view::npos;
}

Mask bit(int value) { return Mask{1} << value; }

Mask range_mask(int low, int high, int step) {
  Mask mask = 0;
  for (int value = low; value <= high; value += step)
    mask |= bit(value);
  return mask;
}

/// Parses one field, throwing bad_input with `prefix` (flag and expression) and the field's name.
class FieldParser {
public:
  FieldParser(const Field& field, std::string prefix) : m_field(field), m_prefix(std::move(prefix)) {}

  Mask parse(std::string_view text) const {
    Mask mask = 0;
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = text.find(',', start);
      const std::string_view item =
          text.substr(start, comma == std::string_view::npos ? text.size() - start : comma - start);
      if (item.empty()) fail("empty item in list \"" + std::string(text) + "\"");
      mask |= parse_item(item);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (m_field.high == 7 && (mask & bit(7)) != 0) mask = (mask & ~bit(7)) | bit(0); // 7 is Sunday, like 0
    return mask;
  }

private:
  [[noreturn]] void fail(const std::string& message) const {
    throw Error(ErrorCode::bad_input, m_prefix + std::string(m_field.name) + ": " + message);
  }

  Mask parse_item(std::string_view item) const {
    const std::size_t slash = item.find('/');
    const std::string_view base = item.substr(0, slash);
    int step = 1;
    if (slash != std::string_view::npos) {
      const std::string_view step_text = item.substr(slash + 1);
      step = parse_number(step_text, item);
      if (step < 1) fail("step " + std::string(step_text) + " in \"" + std::string(item) + "\" must be 1 or more");
    }
    if (base == "*") return range_mask(m_field.low, m_field.star_high, step);
    const std::size_t dash = base.find('-');
    const int first = parse_value(base.substr(0, dash), item);
    int last = first;
    if (dash != std::string_view::npos) {
      last = parse_value(base.substr(dash + 1), item);
    } else if (slash != std::string_view::npos) {
      last = m_field.star_high; // `5/20`: from 5 to the end of the field
    }
    if (m_field.high == 7 && last == 0 && first > 0) last = 7; // FRI-SUN: Sunday closes the week
    if (first > last) fail("range " + std::string(base) + " runs backwards (write the smaller value first)");
    return range_mask(first, last, step);
  }

  int parse_value(std::string_view text, std::string_view item) const {
    if (text.empty()) fail("missing value in \"" + std::string(item) + "\"");
    if (std::isalpha(static_cast<unsigned char>(text.front())) != 0) return parse_name(text);
    const int value = parse_number(text, text);
    if (value < m_field.low || value > m_field.high)
      fail(std::string(text) + " is out of range " + std::to_string(m_field.low) + "-" + std::to_string(m_field.high));
    return value;
  }

  int parse_number(std::string_view text, std::string_view item) const {
    if (text.empty() || text.size() > 9) fail("\"" + std::string(item) + "\" is not a number");
    int value = 0;
    for (const char c : text) {
      if (c < '0' || c > '9') fail("\"" + std::string(item) + "\" is not a number");
      value = value * 10 + (c - '0');
    }
    return value;
  }

  int parse_name(std::string_view text) const {
    for (std::size_t i = 0; i < m_field.names.size(); ++i)
      if (equal_ignoring_case(m_field.names[i], text)) return m_field.first_name_value + static_cast<int>(i);
    std::string hint = "use " + std::to_string(m_field.low) + "-" + std::to_string(m_field.high);
    if (!m_field.names.empty())
      hint += " or " + std::string(m_field.names.front()) + "-" + std::string(m_field.names.back());
    fail("\"" + std::string(text) + "\" is not a " + std::string(m_field.name) + " (" + hint + ")");
  }

  const Field& m_field;
  std::string m_prefix;
};

struct CronMacro {
  std::string_view name, expansion;
};

/// The macros and their expansions: parsing and completion read this one table.
constexpr std::array<CronMacro, 7> k_cron_macros{{{"@hourly", "0 * * * *"},
                                                  {"@daily", "0 0 * * *"},
                                                  {"@midnight", "0 0 * * *"},
                                                  {"@weekly", "0 0 * * 0"},
                                                  {"@monthly", "0 0 1 * *"},
                                                  {"@yearly", "0 0 1 1 *"},
                                                  {"@annually", "0 0 1 1 *"}}};

/// The expansion of a macro, or empty when `name` is not one.
std::string_view expand_macro(std::string_view name) {
  for (const CronMacro& macro : k_cron_macros)
    if (equal_ignoring_case(macro.name, name)) return macro.expansion;
  return {};
}

std::vector<std::string_view> split_blanks(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (blogen::text::is_space(text[pos])) {
      ++pos;
      continue;
    }
    const std::size_t start = pos;
    while (pos < text.size() && !blogen::text::is_space(text[pos]))
      ++pos;
    words.push_back(text.substr(start, pos - start));
  }
  return words;
}

/// Writes one field back: `*`, `*/n`, or a list of values and ranges. A day field that did not start with `*` is
/// never written with one, so parsing the text again gives the same day rule.
std::string format_field(Mask mask, const Field& field, bool star_allowed) {
  if (star_allowed) {
    for (int step = 1; step <= field.star_high - field.low; ++step)
      if (mask == range_mask(field.low, field.star_high, step)) return step == 1 ? "*" : "*/" + std::to_string(step);
  }
  std::string text;
  for (int value = field.low; value <= field.star_high; ++value) {
    if ((mask & bit(value)) == 0) continue;
    int last = value;
    while (last < field.star_high && (mask & bit(last + 1)) != 0)
      ++last;
    if (!text.empty()) text += ',';
    text += std::to_string(value);
    if (last > value + 1) {
      text += '-' + std::to_string(last);
      value = last;
    }
  }
  return text;
}

} // namespace

CronSpec parse_cron(std::string_view expression, std::string_view flag) {
  const std::string prefix = std::string(flag) + " \"" + std::string(expression) + "\": ";
  std::vector<std::string_view> fields = split_blanks(expression);
  if (fields.size() == 1 && fields[0].front() == '@') {
    const std::string_view expansion = expand_macro(fields[0]);
    if (expansion.empty()) {
      throw Error(ErrorCode::bad_input,
                  prefix + "unknown macro " + std::string(fields[0]) +
                      " (use @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually)");
    }
    fields = split_blanks(expansion);
  }
  if (fields.size() != 5) {
    throw Error(ErrorCode::bad_input, prefix +
                                          "expected 5 fields (minute hour day-of-month month day-of-week), found " +
                                          std::to_string(fields.size()));
  }
  CronSpec spec;
  spec.minutes = FieldParser(minute_field, prefix).parse(fields[0]);
  spec.hours = FieldParser(hour_field, prefix).parse(fields[1]);
  spec.days_of_month = FieldParser(day_of_month_field, prefix).parse(fields[2]);
  spec.months = FieldParser(month_field, prefix).parse(fields[3]);
  spec.days_of_week = FieldParser(day_of_week_field, prefix).parse(fields[4]);
  spec.day_of_month_star = is_unrestricted(fields[2]);
  spec.day_of_week_star = is_unrestricted(fields[4]);
  return spec;
}

std::vector<std::string> cron_macro_names() {
  std::vector<std::string> names;
  names.reserve(k_cron_macros.size());
  for (const CronMacro& macro : k_cron_macros)
    names.emplace_back(macro.name);
  return names;
}

std::string to_string(const CronSpec& spec) {
  return format_field(spec.minutes.to_ullong(), minute_field, true) + ' ' +
         format_field(spec.hours.to_ullong(), hour_field, true) + ' ' +
         format_field(spec.days_of_month.to_ullong(), day_of_month_field, spec.day_of_month_star) + ' ' +
         format_field(spec.months.to_ullong(), month_field, true) + ' ' +
         format_field(spec.days_of_week.to_ullong(), day_of_week_field, spec.day_of_week_star);
}

namespace {

using LocalMinutes = date::local_time<std::chrono::minutes>;

/// How far ahead a search looks before it answers "never" (see cron.hpp).
constexpr date::days search_horizon{50 * 366};

bool day_matches(const CronSpec& spec, date::local_days day) {
  const date::year_month_day ymd{day};
  const bool day_of_month = spec.days_of_month[static_cast<unsigned>(ymd.day())];
  const bool day_of_week = spec.days_of_week[date::weekday{day}.c_encoding()];
  if (spec.day_of_month_star || spec.day_of_week_star) return day_of_month && day_of_week;
  return day_of_month || day_of_week;
}

/// The first local minute at or after `start` that the spec matches, jumping whole months, days and hours that cannot
/// match; nullopt when none comes before `horizon`.
std::optional<LocalMinutes> next_matching_minute(const CronSpec& spec, LocalMinutes start, date::local_days horizon) {
  date::local_days day = std::chrono::floor<date::days>(start);
  auto minute_of_day = static_cast<int>((start - day).count());
  while (day < horizon) {
    const date::year_month_day ymd{day};
    if (!spec.months[static_cast<unsigned>(ymd.month())]) {
      day = date::local_days{(date::year_month{ymd.year(), ymd.month()} + date::months{1}) / 1};
      minute_of_day = 0;
      continue;
    }
    if (day_matches(spec, day)) {
      for (int hour = minute_of_day / 60, minute = minute_of_day % 60; hour < 24; ++hour, minute = 0) {
        if (!spec.hours[static_cast<std::size_t>(hour)]) continue;
        for (; minute < 60; ++minute) {
          if (spec.minutes[static_cast<std::size_t>(minute)])
            return day + std::chrono::hours{hour} + std::chrono::minutes{minute};
        }
      }
    }
    day += date::days{1};
    minute_of_day = 0;
  }
  return std::nullopt;
}

std::optional<TimestampMs> next_in_zone(const CronSpec& spec, const date::time_zone& zone, TimestampMs after,
                                        date::local_days horizon) {
  using namespace std::chrono;
  const sys_time<milliseconds> after_instant{milliseconds{after}};
  LocalMinutes candidate = floor<minutes>(zone.to_local(floor<seconds>(after_instant)));
  // Local times map to instants in order, so the answer is the first matching local time whose instant is later
  // than `after`. The few skipped are the rest of a gap (already fired at its end) or a second pass after fall back.
  while (const auto local = next_matching_minute(spec, candidate, horizon)) {
    const sys_seconds instant = zone_rules::to_instant(zone, *local);
    if (instant > after_instant) return duration_cast<milliseconds>(instant.time_since_epoch()).count();
    candidate = *local + minutes{1};
  }
  return std::nullopt;
}

date::local_days local_day_of(const date::time_zone& zone, TimestampMs ms) {
  using namespace std::chrono;
  return floor<date::days>(zone.to_local(floor<seconds>(sys_time<milliseconds>{milliseconds{ms}})));
}

} // namespace

std::optional<TimestampMs> next_occurrence(const CronSpec& spec, const std::string& tz, TimestampMs after) {
  const date::time_zone* zone = zone_rules::find_zone(tz);
  return next_in_zone(spec, *zone, after, local_day_of(*zone, after) + search_horizon);
}

std::vector<TimestampMs> occurrences_between(const CronSpec& spec, const std::string& tz, TimestampMs from,
                                             TimestampMs to, std::size_t limit) {
  const date::time_zone* zone = zone_rules::find_zone(tz);
  // Searching past `to` is pointless: stop a day after it in local time (or at the usual horizon if sooner).
  const date::local_days horizon =
      std::min(local_day_of(*zone, from) + search_horizon, local_day_of(*zone, to) + date::days{2});
  std::vector<TimestampMs> found;
  TimestampMs after = from;
  while (found.size() < limit) {
    const auto next = next_in_zone(spec, *zone, after, horizon);
    if (!next || *next > to) break;
    found.push_back(*next);
    after = *next;
  }
  return found;
}

} // namespace blogen
