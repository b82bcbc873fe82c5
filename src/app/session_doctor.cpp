#include <blogen/app/session_doctor.hpp>
#include <blogen/app/session_file.hpp>
#include <blogen/app/sessions.hpp>
#include <blogen/core/error.hpp>

#include <fmt/format.h>

namespace blogen::app {

void check_session(Context& context, DoctorReport& report) {
  try {
    const auto stored = load_session_token();
    if (!stored) {
      report.checks.push_back({"session", true, true, "not logged in (run 'blogen login')"});
      return;
    }
    const ActiveSession session = authenticate(context, stored->token, SessionUse::peek);
    report.checks.push_back(
        {"session", true, false,
         fmt::format("logged in as {}{}, expires {}{}", session.user.username, session.user.is_admin ? " (admin)" : "",
                     format_iso8601(session.expires_at),
                     stored->source == TokenSource::environment ? " (token from BLOGEN_TOKEN)" : "")});
  } catch (const Error& e) {
    // Not being logged in is normal on a fresh machine or in cron with another token: a warning, not a failure.
    report.checks.push_back({"session", true, true, fmt::format("not logged in: {}", e.what())});
  }
}

} // namespace blogen::app
