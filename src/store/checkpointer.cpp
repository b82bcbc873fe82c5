#include "checkpointer.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <system_error>
#include <thread>

namespace blogen::store {
namespace {

// The files waiting for a checkpoint, and the one thread that makes them. Never destroyed, and its thread is
// detached: a process may end while it checkpoints (the WAL is safe at any point), and nothing at exit waits for it.
struct Checkpoints {
  std::mutex mutex;
  std::condition_variable wake;
  std::set<std::string> due;
  /// The WAL length at each file's last request: the hook reports the WAL's whole length, and while writers keep
  /// appending during a PASSIVE checkpoint the WAL does not start over, so without this every commit would ask again.
  std::map<std::string, int> asked_at;
  bool thread_started = false;
};

Checkpoints& checkpoints() {
  static Checkpoints* const state = new Checkpoints; // NOLINT(cppcoreguidelines-owning-memory): kept for the process
  return *state;
}

// Each checkpoint opens a connection of its own and closes it after: none outlives the work, so the last
// connection of the last process still removes the WAL when it closes.
void checkpoint(const std::string& file) {
  sqlite3* connection = nullptr;
  if (sqlite3_open_v2(file.c_str(), &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK) {
    // A new connection knows the store is in WAL mode only once it has read it: one small read first.
    sqlite3_exec(connection, "SELECT 1 FROM sqlite_schema LIMIT 1", nullptr, nullptr, nullptr);
    // SQLITE_BUSY (another checkpoint runs) or any failure: the next long WAL asks again.
    sqlite3_wal_checkpoint_v2(connection, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    // Then the frames committed meanwhile, and the WAL starts over from its first frame. A PASSIVE checkpoint alone
    // never caught up while a batch kept committing, so the WAL never started over: a 1 000-post batch at
    // concurrency 50 left 86 MB of it (17 MB now), which the last connection synced, copied and removed as the
    // batch ended (~80 ms of its wall time). This connection has no busy handler: it waits for no writer and no
    // reader; when one is active the attempt is given up and the next checkpoint tries again. While it holds the
    // write lock, writers wait for its few frames and one sync of the store file.
    sqlite3_wal_checkpoint_v2(connection, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  }
  sqlite3_close(connection);
}

[[noreturn]] void make_checkpoints(Checkpoints& state) {
  for (;;) {
    std::string file;
    {
      std::unique_lock lock(state.mutex);
      state.wake.wait(lock, [&] { return !state.due.empty(); });
      file = *state.due.begin();
      state.due.erase(state.due.begin());
    }
    checkpoint(file);
  }
}

void request_checkpoint(const std::string& file, int pages) noexcept {
  Checkpoints& state = checkpoints();
  try {
    const std::lock_guard lock(state.mutex);
    int& asked_at = state.asked_at[file];
    if (pages < asked_at) asked_at = 0; // the WAL started over
    if (asked_at != 0 && pages - asked_at < k_background_checkpoint_pages) return;
    asked_at = pages;
    state.due.insert(file);
    if (!state.thread_started) {
      std::thread([&state] { make_checkpoints(state); }).detach();
      state.thread_started = true;
    }
    state.wake.notify_one();
  } catch (...) { // NOLINT(bugprone-empty-catch): no memory or no thread: the inline checkpoint is the fallback
  }
}

int on_commit(void* file, sqlite3* connection, const char* database, int pages) {
  if (pages >= k_inline_checkpoint_pages) {
    sqlite3_wal_checkpoint_v2(connection, database, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= k_background_checkpoint_pages) {
    request_checkpoint(static_cast<const std::filesystem::path*>(file)->string(), pages);
  }
  return SQLITE_OK;
}

} // namespace

void checkpoint_in_background(sqlite3* connection, const std::filesystem::path& file) {
  sqlite3_wal_hook(connection, &on_commit,
                   const_cast<std::filesystem::path*>(&file)); // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

} // namespace blogen::store
