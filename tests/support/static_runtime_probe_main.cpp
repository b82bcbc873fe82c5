// Release builds link libstdc++ statically (CMakeLists.txt, BLOGEN_STATIC_LIBS), while libdate-tz, opened on first use,
// brings the shared libstdc++ with it: two copies of the C++ runtime in one process. What crosses between them is an
// exception that libdate-tz throws (an unknown zone) and blogen catches, which needs one unwinder for both: with
// libgcc linked statically too, the catch aborted the process. This probe is built that way in every build (the
// suite's ASan build cannot be), so the test below fails if the arrangement stops working.
#include "date_tz_library.hpp"

#include <date/tz.h>

#include <cstdio>
#include <stdexcept>

int main() {
  if (!blogen::date_tz_library_problem().empty()) {
    std::printf("libdate-tz not loaded: %s\n", blogen::date_tz_library_problem().c_str());
    return 1;
  }
  bool caught = false;
  try {
    (void)date::locate_zone("Mars/Olympus");
  } catch (const std::runtime_error&) {
    caught = true;
  }
  const date::time_zone* berlin = date::locate_zone("Europe/Berlin");
  using namespace std::chrono;
  const auto summer = date::sys_days{date::year{2026} / 7 / 1};
  const date::sys_info info = berlin->get_info(summer);
  std::printf("unknown zone caught: %s; Europe/Berlin in July: %s, UTC%+lld min\n", caught ? "yes" : "no",
              info.abbrev.c_str(), static_cast<long long>(duration_cast<minutes>(info.offset).count()));
  return caught ? 0 : 1;
}
