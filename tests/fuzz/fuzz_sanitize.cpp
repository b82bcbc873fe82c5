// The terminal sanitiser: whatever a model sends, what reaches the terminal holds no ESC, no BEL, no other C0
// control but newline and tab, no C1 control (U+0080-U+009F), and sanitising twice changes nothing.
#include <blogen/term/sanitize.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void require_inert(const std::string& shown, bool single_line) {
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const auto c = static_cast<unsigned char>(shown[i]);
    if (c < 0x20 && !(c == '\t' || (c == '\n' && !single_line))) std::abort();
    if (c == 0x7f) std::abort();
    if (c == 0xc2 && i + 1 < shown.size()) {
      const auto next = static_cast<unsigned char>(shown[i + 1]);
      if (next >= 0x80 && next <= 0x9f) std::abort(); // a C1 control, UTF-8 encoded
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string shown = blogen::term::sanitize_for_terminal(text);
  require_inert(shown, false);
  if (blogen::term::sanitize_for_terminal(shown) != shown) std::abort();
  const std::string line = blogen::term::sanitize_single_line(text);
  require_inert(line, true);
  (void)blogen::term::truncate_to_width(shown, static_cast<std::size_t>(size % 80));
  return 0;
}
