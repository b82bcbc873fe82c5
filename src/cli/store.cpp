// `blogen store ...`: check the store file for damage and back it up.
#include "commands.hpp"
#include "present.hpp"

#include <blogen/app/store_maintenance.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

/// `store check`: ok, or the problems found (with -q only the problems).
struct StoreChecked {
  app::StoreCheck result;
};

const char* check_kind(const StoreChecked& checked) { return checked.result.full ? "integrity_check" : "quick_check"; }

nlohmann::json to_json(const StoreChecked& checked) {
  const app::StoreCheck& result = checked.result;
  return {{"store", result.store.string()},
          {"check", check_kind(checked)},
          {"ok", result.ok()},
          {"problems", result.problems}};
}

void to_text(term::Output& out, const StoreChecked& checked) {
  const app::StoreCheck& result = checked.result;
  if (result.ok()) {
    out.line(fmt::format("{}: ok ({})", result.store.string(), check_kind(checked)));
    return;
  }
  out.error(fmt::format("{} is damaged ({} found {} problem{}):", result.store.string(), check_kind(checked),
                        result.problems.size(), result.problems.size() == 1 ? "" : "s"));
  for (const auto& problem : result.problems)
    out.line(term::sanitize_single_line(problem));
  out.error("stop every blogen process that uses it and restore the latest backup ('blogen store backup' "
            "makes one; see 'man blogen', STORE MAINTENANCE)");
}

void to_quiet(term::Output& out, const StoreChecked& checked) {
  if (!checked.result.ok()) to_text(out, checked);
}

void add_check(CLI::App& store, Registry& registry) {
  auto quick = std::make_shared<bool>(false);
  auto* check = store.add_subcommand(
      "check", "Check the whole store for damage (SQLite integrity_check); exit 1 when it finds any");
  check->add_flag("--quick", *quick, "Check the pages only (quick_check), not every index against its table");
  registry.on(check, [quick](Env& env) {
    const app::StoreCheck result = app::check_store(env.app(), !*quick);
    present(env.out(), StoreChecked{result});
    return result.ok() ? 0 : 1;
  });
}

void add_backup(CLI::App& store, Registry& registry) {
  struct Options {
    std::string file;
    bool force = false;
  };
  auto options = make_options<Options>();
  auto* backup = store.add_subcommand(
      "backup", "Copy the store to FILE (0600): a consistent snapshot, safe while workers and cron runs use it");
  backup->add_option("FILE", options->file, "The backup file to write (refused when it exists, unless --force)")
      ->required();
  backup->add_flag("--force", options->force, "Replace FILE when it exists");
  registry.on(backup, [options](Env& env) {
    const app::StoreBackup written =
        app::backup_store(env.app(), options->file, options->force ? app::ReplaceBackup::yes : app::ReplaceBackup::no);
    present(env.out(), Outcome{{{"store", written.store.string()},
                                {"backup", written.file.string()},
                                {"bytes", written.bytes},
                                {"pages", written.pages}},
                               fmt::format("backed up {} to {} ({} bytes)", written.store.string(),
                                           written.file.string(), written.bytes),
                               {},
                               {}});
    return 0;
  });
}

} // namespace

void add_store_commands(CLI::App& root, Registry& registry) {
  auto* store = root.add_subcommand("store", "Look after the store file: check it for damage, back it up");
  add_check(*store, registry);
  add_backup(*store, registry);
}

} // namespace blogen::cli
