#pragma once
// Store-internal access to the SQLiteCpp connection. Only files in src/store include this.

#include <blogen/store/database.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

namespace blogen::store {

struct Database::Impl {
  Impl(const std::filesystem::path& file, int flags) : path(file), db(file.string(), flags) {}
  std::filesystem::path path;
  SQLite::Database db;
  int transaction_depth = 0;
};

/// The raw connection of a Database.
inline SQLite::Database& sql(Database& database) { return database.impl().db; }

} // namespace blogen::store
