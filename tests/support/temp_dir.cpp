#include "temp_dir.hpp"

#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace blogen::testing {

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  m_path = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored; // a folder that cannot be removed must not turn a passing test into a crash
  std::filesystem::remove_all(m_path, ignored);
}

} // namespace blogen::testing
