#pragma once
// WAL checkpoints off the writers' path. SQLite's automatic checkpoint runs inside the commit that crosses its
// threshold, while that writer holds the store: a 40 MB checkpoint stalled every other writer of a batch (at
// concurrency 50 a tenth of the results waited 70 ms or more to be recorded). Here a commit that leaves the WAL long
// asks a thread of this process to checkpoint it (PASSIVE: it never blocks a writer or a reader), and only a WAL far
// past that length is checkpointed inline, as before (the thread could not keep up, or does not exist: a forked
// child).

#include <sqlite3.h>

#include <filesystem>

namespace blogen::store {

/// WAL length (pages) past which a commit asks for a checkpoint in the background, and again for every as many more.
/// 2 000 pages (8 MB): with the restart that follows each checkpoint (checkpointer.cpp) the WAL stays a few times
/// that; 10 000 let it reach 40 MB before the first checkpoint, and no smaller figure measured faster.
inline constexpr int k_background_checkpoint_pages = 2000;
/// WAL length (pages) past which the committing connection checkpoints itself (PASSIVE).
inline constexpr int k_inline_checkpoint_pages = 40000;

/// Installs the commit hook on an SQLite connection of `file` (replacing SQLite's automatic checkpoint). The hook
/// keeps a reference to `file`: it must outlive the connection (the connection's Database::Impl::path does).
void checkpoint_in_background(sqlite3* connection, const std::filesystem::path& file);

} // namespace blogen::store
