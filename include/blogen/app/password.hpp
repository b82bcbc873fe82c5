#pragma once
// Password hashing with argon2id (libsodium's crypto_pwhash_str, interactive limits) and the password rules.

#include <string>
#include <string_view>

namespace blogen::app {

/// Fewest characters a password may have.
constexpr std::size_t k_min_password_chars = 8;
/// Most characters a password may have (argon2 takes any length; this bounds the work an attacker can ask for).
constexpr std::size_t k_max_password_chars = 1024;

/// The outcome of checking a password against a stored hash.
enum class PasswordMatch {
  no,               ///< wrong password (or a hash we cannot read)
  yes,              ///< right password, hash is current
  yes_needs_rehash, ///< right password, hash was made with older limits and should be replaced
};

/// Throws Error{usage} when the password is too short or too long (counted in UTF-8 characters).
void check_password_rules(std::string_view password);
/// An argon2id hash string of the password, with a fresh random salt.
std::string hash_password(std::string_view password);
/// Checks a password against a hash string, in time independent of where they differ.
PasswordMatch verify_password(const std::string& hash, std::string_view password);
/// Spends the time of one verify_password against a dummy hash, so an unknown user takes as long as a known one.
void verify_against_dummy(std::string_view password);

} // namespace blogen::app
