#pragma once
// Base64 decoding for `b64_json` image payloads.

#include <optional>
#include <string>
#include <string_view>

namespace blogen::gen {

/// Decodes standard base64 (padding optional, whitespace ignored); nullopt on any other character.
std::optional<std::string> base64_decode(std::string_view text);

} // namespace blogen::gen
