#include "sodium_init.hpp"

#include <blogen/app/password.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/text.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace blogen::app {
namespace {

// An argon2id hash with the same limits as real ones, of a password nobody uses: verifying against it costs what
// verifying a real account costs, so "unknown user" and "wrong password" take the same time.
constexpr const char* k_dummy_hash =
    "$argon2id$v=19$m=65536,t=2,p=1$duVfOwEsLIToKIQagKOlGw$4dW1q5+rdIYYWYhbcj7nuvPOthklvAsKpLnvlBcpan4";

} // namespace

void check_password_rules(std::string_view password) {
  const std::size_t length = text::utf8_length(password);
  if (length < k_min_password_chars) {
    throw Error(ErrorCode::usage,
                fmt::format("the password is too short: use at least {} characters", k_min_password_chars));
  }
  if (length > k_max_password_chars) {
    throw Error(ErrorCode::usage,
                fmt::format("the password is too long: use at most {} characters", k_max_password_chars));
  }
}

std::string hash_password(std::string_view password) {
  ensure_sodium();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw Error(ErrorCode::failed, "cannot hash the password (out of memory?)");
  }
  return hash;
}

PasswordMatch verify_password(const std::string& hash, std::string_view password) {
  ensure_sodium();
  if (crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) != 0) return PasswordMatch::no;
  // 1 means the hash was made with other limits (or another algorithm): the caller re-hashes while it has the
  // plaintext. -1 would be an unreadable hash, which verify already refused.
  return crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
             ? PasswordMatch::yes
             : PasswordMatch::yes_needs_rehash;
}

void verify_against_dummy(std::string_view password) { (void)verify_password(k_dummy_hash, password); }

} // namespace blogen::app
