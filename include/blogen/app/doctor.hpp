#pragma once
// `blogen doctor`: checks that the store, the session and the providers are usable, without changing anything
// but creating the store on first use.

#include <blogen/app/context.hpp>

#include <string>
#include <vector>

namespace blogen::app {

/// One line of the doctor's report.
struct DoctorCheck {
  std::string name; ///< e.g. "store", "schema", "permissions"
  bool ok = true;
  bool warning = false; ///< not fatal, but worth a look
  std::string detail;
};

/// The doctor's report; `healthy()` decides the exit code.
struct DoctorReport {
  std::vector<DoctorCheck> checks;
  std::string store; ///< the store as it may be shown: a file's absolute path, a server's URL without its password
  [[nodiscard]] bool healthy() const;
};

/// A hook by which later layers (sessions, providers) add checks without the doctor knowing them.
using DoctorExtension = void (*)(Context&, DoctorReport&);

/// Runs every check. Never throws for a broken store: the failure becomes a check.
DoctorReport run_doctor(Context& context, const std::vector<DoctorExtension>& extensions = {});

} // namespace blogen::app
