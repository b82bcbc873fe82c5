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
  nlohmann::json recounted = nullptr;
  if (result.recounted) recounted = *result.recounted;
  return {{"store", result.store.string()},
          {"check", check_kind(checked)},
          {"recounted", recounted},
          {"ok", result.ok()},
          {"problems", result.problems}};
}

void to_text(term::Output& out, const StoreChecked& checked) {
  const app::StoreCheck& result = checked.result;
  if (result.recounted) {
    out.note(fmt::format("counted each user's live posts again from the posts ({} count{})", *result.recounted,
                         *result.recounted == 1 ? "" : "s"));
  }
  if (result.ok()) {
    out.line(fmt::format("{}: ok ({})", result.store.string(), check_kind(checked)));
    return;
  }
  out.error(fmt::format("{} {} ({} found {} problem{}):", result.store.string(),
                        result.only_post_counts ? "keeps post counts that differ from its posts" : "is damaged",
                        check_kind(checked), result.problems.size(), result.problems.size() == 1 ? "" : "s"));
  for (const auto& problem : result.problems)
    out.line(term::sanitize_single_line(problem));
  if (result.only_post_counts) {
    // Kept beside the posts and following from them: counting again mends it, no backup is needed.
    out.error(std::string(app::k_recount_advice));
    return;
  }
  out.error("stop every blogen process that uses it and restore the latest backup ('blogen store backup' "
            "makes one; see 'man blogen', STORE MAINTENANCE)");
}

void to_quiet(term::Output& out, const StoreChecked& checked) {
  if (!checked.result.ok()) to_text(out, checked);
}

void add_check(CLI::App& store, Registry& registry) {
  struct Options {
    bool quick = false;
    bool repair = false;
  };
  auto options = make_options<Options>();
  auto* check = store.add_subcommand(
      "check", "Check the whole store for damage (SQLite integrity_check); exit 1 when it finds any");
  check->add_flag("--quick", options->quick,
                  "Check the pages only (quick_check), not every index against its table (the schema and the post "
                  "counts are compared either way)");
  check->add_flag("--repair", options->repair,
                  "First count each user's live posts again from the posts (the total 'blog list' shows), then check");
  registry.on(check, [options](Env& env) {
    const app::StoreCheck result =
        app::check_store(env.app(), !options->quick, options->repair ? app::RecountPosts::yes : app::RecountPosts::no);
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

void add_copy(CLI::App& store, Registry& registry) {
  struct Options {
    std::string from;
    std::string to;
  };
  auto options = make_options<Options>();
  auto* copy = store.add_subcommand("copy", "Copy a whole store into an empty one: SQLite file to PostgreSQL "
                                            "database or back, in one transaction, counts checked");
  copy->add_option("--from", options->from, "The store to copy: a file or postgresql://user@host/db")->required();
  copy->add_option("--to", options->to, "The empty store to fill: a new file or an empty PostgreSQL database")
      ->required();
  registry.on(copy, [options](Env& env) {
    const app::StoreCopy copied = app::copy_store(options->from, options->to);
    nlohmann::json tables = nlohmann::json::object();
    std::int64_t rows = 0;
    for (const auto& [table, count] : copied.tables) {
      tables[table] = count;
      rows += count;
    }
    present(env.out(), Outcome{{{"from", copied.from}, {"to", copied.to}, {"rows", rows}, {"tables", tables}},
                               fmt::format("copied {} rows in {} tables from {} to {}", rows, copied.tables.size(),
                                           copied.from, copied.to),
                               {},
                               {}});
    return 0;
  });
}

} // namespace

void add_store_commands(CLI::App& root, Registry& registry) {
  auto* store = root.add_subcommand(
      "store", "Look after the store: check a file for damage, back it up, copy it to another engine");
  add_check(*store, registry);
  add_backup(*store, registry);
  add_copy(*store, registry);
}

} // namespace blogen::cli
