#pragma once
// libsodium must be initialised once before use (it picks CPU-specific code and seeds its RNG).

#include <blogen/core/error.hpp>

#include <sodium.h>

namespace blogen::app {

/// Initialises libsodium on first call (thread-safe through the static); throws when it cannot.
inline void ensure_sodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) throw Error(ErrorCode::failed, "cannot initialise libsodium");
    return true;
  }();
  (void)ready;
}

} // namespace blogen::app
