// The SSE parser: any bytes, split anywhere, give the same events as the whole stream fed at once.
#include <blogen/gen/sse_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::vector<std::string> events_of(std::string_view stream, std::size_t split) {
  std::vector<std::string> events; // each event as "event\ndata"
  blogen::gen::SseParser parser(
      [&](const blogen::gen::SseEvent& event) { events.push_back(event.event + "\n" + event.data); });
  parser.feed(stream.substr(0, split));
  parser.feed(stream.substr(split));
  parser.finish();
  return events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view stream(reinterpret_cast<const char*>(data), size);
  const std::size_t split = size == 0 ? 0 : static_cast<std::size_t>(data[0]) % (size + 1);
  if (events_of(stream, size) != events_of(stream, split)) std::abort();
  return 0;
}
