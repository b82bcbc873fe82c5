// The template renderer and checker: any template text renders or is refused with a blogen::Error.
#include <blogen/core/error.hpp>
#include <blogen/gen/templates.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const blogen::gen::TemplateVariables variables{{"topic", "Tea {topic}"}, {"tone", ""}, {"words", "800"}};
  try {
    (void)blogen::gen::render_template(text, variables, "fuzz");
  } catch (const blogen::Error&) {}
  try {
    blogen::gen::validate_template("fuzz", "system", text);
  } catch (const blogen::Error&) {}
  return 0;
}
