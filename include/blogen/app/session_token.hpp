#pragma once
// Session tokens: 32 random bytes shown as `blg_` + 64 hex digits; the store keeps only their BLAKE2b hash.

#include <blogen/store/session_repository.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace blogen::app {

/// A fresh random token (`blg_` + 64 lower-case hex digits).
std::string generate_token();
/// The hash stored for a token; nullopt when the text is not a well-formed token (truncated, edited, garbage).
std::optional<store::TokenHash> hash_token(std::string_view token);
/// Compares two hashes in constant time.
bool same_hash(const store::TokenHash& a, const store::TokenHash& b);

} // namespace blogen::app
