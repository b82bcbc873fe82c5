#pragma once
// Libraries only some commands need (libcurl for providers, libpq for PostgreSQL stores) are opened on first use
// rather than linked: every library an executable names is loaded, with all of its own dependencies (about 30 for
// these two: TLS, Kerberos, LDAP, HTTP/2...), by every process before main(), `blogen --version` included.

#include <string>
#include <type_traits>
#include <utility>

namespace blogen {

/// A shared library opened with dlopen and kept for the life of the process (never closed: thread-local handles
/// of it may be cleaned up at thread exit).
class SharedLibrary {
public:
  /// Opens `file` (a soname such as "libcurl.so.4"); when that fails, problem() names the `package` to install.
  SharedLibrary(std::string file, std::string package);
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;
  ~SharedLibrary() = default;

  /// "" while the library and every symbol bound so far were found; else why not, as a sentence for the user:
  /// "libcurl.so.4 could not be loaded (<the loader's reason>): install libcurl4".
  [[nodiscard]] const std::string& problem() const { return m_problem; }

  /// Points `function` at the library's symbol `name`, or at nothing when it is missing (an older library), which
  /// becomes the problem. `function`'s type is the header's declaration, so a wrong signature does not compile.
  template <typename Function> void bind(Function*& function, const char* name) {
    function = reinterpret_cast<Function*>(address(name)); // dlsym's answer is the function's address
  }

private:
  void* address(const char* name);
  void fail(const char* reason);

  std::string m_file;
  std::string m_package;
  std::string m_problem;
  void* m_handle = nullptr;
};

/// Opens `file` and fills an `Api` (a struct of function pointers and a `std::string problem`) with
/// `bind_all(library, api)`, which binds each pointer. All or nothing: when the library or any of its symbols is
/// missing, the `Api` returned has every pointer null and only `problem` set (a half-bound library would fail in odd
/// places). Each library opened on first use (libcurl, libpq, libcmark, libdate-tz) loads through this.
template <typename Api, typename BindAll> Api bind_library(std::string file, std::string package, BindAll&& bind_all) {
  SharedLibrary library(std::move(file), std::move(package));
  Api api;
  bind_all(library, api);
  if (library.problem().empty()) return api;
  Api unusable;
  unusable.problem = library.problem();
  return unusable;
}

/// What a function bound from a library returns, or `unloaded` when the library could not be loaded (`function` is
/// null). For the forwarding functions: their callers check problem() first, this keeps a missed check from crashing.
template <typename Result, typename... Params, typename... Args>
Result call_or(Result (*function)(Params...), std::type_identity_t<Result> unloaded, Args... args) {
  return function != nullptr ? function(args...) : unloaded;
}

} // namespace blogen
