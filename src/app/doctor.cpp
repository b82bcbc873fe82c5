#include <blogen/app/doctor.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/store/database.hpp>
#include <blogen/store/maintenance.hpp>

#include <algorithm>
#include <fmt/format.h>

namespace blogen::app {

bool DoctorReport::healthy() const {
  return std::all_of(checks.begin(), checks.end(), [](const DoctorCheck& check) { return check.ok; });
}

DoctorReport run_doctor(Context& context, const std::vector<DoctorExtension>& extensions) {
  DoctorReport report;
  const auto& path = context.store_path();
  report.store = store::printable_location(path);
  store::StoreInfo info;
  try {
    info = context.db().info();
    report.checks.push_back({"store", true, false, report.store});
  } catch (const Error& e) {
    report.checks.push_back({"store", false, false, e.what()});
    return report;
  }
  const bool schema_ok = info.schema_version == info.latest_schema_version;
  const DoctorCheck schema{
      "schema", schema_ok, false,
      fmt::format("version {} (this blogen: {})", info.schema_version, info.latest_schema_version)};
  if (info.engine == "postgresql") {
    // The server keeps its own files, integrity and permissions; what the doctor can tell is the server and how
    // the connection to it is protected (a password or the posts cross the network unencrypted without TLS).
    report.checks.push_back({"engine", true, false, "postgresql " + info.server_version});
    report.checks.push_back(schema);
    const bool protected_link = info.connection_security.rfind("unencrypted", 0) != 0;
    report.checks.push_back({"connection", true, !protected_link,
                             protected_link ? info.connection_security
                                            : info.connection_security + " (add ?sslmode=require for another host)"});
    for (const auto extension : extensions)
      extension(context, report);
    return report;
  }

  // quick_check reads every page (not every index): seconds on a large store, and it finds the damage that
  // matters. `blogen store check` runs the full integrity_check.
  const store::CheckResult pages = store::check(context.db(), store::CheckDepth::quick);
  std::string integrity = "quick_check ok";
  if (pages.only_post_counts) {
    integrity = pages.problems.front() + "; " + std::string(store::k_recount_advice);
  } else if (!pages.ok()) {
    integrity = store::damaged_store_message(path, pages.problems.front());
  }
  report.checks.push_back({"integrity", pages.ok(), false, integrity});

  report.checks.push_back(schema);

  const int file_mode = files::permission_bits(path);
  const int dir_mode = files::permission_bits(path.has_parent_path() ? path.parent_path() : ".");
  const bool file_private = file_mode >= 0 && (file_mode & 077) == 0;
  report.checks.push_back({"permissions", file_private, false,
                           fmt::format("store {:04o}{}, folder {:04o}{}", file_mode,
                                       file_private ? "" : " (others can read it: run chmod 600)", dir_mode,
                                       (dir_mode & 077) == 0 ? "" : " (shared folder)")});
  report.checks.push_back(
      {"engine", true, false, fmt::format("sqlite {} ({} journal)", info.sqlite_version, info.journal_mode)});
  report.checks.push_back(
      {"fts5", info.fts5_available, false, info.fts5_available ? "available" : "missing: full-text search will fail"});
  for (const auto extension : extensions)
    extension(context, report);
  return report;
}

} // namespace blogen::app
