#include <blogen/gen/rate_limit_headers.hpp>

#include <blogen/core/text.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>

namespace blogen::gen {
namespace {

using text::trim;

// Reads a non-negative decimal number at the front of `text`, advancing it; nullopt when none is there.
std::optional<double> take_number(std::string_view& text) {
  std::size_t at = 0;
  double whole = 0;
  bool digits = false;
  while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
    whole = whole * 10 + (text[at++] - '0');
    digits = true;
  }
  if (at < text.size() && text[at] == '.') {
    ++at;
    double scale = 0.1;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
      whole += (text[at++] - '0') * scale;
      scale /= 10;
      digits = true;
    }
  }
  if (!digits) return std::nullopt;
  text.remove_prefix(at);
  return whole;
}

// A server's wait as milliseconds: capped at k_max_server_wait, nullopt when NaN or negative. The cap comes before
// the conversion, so 400 digits of seconds (+infinity as a double) never reach an undefined double-to-integer cast.
std::optional<std::chrono::milliseconds> to_ms(double milliseconds) {
  if (std::isnan(milliseconds) || milliseconds < 0) return std::nullopt;
  const auto cap = static_cast<double>(k_max_server_wait.count());
  if (milliseconds >= cap) return k_max_server_wait;
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(milliseconds)));
}

} // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value, TimestampMs now_ms) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  auto rest = value;
  if (const auto seconds = take_number(rest); seconds && rest.empty()) return to_ms(*seconds * 1000);
  std::tm parts{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &parts);
  if (end == nullptr || trim(end) != "GMT") return std::nullopt;
  // Seconds first: a date in the year 99999 must not overflow when turned into milliseconds.
  const double at_ms = static_cast<double>(timegm(&parts)) * 1000.0;
  return to_ms(std::max(0.0, at_ms - static_cast<double>(now_ms))); // a past date: retry now
}

std::optional<std::chrono::milliseconds> parse_reset_duration(std::string_view value) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  double total_ms = 0;
  bool any = false;
  while (!value.empty()) {
    const auto number = take_number(value);
    if (!number) return std::nullopt;
    double unit_ms = 0;
    if (value.empty()) {
      if (any) return std::nullopt; // "1m5" is ambiguous; only a lone bare number means seconds
      unit_ms = 1000;
    } else if (value.rfind("ms", 0) == 0) {
      unit_ms = 1;
      value.remove_prefix(2);
    } else if (value.rfind("us", 0) == 0 || value.rfind("\xC2\xB5s", 0) == 0) {
      unit_ms = 0.001;
      value.remove_prefix(value.front() == 'u' ? 2 : 3);
    } else if (value.rfind("ns", 0) == 0) {
      unit_ms = 0.000001;
      value.remove_prefix(2);
    } else if (value.front() == 'h') {
      unit_ms = 3'600'000;
      value.remove_prefix(1);
    } else if (value.front() == 'm') {
      unit_ms = 60'000;
      value.remove_prefix(1);
    } else if (value.front() == 's') {
      unit_ms = 1000;
      value.remove_prefix(1);
    } else {
      return std::nullopt;
    }
    total_ms += *number * unit_ms;
    any = true;
  }
  return to_ms(total_ms);
}

std::optional<std::chrono::milliseconds> retry_after_from_headers(const std::map<std::string, std::string>& headers,
                                                                  TimestampMs now_ms) {
  const auto get = [&](const char* name) -> std::string_view {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string_view() : std::string_view(found->second);
  };
  if (const auto value = get("retry-after-ms"); !value.empty()) {
    auto rest = trim(value);
    if (const auto ms = take_number(rest); ms && rest.empty())
      if (auto wait = to_ms(*ms)) return wait;
  }
  if (const auto value = get("retry-after"); !value.empty())
    if (auto parsed = parse_retry_after(value, now_ms)) return parsed;
  const auto requests = parse_reset_duration(get("x-ratelimit-reset-requests"));
  const auto tokens = parse_reset_duration(get("x-ratelimit-reset-tokens"));
  const bool requests_exhausted = trim(get("x-ratelimit-remaining-requests")) == "0";
  const bool tokens_exhausted = trim(get("x-ratelimit-remaining-tokens")) == "0";
  if (requests_exhausted != tokens_exhausted) {
    const auto& chosen = requests_exhausted ? requests : tokens;
    if (chosen) return chosen;
  }
  if (requests && tokens) return std::max(*requests, *tokens);
  return requests ? requests : tokens;
}

} // namespace blogen::gen
