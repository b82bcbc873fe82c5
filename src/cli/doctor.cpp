#include "commands.hpp"

#include <blogen/app/doctor.hpp>
#include <blogen/app/session_doctor.hpp>
#include <blogen/term/sanitize.hpp>

namespace blogen::cli {

void add_doctor_commands(CLI::App& root, Registry& registry) {
  auto* doctor =
      root.add_subcommand("doctor", "Check the store, its schema and permissions, the session and providers");
  registry.on(doctor, [](Env& env) {
    const app::DoctorReport report = app::run_doctor(env.app(), {&app::check_session});
    auto& out = env.out();
    if (out.json()) {
      nlohmann::json checks = nlohmann::json::array();
      for (const auto& check : report.checks) {
        checks.push_back(
            {{"name", check.name}, {"ok", check.ok}, {"warning", check.warning}, {"detail", check.detail}});
      }
      out.print_json({{"healthy", report.healthy()},
                      {"store", env.app().store_path().string()},
                      {"version", BLOGEN_VERSION},
                      {"checks", checks}});
    } else if (!out.quiet() || !report.healthy()) {
      for (const auto& check : report.checks) {
        const std::string mark = !check.ok       ? out.styled("FAIL", term::Style::red)
                                 : check.warning ? out.styled("WARN", term::Style::yellow)
                                                 : out.styled(" ok ", term::Style::green);
        out.line("[" + mark + "] " + check.name + ": " + term::sanitize_single_line(check.detail));
      }
    }
    return report.healthy() ? 0 : 1;
  });
}

} // namespace blogen::cli
