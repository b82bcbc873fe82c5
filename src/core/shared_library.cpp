#include <blogen/core/shared_library.hpp>

#include <dlfcn.h>

#include <utility>

namespace blogen {

SharedLibrary::SharedLibrary(std::string file, std::string package)
    : m_file(std::move(file)), m_package(std::move(package)) {
  // RTLD_NOW: a missing symbol of the library's own dependencies shows here, not as a crash in the middle of a call.
  // RTLD_LOCAL: its symbols serve only the pointers bound from it.
  m_handle = dlopen(m_file.c_str(), RTLD_NOW | RTLD_LOCAL);
  // dlerror's message is kept per thread (glibc): safe beside other threads loading libraries.
  if (m_handle == nullptr) fail(dlerror()); // NOLINT(concurrency-mt-unsafe)
}

void* SharedLibrary::address(const char* name) {
  if (m_handle == nullptr) return nullptr;
  // Clear an earlier error first: a symbol's value may be null, only dlerror tells a missing one.
  dlerror(); // NOLINT(concurrency-mt-unsafe)
  void* found = dlsym(m_handle, name);
  if (const char* reason = dlerror(); reason != nullptr) { // NOLINT(concurrency-mt-unsafe)
    if (m_problem.empty()) fail(reason);
    return nullptr;
  }
  return found;
}

void SharedLibrary::fail(const char* reason) {
  m_problem =
      m_file + " could not be loaded (" + (reason != nullptr ? reason : "unknown reason") + "): install " + m_package;
}

} // namespace blogen
