#pragma once
// `blogen store check` and `blogen store backup`: looking after the store file, and the one place that turns an
// unexpected failure into the message a user sees.

#include <blogen/app/context.hpp>
#include <blogen/core/error.hpp>
#include <blogen/store/maintenance.hpp>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::app {

/// What `store check` found.
struct StoreCheck {
  std::filesystem::path store;
  bool full = true;                  ///< integrity_check (true) or quick_check (false)
  std::vector<std::string> problems; ///< empty when the store is sound
  /// Every problem is a kept post count: `store check --repair` mends them (no backup needed).
  bool only_post_counts = false;
  /// --repair: how many (user, kind) post counts were counted again before the check; nullopt without it.
  std::optional<std::int64_t> recounted;
  [[nodiscard]] bool ok() const { return problems.empty(); }
};

/// What `store backup` wrote.
struct StoreBackup {
  std::filesystem::path store;
  std::filesystem::path file;
  std::int64_t bytes = 0;
  std::int64_t pages = 0;
};

/// Whether a backup may replace an existing file (`--force`).
enum class ReplaceBackup { no, yes };

/// Whether `store check` first counts each user's live posts again (--repair): the one thing it can mend, as the
/// counts are kept beside the posts and follow from them.
enum class RecountPosts { no, yes };

/// What to say when a check found only post counts that differ (StoreCheck::only_post_counts).
inline constexpr std::string_view k_recount_advice = store::k_recount_advice;

/// Runs SQLite's full integrity check (or the quicker page check) on the store, and compares its schema and kept
/// post counts with what blogen creates. Needs no login: whoever can read the file can check it (and, with
/// RecountPosts::yes, whoever can write it can recount).
StoreCheck check_store(Context& context, bool full, RecountPosts recount = RecountPosts::no);

/// Copies the store, consistently and while other processes use it, to a new 0600 file `target`.
/// Needs no login: whoever can read the store file can copy it anyway.
StoreBackup backup_store(Context& context, const std::filesystem::path& target, ReplaceBackup replace);

/// What `store copy` did: the two stores as they may be shown (no password) and every table with its rows.
struct StoreCopy {
  std::string from;
  std::string to;
  std::vector<std::pair<std::string, std::int64_t>> tables;
};

/// Copies everything from the store `from` into the empty store `to` (an SQLite file or a PostgreSQL URL each; a
/// missing target file is created), in one transaction on the target, and checks every table's count. Needs no
/// login: it works on whole stores, like backup. Error{not_found} for a missing source file, Error{usage} for a
/// non-empty target or the same store twice.
StoreCopy copy_store(const std::filesystem::path& from, const std::filesystem::path& to);

/// The error a user sees for a failure that escaped a command: SQLite's failures become sentences naming the store
/// and what to do; anything else is reported as an unexpected failure.
Error explain_failure(const std::exception& failure, const std::filesystem::path& store_file);

} // namespace blogen::app
