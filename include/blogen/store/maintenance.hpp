#pragma once
// Looking after the store file itself: checking it for damage, copying it while it is in use, and turning SQLite's
// low-level failures into sentences that name the file and say what to do.

#include <blogen/core/error.hpp>
#include <blogen/store/database.hpp>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::store {

/// How thorough a check is: `quick` (PRAGMA quick_check: page structure) or `full` (PRAGMA integrity_check:
/// also every index against its table).
enum class CheckDepth { quick, full };

/// What a check found: no problems means the store is sound.
struct CheckResult {
  std::vector<std::string> problems; ///< SQLite's own lines, at most `k_max_reported_problems`
  /// Every problem is a kept post count that differs from the posts: recount_posts mends them all.
  bool only_post_counts = false;
  [[nodiscard]] bool ok() const { return problems.empty(); }
};

/// How many problem lines a check reports at most (a badly damaged file can produce thousands).
inline constexpr int k_max_reported_problems = 20;

/// Runs quick_check or integrity_check on `db`. A file too damaged to be read at all is one problem, not a throw.
CheckResult check(Database& db, CheckDepth depth);

/// Compares only the kept post counts with the posts (what `check` does last): a check after recount_posts, without
/// reading every page again.
CheckResult check_post_counts(Database& db);

/// Counts each user's live posts again from the posts (post_counts, what `blog list` shows as its total), in one
/// transaction. Returns how many (user, kind) counts there are.
std::int64_t recount_posts(Database& db);

/// What to do when a check found only post counts that differ (CheckResult::only_post_counts).
inline constexpr std::string_view k_recount_advice =
    "the posts themselves are sound: 'blogen store check --repair' counts them again";

/// Whether `backup` may replace a file that already exists.
enum class Overwrite { no, yes };

/// What a backup wrote.
struct BackupResult {
  std::filesystem::path file;
  std::int64_t bytes = 0;
  std::int64_t pages = 0;
};

/// Copies the whole store to `target` through SQLite's online backup API: one consistent snapshot, taken while
/// other processes go on reading and writing. The copy is written to a 0600 temporary file beside `target` and
/// renamed into place only when complete, so `target` is never a half-written store.
/// Throws Error{usage} when `target` exists (and `overwrite` is no) or is the store itself.
BackupResult backup(Database& db, const std::filesystem::path& target, Overwrite overwrite);

/// Turns a failure that came out of SQLite (damage, a full disk, a read-only file, a store busy for too long, any
/// other SQLite error) into an Error whose message names `store_file` and what to do, never SQLite's own message
/// (which names tables and columns); nullopt for anything that is not SQLite's.
std::optional<Error> explain_failure(const std::exception& failure, const std::filesystem::path& store_file);

/// The message for a store that SQLite reports as damaged (shared by open, explain_failure and the doctor).
std::string damaged_store_message(const std::filesystem::path& store_file, const std::string& detail);

} // namespace blogen::store
