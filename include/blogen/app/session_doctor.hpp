#pragma once
// The doctor's session line: who is logged in and until when, or a warning when nobody is.

#include <blogen/app/doctor.hpp>

namespace blogen::app {

/// Adds a "session" check: ok with the user and expiry, or a warning (never a failure) when not logged in.
void check_session(Context& context, DoctorReport& report);

} // namespace blogen::app
