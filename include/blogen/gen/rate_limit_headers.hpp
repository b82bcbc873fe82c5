#pragma once
// How long a server asks us to wait: `Retry-After` (seconds or an HTTP date), `retry-after-ms`, and OpenAI's
// `x-ratelimit-reset-requests` / `x-ratelimit-reset-tokens` (Go durations such as `1s`, `6m0s`, `20ms`).

#include <blogen/core/clock.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace blogen::gen {

/// The longest wait a server can ask for: a longer one is cut to this (a job then retries after 15 minutes, not
/// after the days a broken or hostile header names). Non-finite and negative values are ignored altogether.
inline constexpr std::chrono::milliseconds k_max_server_wait{15 * 60 * 1000};

/// Parses a `Retry-After` value: delta seconds (fractions allowed) or an IMF-fixdate relative to `now_ms` (a date
/// in the past means now). Every parser here caps its result at k_max_server_wait.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, TimestampMs now_ms);
/// Parses a Go-style duration (`1h2m3.5s`, `6m0s`, `20ms`, `250us`); a bare number means seconds.
std::optional<std::chrono::milliseconds> parse_reset_duration(std::string_view value);
/// The wait a failed response asks for, from its lower-case headers: retry-after-ms, then Retry-After, then the
/// x-ratelimit-reset header of the exhausted limit (the longer one when both or neither say remaining 0).
std::optional<std::chrono::milliseconds> retry_after_from_headers(const std::map<std::string, std::string>& headers,
                                                                  TimestampMs now_ms);

} // namespace blogen::gen
