// Libraries opened on first use (libcurl, libpq, libcmark, libdate-tz): a missing one is a sentence naming the package,
// never a crash.
#include <blogen/core/shared_library.hpp>

#include "core/date_tz_library.hpp"
#include "gen/curl_library.hpp"
#include "store/postgresql/libpq_library.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>

using blogen::call_or;
using blogen::SharedLibrary;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;

TEST_CASE("a library that cannot be opened names itself, the loader's reason and the package to install") {
  SharedLibrary library("/nonexistent/libcurl.so.4", "libcurl4");
  CHECK_THAT(library.problem(), StartsWith("/nonexistent/libcurl.so.4 could not be loaded ("));
  CHECK_THAT(library.problem(), Contains("cannot open shared object file"));
  CHECK_THAT(library.problem(), EndsWith("): install libcurl4"));
  // Its functions are bound to nothing, and a call through them gives the fallback instead of crashing.
  decltype(&std::strlen) length = &std::strlen;
  library.bind(length, "strlen");
  CHECK(length == nullptr);
  CHECK(call_or(length, std::size_t{42}, "abc") == 42);
}

TEST_CASE("a library without a symbol blogen needs is a problem naming the symbol, and the symbols found are bound") {
  SharedLibrary library("libc.so.6", "libc6");
  REQUIRE(library.problem().empty());
  decltype(&std::strlen) length = nullptr;
  library.bind(length, "strlen");
  REQUIRE(length != nullptr);
  CHECK(call_or(length, std::size_t{42}, "abc") == 3);
  CHECK(library.problem().empty());

  decltype(&std::strlen) missing = &std::strlen;
  library.bind(missing, "blogen_no_such_function");
  CHECK(missing == nullptr);
  CHECK_THAT(library.problem(), StartsWith("libc.so.6 could not be loaded ("));
  CHECK_THAT(library.problem(), Contains("blogen_no_such_function"));
  CHECK_THAT(library.problem(), EndsWith("): install libc6"));
}

namespace {

struct TwoFunctions {
  decltype(&std::strlen) length = nullptr;
  decltype(&std::strlen) other = nullptr;
  std::string problem;
};

} // namespace

TEST_CASE("bind_library is all or nothing: one missing symbol leaves every function unbound and says why") {
  const auto complete =
      blogen::bind_library<TwoFunctions>("libc.so.6", "libc6", [](SharedLibrary& library, TwoFunctions& api) {
        library.bind(api.length, "strlen");
        library.bind(api.other, "strlen");
      });
  CHECK(complete.problem.empty());
  REQUIRE(complete.length != nullptr);
  CHECK(complete.length("abcd") == 4);

  const auto partial =
      blogen::bind_library<TwoFunctions>("libc.so.6", "libc6", [](SharedLibrary& library, TwoFunctions& api) {
        library.bind(api.length, "strlen");
        library.bind(api.other, "blogen_no_such_function");
      });
  CHECK(partial.length == nullptr); // found, but not handed out without the other
  CHECK(partial.other == nullptr);
  CHECK_THAT(partial.problem, Contains("blogen_no_such_function") && EndsWith("install libc6"));

  const auto absent = blogen::bind_library<TwoFunctions>(
      "/nonexistent/libx.so.1", "libx1",
      [](SharedLibrary& library, TwoFunctions& api) { library.bind(api.length, "strlen"); });
  CHECK(absent.length == nullptr);
  CHECK_THAT(absent.problem, StartsWith("/nonexistent/libx.so.1 could not be loaded (") && EndsWith("install libx1"));
}

TEST_CASE("libcurl, libpq and libdate-tz load on first use where they are installed") {
  CHECK(blogen::gen::curl_library_problem().empty());
  CHECK(blogen::store::pg::libpq_library_problem().empty());
  CHECK(blogen::date_tz_library_problem().empty());
}
