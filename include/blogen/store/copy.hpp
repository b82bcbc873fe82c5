#pragma once
// Moving a store from one engine or place to another: every row of every table, ids kept.

#include <blogen/store/database.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace blogen::store {

/// One table copied, with its number of rows (the same in source and target: the copy checks).
struct CopiedTable {
  std::string table;
  std::int64_t rows = 0;
};

/// Copies everything `from` holds (users with their password hashes, sessions, posts and their revisions,
/// campaigns, batches, jobs, the call log, schedules, providers, prices, settings ...) into `to`, keeping every id,
/// in one write transaction on `to`. Reads `from` in one consistent snapshot. Throws Error{usage} when `to` holds
/// any row already, and Error{failed} when a table's count in `to` differs from `from` afterwards; either way `to`
/// is left as it was. Both stores must be at this blogen's schema (opening them migrates them).
std::vector<CopiedTable> copy_store(Database& from, Database& to);

/// The tables copy_store copies, in an order where every row's references are copied before it.
const std::vector<std::string>& copied_tables();

} // namespace blogen::store
