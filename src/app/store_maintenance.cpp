#include <blogen/app/store_maintenance.hpp>
#include <blogen/store/copy.hpp>
#include <blogen/store/maintenance.hpp>

#include <fmt/format.h>

namespace blogen::app {

StoreCheck check_store(Context& context, bool full) {
  StoreCheck result;
  result.store = context.store_path();
  result.full = full;
  store::Database db = store::Database::open(context.store_path(), store::OpenFor::maintenance);
  result.problems = store::check(db, full ? store::CheckDepth::full : store::CheckDepth::quick).problems;
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
