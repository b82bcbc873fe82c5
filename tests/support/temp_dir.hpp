#pragma once
// A private temporary folder for one test (mode 0700 from mkdtemp), removed with everything in it when the test ends.

#include <filesystem>
#include <string>

namespace blogen::testing {

class TempDir {
public:
  /// Creates <temp>/<prefix>-XXXXXX; throws std::runtime_error when it cannot.
  explicit TempDir(const std::string& prefix = "blogen-test");
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  /// The folder.
  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
  /// A path inside the folder.
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
  std::filesystem::path m_path;
};

} // namespace blogen::testing
