// store_lock_probe FILE: what another process sees of the locks this test process holds on a store.
// It does what any short blogen command does (open, read, close), then asks for the write lock without waiting.
// Exit 0: it got the write lock; 1: SQLITE_BUSY (someone holds it); 2: anything else (message on stderr).
// The first close matters: a process that believes it is the store's last user checkpoints and removes the WAL,
// which is how a lost lock turns into a damaged store.

#include <sqlite3.h>

#include <cstdio>

namespace {

int fail(sqlite3* db, const char* what) {
  std::fprintf(stderr, "store_lock_probe: %s: %s\n", what, db != nullptr ? sqlite3_errmsg(db) : "no connection");
  sqlite3_close(db);
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: store_lock_probe FILE\n");
    return 2;
  }
  sqlite3* reader = nullptr;
  if (sqlite3_open_v2(argv[1], &reader, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) return fail(reader, "open");
  if (sqlite3_exec(reader, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return fail(reader, "read");
  }
  sqlite3_close(reader);

  sqlite3* writer = nullptr;
  if (sqlite3_open_v2(argv[1], &writer, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) return fail(writer, "open");
  sqlite3_busy_timeout(writer, 0);
  const int rc = sqlite3_exec(writer, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(writer);
  if (rc == SQLITE_OK) return 0;
  if (rc == SQLITE_BUSY) return 1;
  std::fprintf(stderr, "store_lock_probe: BEGIN IMMEDIATE: %s\n", sqlite3_errstr(rc));
  return 2;
}
