#include <blogen/app/store_maintenance.hpp>
#include <blogen/store/copy.hpp>
#include <blogen/store/maintenance.hpp>

#include <fmt/format.h>

namespace blogen::app {

StoreCheck check_store(Context& context, bool full, RecountPosts recount) {
  StoreCheck result;
  result.store = context.store_path();
  result.full = full;
  store::Database db = store::Database::open(context.store_path(), store::OpenFor::maintenance);
  if (recount == RecountPosts::yes) {
    if (const auto info = db.info(); info.schema_version != info.latest_schema_version) {
      throw Error(ErrorCode::failed,
                  fmt::format("{} has schema version {}, this blogen {}: run any other command first (it brings the "
                              "store up to date), then 'store check --repair'; nothing was changed",
                              context.store_path().string(), info.schema_version, info.latest_schema_version));
    }
  }
  store::CheckResult found = store::check(db, full ? store::CheckDepth::full : store::CheckDepth::quick);
  if (recount == RecountPosts::yes) {
    // A store damaged otherwise is not written to. When only counts differed (or nothing did), they are counted
    // again and compared once more: the pages were read once, by the check above.
    if (!found.ok() && !found.only_post_counts) {
      throw Error(ErrorCode::failed, context.store_path().string() +
                                         " is damaged beyond its post counts; nothing was changed. Run 'blogen "
                                         "store check' to see what is wrong");
    }
    result.recounted = store::recount_posts(db);
    found = store::check_post_counts(db);
  }
  result.problems = found.problems;
  result.only_post_counts = found.only_post_counts;
  return result;
}

StoreBackup backup_store(Context& context, const std::filesystem::path& target, ReplaceBackup replace) {
  context.refuse_store_file(target, "store backup FILE");
  store::Database db = store::Database::open(context.store_path(), store::OpenFor::maintenance);
  const store::BackupResult written =
      store::backup(db, target, replace == ReplaceBackup::yes ? store::Overwrite::yes : store::Overwrite::no);
  return {context.store_path(), written.file, written.bytes, written.pages};
}

StoreCopy copy_store(const std::filesystem::path& from, const std::filesystem::path& to) {
  StoreCopy result{store::printable_location(from), store::printable_location(to), {}};
  if (from.empty()) throw Error(ErrorCode::usage, "store copy --from: the store is empty");
  if (to.empty()) throw Error(ErrorCode::usage, "store copy --to: the store is empty");
  if (result.from == result.to) {
    throw Error(ErrorCode::usage, "store copy: --from and --to name the same store " + result.from);
  }
  std::error_code ec;
  if (!store::is_server_location(from) && !std::filesystem::exists(from, ec)) {
    throw Error(ErrorCode::not_found, "store copy --from: there is no store at " + result.from);
  }
  store::Database source = store::Database::open(from);
  store::Database target = store::Database::open(to);
  for (const auto& copied : store::copy_store(source, target))
    result.tables.emplace_back(copied.table, copied.rows);
  return result;
}

Error explain_failure(const std::exception& failure, const std::filesystem::path& store_file) {
  if (const auto* error = dynamic_cast<const Error*>(&failure)) return *error;
  if (auto explained = store::explain_failure(failure, store_file)) return *explained;
  return Error(ErrorCode::failed, describe_failure(failure));
}

} // namespace blogen::app
