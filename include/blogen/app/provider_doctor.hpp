#pragma once
// The doctor's provider lines: whether each configured provider (and the one in use) could make a request now.

#include <blogen/app/doctor.hpp>

namespace blogen::app {

/// Adds one "provider NAME" check per configured provider and for the provider in use: its key and credential
/// header variables are set, its base URL is well-formed, no credential is stored in the clear. Without a request.
/// A problem of the provider in use fails the doctor; one of another provider is a warning.
void check_providers(Context& context, DoctorReport& report);

} // namespace blogen::app
