#pragma once
// The PostgreSQL engine's schema steps: the same version numbers as the SQLite steps (migrations.cpp), each
// leaving the same tables, columns, defaults, CHECKs and indexes, written in PostgreSQL's DDL.

#include "../migrations.hpp"

#include <span>

namespace blogen::store::pg {

/// Every PostgreSQL step, in order, numbered like store::migrations().
std::span<const Migration> postgresql_migrations();

} // namespace blogen::store::pg
