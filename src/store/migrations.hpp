#pragma once
// Ordered schema steps compiled into the binary. Step N moves the store from user_version N-1 to N.

#include <span>

namespace blogen::store {

/// One schema step: the SQL that moves the store to `version`.
struct Migration {
  int version;
  const char* description;
  const char* sql;
};

/// Every step, in order. Append new steps; never edit a released one.
std::span<const Migration> migrations();

} // namespace blogen::store
