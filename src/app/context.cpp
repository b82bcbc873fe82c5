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
  // The -wal and -shm files come and go (the last process to close the store removes them), so a name that would
  // become one is refused as well as a file that is one. Both tests only stat: neither file is ever opened.
  std::error_code ec;
  const std::filesystem::path wanted = std::filesystem::weakly_canonical(std::filesystem::absolute(file, ec), ec);
  const std::string store = std::filesystem::weakly_canonical(std::filesystem::absolute(m_store_path, ec), ec).string();
  for (const std::string& name :
       std::array<std::string, 4>{store, store + "-wal", store + "-shm", store + "-journal"}) {
    if (wanted == std::filesystem::path(name) || std::filesystem::equivalent(file, name, ec)) {
      throw Error(ErrorCode::usage, std::string(flag) + ": " + file.string() + " is " +
                                        (name == store ? "the blogen store itself" : "a file of the blogen store") +
                                        "; name another file");
    }
  }
}

} // namespace blogen::app
