#pragma once
// libpq is opened on first use (libpq_library.cpp), not linked: only commands on a PostgreSQL store pay for loading
// it and its dependencies (TLS, Kerberos, LDAP).

#include <string>

namespace blogen::store::pg {

/// "" once libpq is loaded (the first call, from any thread, loads it); else why it could not be, as a sentence for
/// the user naming the package to install. Call it before the first PQ* call: without the library those calls fail
/// (null connections and results) instead of crashing, but say nothing of why.
const std::string& libpq_library_problem();

} // namespace blogen::store::pg
