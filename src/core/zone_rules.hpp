#pragma once
// Core-internal bridge to date/tz: looks zones up with our error, and maps a local wall-clock time to one instant
// with the documented DST rules. Shared by the cron evaluator and the one-shot time parser so both agree.

#include <date/tz.h>

#include <chrono>
#include <string>
#include <string_view>

namespace blogen::zone_rules {

/// The zone named `name`; throws bad_input Error naming `flag` and the name when the database does not know it.
const date::time_zone* find_zone(const std::string& name, std::string_view flag = "--tz");

/// The instant of local time `local` in `zone`: unique times map directly, a time in a spring-forward gap maps to the
/// first instant after the gap, a time that happens twice (fall back) maps to the earlier instant.
date::sys_seconds to_instant(const date::time_zone& zone, date::local_seconds local);

} // namespace blogen::zone_rules
