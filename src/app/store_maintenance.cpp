#include <blogen/app/store_maintenance.hpp>
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

Error explain_failure(const std::exception& failure, const std::filesystem::path& store_file) {
  if (const auto* error = dynamic_cast<const Error*>(&failure)) return *error;
  if (auto explained = store::explain_failure(failure, store_file)) return *explained;
  return Error(ErrorCode::failed, describe_failure(failure));
}

} // namespace blogen::app
