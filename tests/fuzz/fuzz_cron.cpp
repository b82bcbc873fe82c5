// The cron parser: any expression parses or is refused with a blogen::Error; one that parses prints as an
// expression that parses to the same text, and its next occurrence (in UTC) lies after the time asked about.
#include <blogen/core/cron.hpp>
#include <blogen/core/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string expression(reinterpret_cast<const char*>(data), size);
  try {
    const auto spec = blogen::parse_cron(expression);
    const std::string printed = blogen::to_string(spec);
    if (blogen::to_string(blogen::parse_cron(printed)) != printed) std::abort();
    const blogen::TimestampMs after = 1'790'000'000'000; // 2026-09
    const auto next = blogen::next_occurrence(spec, "UTC", after);
    if (next && *next <= after) std::abort();
  } catch (const blogen::Error&) {}
  return 0;
}
