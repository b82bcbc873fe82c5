// The JSON batch reader: any bytes are rows or a blogen::Error naming the input, never another exception; every
// row it accepts has a topic of valid UTF-8 without a NUL byte.
#include <blogen/app/batch_input.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/text.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& row : blogen::app::parse_batch_input(text, blogen::app::InputFormat::json, "fuzz.json")) {
      if (row.topic.empty() || !blogen::text::text_problem(row.topic).empty()) std::abort();
    }
  } catch (const blogen::Error&) {}
  return 0;
}
