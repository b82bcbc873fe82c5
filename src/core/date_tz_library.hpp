#pragma once
// libdate-tz (Howard Hinnant's time-zone library) is opened with dlopen on first use: see date_tz_library.cpp.

#include <string>

namespace blogen {

/// "" once libdate-tz.so.3 is loaded with every function blogen calls; else why not, naming the package to install.
/// Loads it on the first call.
const std::string& date_tz_library_problem();

} // namespace blogen
