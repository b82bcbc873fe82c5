// The five functions of libdate-tz that blogen calls, defined here with the signatures date/tz.h declares, each
// forwarding to libdate-tz.so.3 opened with dlopen on the first call (the same arrangement as libcurl's in
// src/gen/curl_library.cpp). Only schedules and --at/--tz use time zones, yet a linked libdate-tz was loaded by every
// command before main(), with static initialisers that look for the zone database: 0.6 ms of a 11 ms `blog show`
// (#18). The rest of date/tz.h is templates and inline functions over these five. A date:: function used elsewhere
// but not forwarded here fails to link: add it below. The executable does not export these names, so the library's
// calls to its own functions never land here.
#include "date_tz_library.hpp"

#include <blogen/core/error.hpp>
#include <blogen/core/shared_library.hpp>

#include <date/tz.h>

namespace blogen {
namespace {

// The Itanium C++ ABI (g++ and clang on Linux) passes `this` to a member function as its first argument (after the
// address of a returned class, as for any function), so the library's two get_info_impl members are called through
// plain function pointers that take the zone first.
using SysInfoOf = date::sys_info(const date::time_zone*, date::sys_seconds);
using LocalInfoOf = date::local_info(const date::time_zone*, date::local_seconds);

struct DateTzApi {
  decltype(&date::locate_zone) locate_zone = nullptr;
  decltype(&date::current_zone) current_zone = nullptr;
  decltype(&date::get_tzdb) get_tzdb = nullptr;
  SysInfoOf* sys_info_of = nullptr;
  LocalInfoOf* local_info_of = nullptr;
  std::string problem;
};

DateTzApi load() {
  return bind_library<DateTzApi>("libdate-tz.so.3", "libdate-tz3", [](SharedLibrary& library, DateTzApi& api) {
    library.bind(api.locate_zone, "_ZN4date11locate_zoneESt17basic_string_viewIcSt11char_traitsIcEE");
    library.bind(api.current_zone, "_ZN4date12current_zoneEv");
    library.bind(api.get_tzdb, "_ZN4date8get_tzdbEv");
    library.bind(api.sys_info_of, "_ZNK4date9time_zone13get_info_implENSt6chrono10time_pointINS1_3_V212system_"
                                  "clockENS1_8durationIlSt5ratioILl1ELl1EEEEEE");
    library.bind(api.local_info_of, "_ZNK4date9time_zone13get_info_implENSt6chrono10time_pointINS_7local_tENS1_"
                                    "8durationIlSt5ratioILl1ELl1EEEEEE");
  });
}

// Loaded once, on first use, thread-safe (worker threads evaluate schedules); never destroyed (see SharedLibrary).
const DateTzApi& api() {
  static const DateTzApi* const loaded = new DateTzApi(load());
  return *loaded;
}

// The functions below return references and pointers the library owns, so there is nothing to return when it could
// not be loaded: they throw, and callers that can say more check date_tz_library_problem() first.
const DateTzApi& loaded_api() {
  const DateTzApi& loaded = api();
  if (!loaded.problem.empty()) throw Error(ErrorCode::failed, "time zones are not available: " + loaded.problem);
  return loaded;
}

} // namespace

const std::string& date_tz_library_problem() { return api().problem; }

} // namespace blogen

namespace date {

const time_zone* locate_zone(std::string_view tz_name) { return blogen::loaded_api().locate_zone(tz_name); }

const time_zone* current_zone() { return blogen::loaded_api().current_zone(); }

const tzdb& get_tzdb() { return blogen::loaded_api().get_tzdb(); }

// Only reached through a zone the library returned, so the library is loaded.
sys_info time_zone::get_info_impl(sys_seconds tp) const { return blogen::loaded_api().sys_info_of(this, tp); }

local_info time_zone::get_info_impl(local_seconds tp) const { return blogen::loaded_api().local_info_of(this, tp); }

} // namespace date
