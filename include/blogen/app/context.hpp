#pragma once
// What every use case needs: the store (opened on first use), the clock, and where files live.

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

namespace blogen::app {

/// Per-command environment for use cases. Owns the main thread's store connection.
class Context {
public:
  /// `store_path` is where the store lives (see paths::store_path); `clock` must outlive the context.
  Context(std::filesystem::path store_path, Clock& clock);
  /// The store, opened (created, migrated) on first use.
  store::Database& db();
  /// Opens a fresh connection to the same store, for another thread.
  [[nodiscard]] store::Database open_connection() const;
  [[nodiscard]] Clock& clock() const { return m_clock; }
  [[nodiscard]] const std::filesystem::path& store_path() const { return m_store_path; }
  /// Throws Error{usage} naming `flag` when `file` is the store or its -wal, -shm or -journal file. Reading such a
  /// file outside SQLite would drop the locks this process holds on the store (any close() of a descriptor of it
  /// releases them all), and writing one would destroy the store.
  void refuse_store_file(const std::filesystem::path& file, std::string_view flag) const;
  /// Lets this command run on a runner token (only `schedule run-due` and `worker` call this: a runner token minted
  /// for cron may run due schedules and queued jobs, nothing else).
  void accept_runner_tokens() { m_runner_tokens = true; }
  /// Whether this command runs on a runner token.
  [[nodiscard]] bool accepts_runner_tokens() const { return m_runner_tokens; }

private:
  std::filesystem::path m_store_path;
  Clock& m_clock;
  std::optional<store::Database> m_db;
  bool m_runner_tokens = false;
};

} // namespace blogen::app
