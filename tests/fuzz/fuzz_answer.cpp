// The answer parser: any model answer yields a one-line title (never empty: the fallback at worst) and a body.
#include <blogen/gen/answer.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view answer(reinterpret_cast<const char*>(data), size);
  const auto parsed = blogen::gen::parse_answer(answer, "Fallback title");
  if (parsed.title.empty() || parsed.title.find('\n') != std::string::npos) std::abort();
  (void)blogen::gen::extract_hashtags(answer);
  (void)blogen::gen::count_words(answer);
  return 0;
}
