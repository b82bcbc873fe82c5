#include "sodium_init.hpp"

#include <blogen/app/session_token.hpp>

#include <array>

namespace blogen::app {
namespace {

constexpr std::string_view k_prefix = "blg_";
constexpr std::size_t k_token_bytes = 32;

} // namespace

std::string generate_token() {
  ensure_sodium();
  std::array<unsigned char, k_token_bytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, k_token_bytes * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  sodium_memzero(bytes.data(), bytes.size());
  std::string token = std::string(k_prefix) + hex.data();
  sodium_memzero(hex.data(), hex.size());
  return token;
}

std::optional<store::TokenHash> hash_token(std::string_view token) {
  ensure_sodium();
  if (token.size() != k_prefix.size() + k_token_bytes * 2 || token.substr(0, k_prefix.size()) != k_prefix) {
    return std::nullopt;
  }
  const std::string_view hex = token.substr(k_prefix.size());
  // Only the canonical lower-case form is accepted, so one token has exactly one spelling.
  for (const char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  std::array<unsigned char, k_token_bytes> bytes{};
  std::size_t decoded = 0;
  if (sodium_hex2bin(bytes.data(), bytes.size(), hex.data(), hex.size(), nullptr, &decoded, nullptr) != 0 ||
      decoded != bytes.size()) {
    return std::nullopt;
  }
  store::TokenHash hash{};
  crypto_generichash(hash.data(), hash.size(), bytes.data(), bytes.size(), nullptr, 0);
  sodium_memzero(bytes.data(), bytes.size());
  return hash;
}

bool same_hash(const store::TokenHash& a, const store::TokenHash& b) {
  ensure_sodium();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace blogen::app
