#include <blogen/app/context.hpp>

namespace blogen::app {

Context::Context(std::filesystem::path store_path, Clock& clock)
    : m_store_path(std::move(store_path)), m_clock(clock) {}

store::Database& Context::db() {
  if (!m_db) m_db.emplace(store::Database::open(m_store_path));
  return *m_db;
}

store::Database Context::open_connection() const { return store::Database::open(m_store_path); }

} // namespace blogen::app
