#pragma once
// Cron expressions for `schedule add --cron`, evaluated in a schedule's time zone.
//
// Syntax: five fields separated by blanks, `minute hour day-of-month month day-of-week`.
//   minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 0-7 or SUN-SAT (0 and 7 are Sunday).
//   Names are case-insensitive. Each field is a comma-separated list of items; an item is
//     `*`        every value              `5`        one value             `MON-FRI`  a range (inclusive)
//     `*/15`     every 15th from the start `1-10/2`   every 2nd in a range  `5/20`     every 20th from 5 to the end
//   `*/n` counts from the field's first value (`*/5` in day-of-month is 1,6,11,...). A range is written low-high;
//   in day-of-week it may end on Sunday (`FRI-SUN`). An invalid expression is a bad-input error (exit 6) naming the
//   field and the value, e.g. `--cron "61 * * * *": minute: 61 is out of range 0-59`.
//   Macros replace the whole expression: @hourly `0 * * * *`, @daily and @midnight `0 0 * * *`, @weekly `0 0 * * 0`,
//   @monthly `0 0 1 * *`, @yearly and @annually `0 0 1 1 *`.
// Day rule (as in cron(8)): when both day-of-month and day-of-week are restricted (neither starts with `*`), a day
//   matches when EITHER matches: `0 9 1 * MON` runs on the 1st and on every Monday. When one of them starts with `*`
//   (`*` or `*/n`, not a list such as `*/10,5`), a day must match both, so with a plain `*` only the other counts.
// Time zone: the expression is matched against wall-clock time in the schedule's IANA zone; instants are UTC.
// DST: a matching local time that does not exist (the clock springs forward over it) fires once, at the first valid
//   instant after the gap: `30 2 * * *` in Europe/Berlin fires at 03:00 CEST (01:00Z) on 2026-03-29. Several matching
//   times inside one gap (`*/15 2 * * *`) fire once together. A matching local time that happens twice (the clock falls
//   back over it) fires once, at the first, earlier instant: `30 2 * * *` fires at 02:30 CEST (00:30Z) on 2026-10-25,
//   not again at 02:30 CET. So an interval expression (`*/30 * * * *`) pauses during the repeated hour: its local
//   times already ran once in summer time.
// Never: an expression that matches no day within 50 years of the start (`0 0 30 2 *`, February 30) has no next
//   occurrence. The bound keeps the search finite; a satisfiable expression always recurs well within it (the longest
//   real wait, a February 29 on a given weekday when one day field starts with `*`, is 40 years).

#include <blogen/core/clock.hpp>

#include <bitset>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen {

/// A parsed cron expression: one bit per allowed value of each field. A value type; compare with ==.
struct CronSpec {
  std::bitset<60> minutes;        ///< bit m: minute m
  std::bitset<24> hours;          ///< bit h: hour h
  std::bitset<32> days_of_month;  ///< bit d: day d (bit 0 unused)
  std::bitset<13> months;         ///< bit m: month m, 1 = January (bit 0 unused)
  std::bitset<7> days_of_week;    ///< bit d: 0 = Sunday ... 6 = Saturday (7 is folded onto 0)
  bool day_of_month_star = false; ///< the field started with `*`: see the day rule above
  bool day_of_week_star = false;  ///< the field started with `*`: see the day rule above

  bool operator==(const CronSpec&) const = default;
};

/// Parses a 5-field expression or a macro. Throws bad_input Error naming `flag`, the expression, the field and the
/// value, e.g. `--cron "61 * * * *": minute: 61 is out of range 0-59`.
CronSpec parse_cron(std::string_view expression, std::string_view flag = "--cron");

/// The macros parse_cron accepts (`@hourly`, `@daily`, ...), for completion.
std::vector<std::string> cron_macro_names();

/// The normalised expression for display and storage, e.g. `*/15 9-17 * * 1-5`; parse_cron gives the same spec back.
std::string to_string(const CronSpec& spec);

/// The first occurrence strictly after `after` (UTC ms) of `spec` in zone `tz`, in UTC ms, following the DST rules
/// above; nullopt when there is none within 50 years. Jumps by month, day, hour and minute, so it is cheap.
/// Throws bad_input Error naming `--tz` for an unknown zone.
std::optional<TimestampMs> next_occurrence(const CronSpec& spec, const std::string& tz, TimestampMs after);

/// The occurrences in (`from`, `to`], oldest first, at most `limit` of them (the earliest ones).
std::vector<TimestampMs> occurrences_between(const CronSpec& spec, const std::string& tz, TimestampMs from,
                                             TimestampMs to, std::size_t limit);

} // namespace blogen
