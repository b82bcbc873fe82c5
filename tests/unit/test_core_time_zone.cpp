#include <blogen/core/clock.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/time_zone.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

using blogen::Error;
using blogen::ErrorCode;
using blogen::format_iso8601;
using blogen::parse_local_time;

namespace {

std::string utc_of(const std::string& text, const std::string& tz) {
  return format_iso8601(parse_local_time(text, tz));
}

std::string at_error(const std::string& text, const std::string& tz = "Europe/Berlin") {
  try {
    (void)parse_local_time(text, tz);
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::bad_input);
    return e.what();
  }
  return "no error";
}

/// Sets TZ for one test and puts the previous value back.
class ScopedTz {
public:
  explicit ScopedTz(const char* value) {
    if (const char* old = std::getenv("TZ")) m_old = old;
    if (value != nullptr)
      ::setenv("TZ", value, 1);
    else
      ::unsetenv("TZ");
  }
  ~ScopedTz() {
    if (m_old)
      ::setenv("TZ", m_old->c_str(), 1);
    else
      ::unsetenv("TZ");
  }
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;

private:
  std::optional<std::string> m_old;
};

} // namespace

TEST_CASE("time zone: known IANA names pass, unknown ones name --tz and the value", "[tz]") {
  CHECK_NOTHROW(blogen::validate_zone("Europe/Berlin"));
  CHECK_NOTHROW(blogen::validate_zone("America/New_York"));
  CHECK_NOTHROW(blogen::validate_zone("UTC"));
  for (const char* bad : {"Mars/Olympus", "", "europe/berlin", "/etc/passwd", "../../etc/passwd", "Europe/../UTC"}) {
    INFO(bad);
    try {
      blogen::validate_zone(bad);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::bad_input);
      CHECK(std::string(e.what()) ==
            "--tz \"" + std::string(bad) + "\": unknown time zone (use an IANA name such as Europe/Berlin or UTC)");
    }
  }
}

TEST_CASE("time zone: the system zone comes from TZ, else /etc/localtime, else UTC", "[tz]") {
  {
    const ScopedTz tz("Europe/Paris");
    CHECK(blogen::system_zone_name() == "Europe/Paris");
  }
  {
    const ScopedTz tz(":America/New_York");
    CHECK(blogen::system_zone_name() == "America/New_York");
  }
  {
    const ScopedTz tz("/usr/share/zoneinfo/Asia/Tokyo");
    CHECK(blogen::system_zone_name() == "Asia/Tokyo");
  }
  {
    // A POSIX rule string is not an IANA name: the system's own zone is used, and it is always a valid one.
    const ScopedTz tz("XYZ-5ABC");
    CHECK_NOTHROW(blogen::validate_zone(blogen::system_zone_name()));
  }
  {
    const ScopedTz tz(nullptr);
    CHECK_NOTHROW(blogen::validate_zone(blogen::system_zone_name()));
  }
}

TEST_CASE("time zone: one-shot times in ISO 8601 and YYYY-MM-DD HH:MM, local to the zone", "[tz]") {
  CHECK(utc_of("2026-12-01T09:00", "America/New_York") == "2026-12-01T14:00:00Z");
  CHECK(utc_of("2026-12-01 09:00", "America/New_York") == "2026-12-01T14:00:00Z");
  CHECK(utc_of("2026-12-01T09:00:30", "America/New_York") == "2026-12-01T14:00:30Z");
  CHECK(utc_of("2026-12-01 09:00:30", "America/New_York") == "2026-12-01T14:00:30Z");
  CHECK(utc_of("2026-07-01T09:00", "America/New_York") == "2026-07-01T13:00:00Z");
  CHECK(utc_of("2026-12-01T09:00", "Europe/Berlin") == "2026-12-01T08:00:00Z");
  CHECK(utc_of("2028-02-29 23:59", "UTC") == "2028-02-29T23:59:00Z");
}

TEST_CASE("time zone: an offset or Z means that exact instant whatever the zone", "[tz]") {
  CHECK(utc_of("2026-12-01T09:00Z", "America/New_York") == "2026-12-01T09:00:00Z");
  CHECK(utc_of("2026-12-01T09:00:00Z", "America/New_York") == "2026-12-01T09:00:00Z");
  CHECK(utc_of("2026-12-01T09:00+01:00", "America/New_York") == "2026-12-01T08:00:00Z");
  CHECK(utc_of("2026-12-01T09:00:00-05:00", "Europe/Berlin") == "2026-12-01T14:00:00Z");
  CHECK(utc_of("2026-12-01T09:00-0530", "UTC") == "2026-12-01T14:30:00Z");
  CHECK(utc_of("2026-12-01T09:00+09", "UTC") == "2026-12-01T00:00:00Z");
  CHECK(utc_of("2026-12-01 00:30+01:00", "UTC") == "2026-11-30T23:30:00Z");
}

TEST_CASE("time zone: one-shot times in a DST gap or overlap", "[tz][dst]") {
  // Spring forward: the missing local time means the first instant after the gap (03:00 local).
  CHECK(utc_of("2026-03-29 02:30", "Europe/Berlin") == "2026-03-29T01:00:00Z");
  CHECK(utc_of("2026-03-08 02:30", "America/New_York") == "2026-03-08T07:00:00Z");
  // Fall back: the repeated local time means the first, earlier instant (still on summer time).
  CHECK(utc_of("2026-10-25 02:30", "Europe/Berlin") == "2026-10-25T00:30:00Z");
  CHECK(utc_of("2026-11-01 01:30", "America/New_York") == "2026-11-01T05:30:00Z");
}

TEST_CASE("time zone: malformed one-shot times name --at and the value", "[tz]") {
  const std::string hint = ": not a valid time (use 2026-12-01T09:00, 2026-12-01 09:00 or 2026-12-01T09:00:00+01:00)";
  for (const char* bad :
       {"tomorrow", "", "2026-12-01", "2026-12-01T9:00", "2026/12/01 09:00", "2026-13-01 09:00", "2026-02-30 09:00",
        "2027-02-29 09:00", "2026-12-01 24:00", "2026-12-01 09:60", "2026-12-01 09:00:60", "2026-12-01T09:00:00.5",
        "2026-12-01T09:00+1", "2026-12-01T09:00+24:00", "2026-12-01T09:00+01:", "2026-12-01T09:00Z ",
        " 2026-12-01 09:00", "2026-12-01  09:00"}) {
    INFO(bad);
    CHECK(at_error(bad) == "--at \"" + std::string(bad) + "\"" + hint);
  }
  CHECK(at_error("2026-12-01 09:00", "Mars/Olympus") ==
        "--tz \"Mars/Olympus\": unknown time zone (use an IANA name such as Europe/Berlin or UTC)");
}

TEST_CASE("time zone: instants shown as local wall-clock time with the zone's abbreviation", "[tz]") {
  CHECK(blogen::format_local_time(parse_local_time("2026-12-01T14:00Z", "UTC"), "America/New_York") ==
        "2026-12-01 09:00 EST");
  CHECK(blogen::format_local_time(parse_local_time("2026-06-01T07:00Z", "UTC"), "Europe/Berlin") ==
        "2026-06-01 09:00 CEST");
  CHECK(blogen::format_local_time(parse_local_time("2026-06-01T07:00:59Z", "UTC"), "UTC") == "2026-06-01 07:00 UTC");
}

TEST_CASE("time zone: the names completion offers are the database's, sorted, each one accepted", "[tz]") {
  const std::vector<std::string> names = blogen::time_zone_names();
  REQUIRE(names.size() > 300);
  CHECK(std::is_sorted(names.begin(), names.end()));
  CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
  for (const char* expected : {"Europe/Paris", "America/New_York", "UTC", "Asia/Kolkata"}) {
    CHECK(std::binary_search(names.begin(), names.end(), std::string(expected)));
  }
  for (const std::string& name : names)
    CHECK_NOTHROW(blogen::validate_zone(name));
}
