#include <blogen/app/context.hpp>
#include <blogen/core/error.hpp>

#include <array>
#include <string>

namespace blogen::app {

Context::Context(std::filesystem::path store_path, Clock& clock)
    : m_store_path(std::move(store_path)), m_clock(clock) {}

store::Database& Context::db() {
  if (!m_db) m_db.emplace(store::Database::open(m_store_path));
  return *m_db;
}

store::Database Context::open_connection() const { return store::Database::open(m_store_path); }

} // namespace blogen::app

namespace blogen::app {

void Context::refuse_store_file(const std::filesystem::path& file, std::string_view flag) const {
  const std::string store = m_store_path.string();
  for (const std::string& name :
       std::array<std::string, 4>{store, store + "-wal", store + "-shm", store + "-journal"}) {
    std::error_code ec; // equivalent() only stats: it never opens either file
    if (std::filesystem::equivalent(file, name, ec)) {
      throw Error(ErrorCode::usage, std::string(flag) + ": " + file.string() + " is " +
                                        (name == store ? "the blogen store itself" : "a file of the blogen store") +
                                        "; name another file");
    }
  }
}

} // namespace blogen::app
