#include "base64.hpp"

#include <array>

namespace blogen::gen {
namespace {

constexpr std::array<int, 256> make_table() {
  std::array<int, 256> table{};
  for (auto& entry : table)
    entry = -1;
  constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < k_alphabet.size(); ++i)
    table[static_cast<unsigned char>(k_alphabet[i])] = static_cast<int>(i);
  return table;
}

constexpr auto k_table = make_table();

} // namespace

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  unsigned buffer = 0;
  int bits = 0;
  bool padding = false;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const int value = k_table[static_cast<unsigned char>(c)];
    if (value < 0 || padding) return std::nullopt; // data after padding is not base64
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFFu);
    }
  }
  if (bits >= 6) return std::nullopt; // a lone trailing character cannot encode a byte
  return out;
}

} // namespace blogen::gen
