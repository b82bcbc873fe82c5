#include <blogen/core/clock.hpp>
#include <blogen/core/cron.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/time_zone.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

#include <chrono>
#include <string>
#include <vector>

using blogen::cron_macro_names;
using blogen::CronSpec;
using blogen::Error;
using blogen::ErrorCode;
using blogen::format_iso8601;
using blogen::next_occurrence;
using blogen::occurrences_between;
using blogen::parse_cron;
using blogen::TimestampMs;

namespace {

/// An instant given as ISO 8601 UTC text, e.g. "2026-03-29T01:00:00Z".
TimestampMs at(const std::string& utc) { return blogen::parse_local_time(utc, "UTC"); }

/// The next occurrence as ISO 8601 UTC text, or "never".
std::string next_after(const std::string& expression, const std::string& tz, const std::string& after_utc) {
  const auto next = next_occurrence(parse_cron(expression), tz, at(after_utc));
  return next ? format_iso8601(*next) : "never";
}

/// Occurrences in (from, to] as ISO 8601 UTC texts.
std::vector<std::string> between(const std::string& expression, const std::string& tz, const std::string& from,
                                 const std::string& to, std::size_t limit = 100) {
  std::vector<std::string> texts;
  for (const TimestampMs ms : occurrences_between(parse_cron(expression), tz, at(from), at(to), limit))
    texts.push_back(format_iso8601(ms));
  return texts;
}

std::string cron_error(const std::string& expression) {
  try {
    (void)parse_cron(expression);
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::bad_input);
    return e.what();
  }
  return "no error";
}

/// The values set in a bitset, for readable comparisons.
template <std::size_t N> std::vector<int> values(const std::bitset<N>& bits) {
  std::vector<int> set;
  for (std::size_t i = 0; i < N; ++i)
    if (bits[i]) set.push_back(static_cast<int>(i));
  return set;
}

/// Whether the UTC minute `t` matches `spec`, decided by plain field checks (the day rule included): the reference for
/// the field-by-field jumps of next_occurrence.
bool matches_in_utc(const CronSpec& spec, std::chrono::sys_time<std::chrono::minutes> t) {
  using namespace std::chrono;
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const auto minute_of_day = (t - day).count();
  const bool dom = spec.days_of_month[static_cast<unsigned>(ymd.day())];
  const bool dow = spec.days_of_week[weekday{day}.c_encoding()];
  const bool day_ok = (spec.day_of_month_star || spec.day_of_week_star) ? (dom && dow) : (dom || dow);
  return day_ok && spec.months[static_cast<unsigned>(ymd.month())] &&
         spec.hours[static_cast<std::size_t>(minute_of_day / 60)] &&
         spec.minutes[static_cast<std::size_t>(minute_of_day % 60)];
}

} // namespace

TEST_CASE("cron: every field form sets the right values", "[cron]") {
  SECTION("star, single value, list and range") {
    const CronSpec spec = parse_cron("* 5 1,15,31 3-5 0");
    CHECK(spec.minutes.all());
    CHECK(values(spec.hours) == std::vector<int>{5});
    CHECK(values(spec.days_of_month) == std::vector<int>{1, 15, 31});
    CHECK(values(spec.months) == std::vector<int>{3, 4, 5});
    CHECK(values(spec.days_of_week) == std::vector<int>{0});
  }
  SECTION("steps over star, over a range and from a start value") {
    const CronSpec spec = parse_cron("*/15 1-10/3 5/10 */4 1-5/2");
    CHECK(values(spec.minutes) == std::vector<int>{0, 15, 30, 45});
    CHECK(values(spec.hours) == std::vector<int>{1, 4, 7, 10});
    CHECK(values(spec.days_of_month) == std::vector<int>{5, 15, 25});
    CHECK(values(spec.months) == std::vector<int>{1, 5, 9});
    CHECK(values(spec.days_of_week) == std::vector<int>{1, 3, 5});
  }
  SECTION("lists mix values, ranges and steps; blanks may be tabs or repeated") {
    const CronSpec spec = parse_cron("  0,10-12,50-59/5 \t 0  * * *  ");
    CHECK(values(spec.minutes) == std::vector<int>{0, 10, 11, 12, 50, 55});
  }
  SECTION("a star step counts from the field's first value") {
    CHECK(values(parse_cron("0 0 */10 * *").days_of_month) == std::vector<int>{1, 11, 21, 31});
  }
  SECTION("a step larger than the range gives only the start") {
    CHECK(values(parse_cron("*/90 * * * *").minutes) == std::vector<int>{0});
  }
  SECTION("the day fields remember whether they started with a star") {
    const CronSpec stars = parse_cron("0 0 */2 * *");
    CHECK(stars.day_of_month_star);
    CHECK(stars.day_of_week_star);
    const CronSpec explicit_days = parse_cron("0 0 1-31 * 0-6");
    CHECK_FALSE(explicit_days.day_of_month_star);
    CHECK_FALSE(explicit_days.day_of_week_star);
    CHECK(explicit_days.days_of_week.all());
  }
}

TEST_CASE("cron: month and day names in any case, and 7 as Sunday", "[cron]") {
  CHECK(parse_cron("0 9 * jan-Mar,DEC mon-FRI") == parse_cron("0 9 * 1-3,12 1-5"));
  CHECK(parse_cron("0 0 * * 7") == parse_cron("0 0 * * 0"));
  CHECK(parse_cron("0 0 * * SUN") == parse_cron("0 0 * * 0"));
  CHECK(values(parse_cron("0 0 * * 5-7").days_of_week) == std::vector<int>{0, 5, 6});
  CHECK(values(parse_cron("0 0 * * FRI-SUN").days_of_week) == std::vector<int>{0, 5, 6});
  CHECK(values(parse_cron("0 0 * JAN/3 *").months) == std::vector<int>{1, 4, 7, 10});
}

TEST_CASE("cron: macros expand to their five fields", "[cron]") {
  CHECK(parse_cron("@hourly") == parse_cron("0 * * * *"));
  CHECK(parse_cron("@daily") == parse_cron("0 0 * * *"));
  CHECK(parse_cron("@midnight") == parse_cron("0 0 * * *"));
  CHECK(parse_cron("@weekly") == parse_cron("0 0 * * 0"));
  CHECK(parse_cron("@monthly") == parse_cron("0 0 1 * *"));
  CHECK(parse_cron("@yearly") == parse_cron("0 0 1 1 *"));
  CHECK(parse_cron("@annually") == parse_cron("0 0 1 1 *"));
  CHECK(parse_cron(" @Daily ") == parse_cron("0 0 * * *"));
  CHECK(next_after("@weekly", "UTC", "2026-12-30T12:00:00Z") == "2027-01-03T00:00:00Z");
  CHECK(next_after("@monthly", "UTC", "2026-12-01T00:00:00Z") == "2027-01-01T00:00:00Z");
}

TEST_CASE("cron: completion offers exactly the macros the parser accepts", "[cron]") {
  const auto names = cron_macro_names();
  CHECK(names.size() == 7);
  for (const auto& name : names) {
    INFO(name);
    CHECK_NOTHROW(parse_cron(name));
  }
  CHECK(std::find(names.begin(), names.end(), "@daily") != names.end());
}

TEST_CASE("cron: invalid expressions name the flag, the field and the value", "[cron]") {
  CHECK(cron_error("61 * * * *") == "--cron \"61 * * * *\": minute: 61 is out of range 0-59");
  CHECK(cron_error("100000 * * * *") == "--cron \"100000 * * * *\": minute: 100000 is out of range 0-59");
  CHECK(cron_error("0 24 * * *") == "--cron \"0 24 * * *\": hour: 24 is out of range 0-23");
  CHECK(cron_error("0 0 0 * *") == "--cron \"0 0 0 * *\": day-of-month: 0 is out of range 1-31");
  CHECK(cron_error("0 0 32 * *") == "--cron \"0 0 32 * *\": day-of-month: 32 is out of range 1-31");
  CHECK(cron_error("0 0 * 13 *") == "--cron \"0 0 * 13 *\": month: 13 is out of range 1-12");
  CHECK(cron_error("0 0 * * 8") == "--cron \"0 0 * * 8\": day-of-week: 8 is out of range 0-7");
  CHECK(cron_error("0 0 * FOO *") == "--cron \"0 0 * FOO *\": month: \"FOO\" is not a month (use 1-12 or JAN-DEC)");
  CHECK(cron_error("0 0 * * MONDAY") ==
        "--cron \"0 0 * * MONDAY\": day-of-week: \"MONDAY\" is not a day-of-week (use 0-7 or SUN-SAT)");
  CHECK(cron_error("MON 0 * * *") == "--cron \"MON 0 * * *\": minute: \"MON\" is not a minute (use 0-59)");
  CHECK(cron_error("*/0 * * * *") == "--cron \"*/0 * * * *\": minute: step 0 in \"*/0\" must be 1 or more");
  CHECK(cron_error("*/x * * * *") == "--cron \"*/x * * * *\": minute: \"*/x\" is not a number");
  CHECK(cron_error("5x * * * *") == "--cron \"5x * * * *\": minute: \"5x\" is not a number");
  CHECK(cron_error("0 5-3 * * *") ==
        "--cron \"0 5-3 * * *\": hour: range 5-3 runs backwards (write the smaller value first)");
  CHECK(cron_error("0 1-,3 * * *") == "--cron \"0 1-,3 * * *\": hour: missing value in \"1-\"");
  CHECK(cron_error("1,,2 * * * *") == "--cron \"1,,2 * * * *\": minute: empty item in list \"1,,2\"");
  CHECK(cron_error("* * * *") ==
        "--cron \"* * * *\": expected 5 fields (minute hour day-of-month month day-of-week), found 4");
  CHECK(cron_error("* * * * * *") ==
        "--cron \"* * * * * *\": expected 5 fields (minute hour day-of-month month day-of-week), found 6");
  CHECK(cron_error("") == "--cron \"\": expected 5 fields (minute hour day-of-month month day-of-week), found 0");
  CHECK(cron_error("@reboot") == "--cron \"@reboot\": unknown macro @reboot (use @hourly, @daily, @midnight, "
                                 "@weekly, @monthly, @yearly or @annually)");
}

TEST_CASE("cron: to_string normalises and parses back to the same spec", "[cron]") {
  CHECK(blogen::to_string(parse_cron("0,15,30,45 9-17 * * mon-fri")) == "*/15 9-17 * * 1-5");
  CHECK(blogen::to_string(parse_cron("@weekly")) == "0 0 * * 0");
  CHECK(blogen::to_string(parse_cron("0 0 * * 7")) == "0 0 * * 0");
  CHECK(blogen::to_string(parse_cron("5 1,2,4 1-31 JAN,feb * ")) == "5 1,2,4 1-31 1,2 *");
  CHECK(blogen::to_string(parse_cron("0 0 */2 * FRI-SUN")) == "0 0 */2 * 0,5,6");
  for (const char* expression : {"* * * * *", "*/7 */5 */3 */2 */2", "1-5,7,9-11 0 1,31 2-3 0-6", "0 0 1-31 * *",
                                 "59 23 31 12 6", "5/20 1-10/3 * JUN-AUG sat,sun", "0 0 */10,5 * MON"}) {
    INFO(expression);
    CHECK(parse_cron(blogen::to_string(parse_cron(expression))) == parse_cron(expression));
  }
}

TEST_CASE("cron: next occurrence is strictly after and crosses month and year ends", "[cron]") {
  CHECK(next_after("* * * * *", "UTC", "2026-12-01T09:00:00Z") == "2026-12-01T09:01:00Z");
  CHECK(next_after("* * * * *", "UTC", "2026-12-01T09:00:30Z") == "2026-12-01T09:01:00Z");
  CHECK(next_after("0 9 * * *", "UTC", "2026-12-01T09:00:00Z") == "2026-12-02T09:00:00Z");
  CHECK(next_after("0 9 * * *", "UTC", "2026-12-01T08:59:59Z") == "2026-12-01T09:00:00Z");
  CHECK(next_after("0 0 31 * *", "UTC", "2026-04-01T00:00:00Z") == "2026-05-31T00:00:00Z");
  CHECK(next_after("0 0 1 1 *", "UTC", "2026-12-31T23:59:00Z") == "2027-01-01T00:00:00Z");
  CHECK(next_after("59 23 31 12 *", "UTC", "2026-01-01T00:00:00Z") == "2026-12-31T23:59:00Z");
  CHECK(next_after("30 */6 * * *", "UTC", "2026-02-28T19:00:00Z") == "2026-03-01T00:30:00Z");
}

TEST_CASE("cron: next occurrence agrees with a minute-by-minute scan", "[cron]") {
  using namespace std::chrono;
  for (const char* expression : {"*/7 * * * *", "13 */5 * * *", "0 9 1 * MON", "30 0 */2 * MON", "0 12 29 2 *",
                                 "5 4 31 * *", "0 0 * JAN,MAR 1-5", "59 23 28-31 * FRI"}) {
    INFO(expression);
    const CronSpec spec = parse_cron(expression);
    // Start points spread over a leap February and March, at odd minutes and seconds.
    for (TimestampMs start = at("2028-01-20T00:00:00Z"); start < at("2028-03-20T00:00:00Z");
         start += 29 * 3600'000 + 13 * 60'000 + 17'000) {
      auto minute = floor<minutes>(sys_time<milliseconds>{milliseconds{start}}) + minutes{1};
      const auto give_up = minute + days{40};
      while (minute < give_up && !matches_in_utc(spec, minute))
        minute += minutes{1};
      const auto next = next_occurrence(spec, "UTC", start);
      REQUIRE(next);
      if (minute < give_up)
        CHECK(format_iso8601(*next) == format_iso8601(duration_cast<milliseconds>(minute.time_since_epoch()).count()));
      else
        CHECK(*next >= duration_cast<milliseconds>(give_up.time_since_epoch()).count());
    }
  }
}

TEST_CASE("cron: February 29 waits for the next leap year", "[cron]") {
  CHECK(next_after("0 0 29 2 *", "UTC", "2026-03-01T00:00:00Z") == "2028-02-29T00:00:00Z");
  CHECK(next_after("0 0 29 2 *", "UTC", "2028-02-29T00:00:00Z") == "2032-02-29T00:00:00Z");
  // 2100 is not a leap year (divisible by 100, not by 400).
  CHECK(next_after("0 0 29 2 *", "UTC", "2096-03-01T00:00:00Z") == "2104-02-29T00:00:00Z");
}

TEST_CASE("cron: impossible days are never, and the search ends", "[cron]") {
  CHECK(next_after("0 0 30 2 *", "UTC", "2026-01-01T00:00:00Z") == "never");
  CHECK(next_after("0 0 31 4,6,9,11 *", "Europe/Berlin", "2026-01-01T00:00:00Z") == "never");
  CHECK(between("0 0 30 2 *", "UTC", "2026-01-01T00:00:00Z", "2126-01-01T00:00:00Z").empty());
  // A rare but possible day (February 29 that is a Sunday, both day fields must match) is still found.
  CHECK(next_after("0 0 29 2 */7", "UTC", "2026-01-01T00:00:00Z") == "2032-02-29T00:00:00Z");
}

TEST_CASE("cron: day-of-month and day-of-week follow the OR rule", "[cron]") {
  // 2026-11-30 is a Monday, 2026-12-01 a Tuesday.
  const std::string from = "2026-11-25T00:00:00Z";
  const std::string to = "2026-12-08T00:00:00Z";
  SECTION("both restricted: either matches") {
    CHECK(between("0 9 1 * MON", "UTC", from, to) ==
          std::vector<std::string>{"2026-11-30T09:00:00Z", "2026-12-01T09:00:00Z", "2026-12-07T09:00:00Z"});
  }
  SECTION("day-of-week is *: only day-of-month counts") {
    CHECK(between("0 9 1 * *", "UTC", from, to) == std::vector<std::string>{"2026-12-01T09:00:00Z"});
  }
  SECTION("day-of-month is *: only day-of-week counts") {
    CHECK(between("0 9 * * MON", "UTC", from, to) ==
          std::vector<std::string>{"2026-11-30T09:00:00Z", "2026-12-07T09:00:00Z"});
  }
  SECTION("a field starting with * (*/2) makes both required, as in cron(8)") {
    CHECK(between("0 9 */2 * MON", "UTC", from, to) == std::vector<std::string>{"2026-12-07T09:00:00Z"});
  }
  SECTION("an explicit full range is restricted, so the OR rule makes every day match") {
    CHECK(between("0 9 1-31 * MON", "UTC", from, "2026-11-28T00:00:00Z") ==
          std::vector<std::string>{"2026-11-25T09:00:00Z", "2026-11-26T09:00:00Z", "2026-11-27T09:00:00Z"});
  }
}

TEST_CASE("cron: Europe/Berlin Monday 09:00 is 08:00Z in winter and 07:00Z in summer", "[cron][tz]") {
  CHECK(next_after("0 9 * * 1", "Europe/Berlin", "2026-11-25T00:00:00Z") == "2026-11-30T08:00:00Z");
  CHECK(next_after("0 9 * * 1", "Europe/Berlin", "2026-05-27T00:00:00Z") == "2026-06-01T07:00:00Z");
  CHECK(next_after("0 9 * * 1", "UTC", "2026-05-27T00:00:00Z") == "2026-06-01T09:00:00Z");
}

TEST_CASE("cron: the zone decides the local day", "[cron][tz]") {
  // 02:00Z on 2026-12-01 is still 2026-11-30 21:00 in New York.
  CHECK(next_after("0 22 30 * *", "America/New_York", "2026-12-01T02:00:00Z") == "2026-12-01T03:00:00Z");
  CHECK(next_after("0 0 * * *", "Asia/Tokyo", "2026-12-01T00:00:00Z") == "2026-12-01T15:00:00Z");
}

TEST_CASE("cron: a local time skipped by spring forward fires once, at the end of the gap", "[cron][tz][dst]") {
  SECTION("Europe/Berlin, 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z)") {
    CHECK(between("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-30T12:00:00Z") ==
          std::vector<std::string>{"2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"});
    // Every quarter hour of the missing hour, and 03:00 itself, collapse into one run at 03:00 CEST.
    CHECK(between("*/15 2,3 * * *", "Europe/Berlin", "2026-03-29T00:00:00Z", "2026-03-29T01:50:00Z") ==
          std::vector<std::string>{"2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z", "2026-03-29T01:30:00Z",
                                   "2026-03-29T01:45:00Z"});
  }
  SECTION("America/New_York, 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z)") {
    CHECK(between("30 2 * * *", "America/New_York", "2026-03-07T00:00:00Z", "2026-03-09T12:00:00Z") ==
          std::vector<std::string>{"2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"});
  }
}

TEST_CASE("cron: a local time repeated by fall back fires once, the first time", "[cron][tz][dst]") {
  SECTION("Europe/Berlin, 2026-10-25 03:00 CEST -> 02:00 CET (01:00Z)") {
    CHECK(between("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z") ==
          std::vector<std::string>{"2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"});
    // The second pass through 02:00-02:59 CET does not repeat what already ran in CEST.
    CHECK(between("*/30 * * * *", "Europe/Berlin", "2026-10-24T23:45:00Z", "2026-10-25T02:15:00Z") ==
          std::vector<std::string>{"2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:00:00Z"});
  }
  SECTION("America/New_York, 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z)") {
    CHECK(next_after("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z") == "2026-11-01T05:30:00Z");
    // Asked during the repeated hour (01:10 EST), it does not fire 01:30 EST again.
    CHECK(next_after("30 1 * * *", "America/New_York", "2026-11-01T06:10:00Z") == "2026-11-02T06:30:00Z");
  }
}

TEST_CASE("cron: occurrences_between is bounded by its end and its limit", "[cron]") {
  CHECK(between("0 * * * *", "UTC", "2026-12-01T00:00:00Z", "2026-12-01T03:00:00Z") ==
        std::vector<std::string>{"2026-12-01T01:00:00Z", "2026-12-01T02:00:00Z", "2026-12-01T03:00:00Z"});
  CHECK(between("* * * * *", "UTC", "2026-12-01T00:00:00Z", "2027-12-01T00:00:00Z", 5) ==
        std::vector<std::string>{"2026-12-01T00:01:00Z", "2026-12-01T00:02:00Z", "2026-12-01T00:03:00Z",
                                 "2026-12-01T00:04:00Z", "2026-12-01T00:05:00Z"});
  CHECK(between("0 0 1 1 *", "UTC", "2026-12-01T00:00:00Z", "2026-12-31T00:00:00Z").empty());
  CHECK(between("* * * * *", "UTC", "2026-12-01T00:00:00Z", "2026-12-01T00:00:00Z").empty());
}

TEST_CASE("cron: an unknown zone is a bad_input error naming --tz", "[cron][tz]") {
  try {
    (void)next_occurrence(parse_cron("@daily"), "Mars/Olympus", 0);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::bad_input);
    CHECK(std::string(e.what()) ==
          "--tz \"Mars/Olympus\": unknown time zone (use an IANA name such as Europe/Berlin or UTC)");
  }
}
