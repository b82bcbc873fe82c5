// `blogen doctor`: the store, its schema and permissions, the session and providers.
#include "commands.hpp"
#include "present.hpp"

#include <blogen/app/doctor.hpp>
#include <blogen/app/provider_doctor.hpp>
#include <blogen/app/session_doctor.hpp>
#include <blogen/term/sanitize.hpp>

namespace blogen::cli {
namespace {

/// The checks and whether the store is healthy. With -q the checks are printed only when one failed.
struct DoctorShown {
  app::DoctorReport report;
  std::string store_path;
};

nlohmann::json to_json(const DoctorShown& shown) {
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& check : shown.report.checks) {
    checks.push_back({{"name", check.name}, {"ok", check.ok}, {"warning", check.warning}, {"detail", check.detail}});
  }
  return {{"healthy", shown.report.healthy()},
          {"store", shown.store_path},
          {"version", BLOGEN_VERSION},
          {"checks", checks}};
}

void to_text(term::Output& out, const DoctorShown& shown) {
  for (const auto& check : shown.report.checks) {
    const std::string mark = !check.ok       ? out.styled("FAIL", term::Style::red)
                             : check.warning ? out.styled("WARN", term::Style::yellow)
                                             : out.styled(" ok ", term::Style::green);
    out.line("[" + mark + "] " + check.name + ": " + term::sanitize_single_line(check.detail));
  }
}

void to_quiet(term::Output& out, const DoctorShown& shown) {
  if (!shown.report.healthy()) to_text(out, shown);
}

} // namespace

void add_doctor_commands(CLI::App& root, Registry& registry) {
  auto* doctor =
      root.add_subcommand("doctor", "Check the store, its schema and permissions, the session and providers");
  registry.on(doctor, [](Env& env) {
    const app::DoctorReport report = app::run_doctor(env.app(), {&app::check_session, &app::check_providers});
    present(env.out(), DoctorShown{report, report.store});
    return report.healthy() ? 0 : 1;
  });
}

} // namespace blogen::cli
