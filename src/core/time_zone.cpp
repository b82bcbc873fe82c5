#include "date_tz_library.hpp"
#include "zone_rules.hpp"

#include <blogen/core/error.hpp>
#include <blogen/core/paths.hpp>
#include <blogen/core/time_zone.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace blogen {

namespace zone_rules {

const date::time_zone* find_zone(const std::string& name, std::string_view flag) {
  // Not "unknown time zone" when the zone library itself is missing.
  if (const std::string& problem = date_tz_library_problem(); !problem.empty()) {
    throw Error(ErrorCode::failed, std::string(flag) + ": time zones are not available: " + problem);
  }
  // locate_zone throws std::runtime_error for unknown names; an empty name or a path would also reach the file system.
  if (!name.empty() && name.front() != '/' && name.find("..") == std::string::npos) {
    try {
      return date::locate_zone(name);
    } catch (const std::exception&) {}
  }
  throw Error(ErrorCode::bad_input, std::string(flag) + " \"" + name +
                                        "\": unknown time zone (use an IANA name such as Europe/Berlin or UTC)");
}

date::sys_seconds to_instant(const date::time_zone& zone, date::local_seconds local) {
  const date::local_info info = zone.get_info(local);
  switch (info.result) {
  case date::local_info::nonexistent:
    // The clock jumped over `local`: the first valid instant after the gap is where the new offset begins.
    return info.second.begin;
  case date::local_info::ambiguous:
    // `first` is the offset in force before the fall back, so it gives the earlier of the two instants.
  case date::local_info::unique:
    break;
  }
  return date::sys_seconds{local.time_since_epoch() - info.first.offset};
}

} // namespace zone_rules

void validate_zone(const std::string& name, std::string_view flag) { (void)zone_rules::find_zone(name, flag); }

std::vector<std::string> time_zone_names() {
  const date::tzdb& database = date::get_tzdb();
  std::vector<std::string> names;
  // Debian's date reads the system's zoneinfo, where links ("UTC", "US/Eastern") are zones of their own.
  names.reserve(database.zones.size());
  for (const date::time_zone& zone : database.zones)
    names.push_back(zone.name());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

namespace {

std::optional<std::string> zone_from_tz_variable() {
  const auto value = paths::env("TZ");
  if (!value) return std::nullopt;
  std::string name = *value;
  if (!name.empty() && name.front() == ':') name.erase(0, 1);
  if (const auto at = name.rfind("/zoneinfo/"); at != std::string::npos) name.erase(0, at + 10);
  try {
    return zone_rules::find_zone(name)->name();
  } catch (const Error&) {
    return std::nullopt; // a POSIX rule string such as "CET-1CEST" is not an IANA name: use the system zone
  }
}

} // namespace

std::string system_zone_name() {
  if (auto from_env = zone_from_tz_variable()) return *from_env;
  try {
    return date::current_zone()->name();
  } catch (const std::exception&) {
    return "UTC"; // no /etc/localtime (minimal containers): UTC is what the C library assumes too
  }
}

namespace {

/// Reads exactly `count` digits at `pos`, advancing it; nullopt when they are not all there.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

bool read_char(std::string_view text, std::size_t& pos, char expected) {
  if (pos >= text.size() || text[pos] != expected) return false;
  ++pos;
  return true;
}

/// A parsed `--at` value before the zone is applied.
struct WallTime {
  date::year_month_day day{};
  int hour = 0, minute = 0, second = 0;
  std::optional<std::chrono::minutes> utc_offset; ///< set when the text ends in Z or an offset
};

/// Parses an offset suffix (`Z`, `+HH:MM`, `+HHMM`, `+HH`, or `-` forms) starting at `pos`; nullopt when malformed.
std::optional<std::chrono::minutes> read_offset(std::string_view text, std::size_t& pos) {
  if (read_char(text, pos, 'Z')) return std::chrono::minutes{0};
  const char sign = pos < text.size() ? text[pos] : '\0';
  if (sign != '+' && sign != '-') return std::nullopt;
  ++pos;
  const auto hours = read_digits(text, pos, 2);
  if (!hours || *hours > 23) return std::nullopt;
  int minutes = 0;
  if (pos < text.size()) {
    (void)read_char(text, pos, ':');
    const auto read = read_digits(text, pos, 2);
    if (!read || *read > 59) return std::nullopt;
    minutes = *read;
  }
  const std::chrono::minutes offset{*hours * 60 + minutes};
  return sign == '-' ? -offset : offset;
}

std::optional<WallTime> read_wall_time(std::string_view text) {
  std::size_t pos = 0;
  const auto year = read_digits(text, pos, 4);
  if (!year || !read_char(text, pos, '-')) return std::nullopt;
  const auto month = read_digits(text, pos, 2);
  if (!month || !read_char(text, pos, '-')) return std::nullopt;
  const auto day = read_digits(text, pos, 2);
  if (!day || !(read_char(text, pos, 'T') || read_char(text, pos, ' '))) return std::nullopt;
  const auto hour = read_digits(text, pos, 2);
  if (!hour || !read_char(text, pos, ':')) return std::nullopt;
  const auto minute = read_digits(text, pos, 2);
  if (!minute) return std::nullopt;
  WallTime wall;
  if (read_char(text, pos, ':')) {
    const auto second = read_digits(text, pos, 2);
    if (!second) return std::nullopt;
    wall.second = *second;
  }
  if (pos < text.size()) {
    wall.utc_offset = read_offset(text, pos);
    if (!wall.utc_offset || pos != text.size()) return std::nullopt;
  }
  wall.day = date::year{*year} / date::month{static_cast<unsigned>(*month)} / date::day{static_cast<unsigned>(*day)};
  wall.hour = *hour;
  wall.minute = *minute;
  if (!wall.day.ok() || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return std::nullopt;
  return wall;
}

} // namespace

TimestampMs parse_local_time(const std::string& text, const std::string& tz, std::string_view flag) {
  const auto wall = read_wall_time(text);
  if (!wall) {
    throw Error(ErrorCode::bad_input,
                std::string(flag) + " \"" + text +
                    "\": not a valid time (use 2026-12-01T09:00, 2026-12-01 09:00 or 2026-12-01T09:00:00+01:00)");
  }
  const std::chrono::seconds time_of_day =
      std::chrono::hours{wall->hour} + std::chrono::minutes{wall->minute} + std::chrono::seconds{wall->second};
  const date::time_zone* zone = zone_rules::find_zone(tz); // checked even with an offset: a bad --tz is still an error
  date::sys_seconds instant;
  if (wall->utc_offset) {
    instant = date::sys_days{wall->day} + time_of_day - *wall->utc_offset;
  } else {
    instant = zone_rules::to_instant(*zone, date::local_days{wall->day} + time_of_day);
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(instant.time_since_epoch()).count();
}

std::string format_local_time(TimestampMs ms, const std::string& tz) {
  const date::time_zone* zone = zone_rules::find_zone(tz);
  const date::sys_time<std::chrono::minutes> instant{
      std::chrono::floor<std::chrono::minutes>(std::chrono::milliseconds{ms})};
  return date::format("%Y-%m-%d %H:%M %Z", date::make_zoned(zone, instant));
}

} // namespace blogen
