#pragma once
// IANA time zones (through the system tzdata) and local wall-clock times typed by people: `--tz` and `--at`.
//
// A local time is turned into one instant with the same rules as cron expressions (see cron.hpp):
// - a local time that does not exist (the clock springs forward over it) means the first valid instant after the gap,
//   e.g. 02:30 on 2026-03-29 in Europe/Berlin is 03:00 CEST = 01:00Z;
// - a local time that happens twice (the clock falls back over it) means the first, earlier instant,
//   e.g. 02:30 on 2026-10-25 in Europe/Berlin is 02:30 CEST = 00:30Z.

#include <blogen/core/clock.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace blogen {

/// Throws bad_input Error naming `flag` and `name` unless `name` is a zone of the IANA database (e.g. `Europe/Berlin`).
void validate_zone(const std::string& name, std::string_view flag = "--tz");

/// The default zone for schedules: the TZ environment variable when it names a known zone (a leading `:` or a
/// `.../zoneinfo/` path prefix is accepted), else the zone of /etc/localtime, else `UTC`.
std::string system_zone_name();

/// Every zone name the time-zone database knows ("Europe/Paris", "UTC", ...), sorted (for shell completion).
std::vector<std::string> time_zone_names();

/// Parses a one-shot time: `2026-12-01T09:00`, `2026-12-01T09:00:00`, `2026-12-01 09:00` (or with `:SS`) is local to
/// `tz` (gap and overlap rules above); a `Z` or `+01:00` / `-0500` / `+01` suffix gives that exact instant instead.
/// Throws bad_input Error naming `flag` and the text when it is not such a time, and naming `--tz` for an unknown zone.
TimestampMs parse_local_time(const std::string& text, const std::string& tz, std::string_view flag = "--at");

/// Formats an instant as wall-clock time in `tz` with the zone's abbreviation, e.g. `2026-12-01 09:00 CET`.
std::string format_local_time(TimestampMs ms, const std::string& tz);

} // namespace blogen
