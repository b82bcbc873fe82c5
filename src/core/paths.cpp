#include <blogen/core/error.hpp>
#include <blogen/core/paths.hpp>

#include <array>
#include <cstdlib>
#include <pwd.h>
#include <unistd.h>

namespace blogen::paths {
namespace {

std::filesystem::path home() {
  if (auto value = env("HOME")) return *value;
  // getpwuid_r, not getpwuid: the static record of the latter is shared by every thread.
  passwd entry{};
  passwd* found = nullptr;
  std::array<char, 4096> buffer{};
  if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr) {
    return found->pw_dir;
  }
  throw Error(ErrorCode::failed, "cannot find the home folder: set HOME, or pass --db");
}

// XDG says a relative value must be ignored.
std::filesystem::path xdg(const char* variable, const char* fallback) {
  if (auto value = env(variable); value && std::filesystem::path(*value).is_absolute()) return *value;
  return home() / fallback;
}

} // namespace

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name); // NOLINT(concurrency-mt-unsafe): read-only environment
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::filesystem::path data_dir() { return xdg("XDG_DATA_HOME", ".local/share") / "blogen"; }

std::filesystem::path config_dir() { return xdg("XDG_CONFIG_HOME", ".config") / "blogen"; }

std::filesystem::path store_path(const std::optional<std::string>& flag_value) {
  if (flag_value) return *flag_value;
  if (auto value = env("BLOGEN_DB")) return *value;
  return data_dir() / "blogen.db";
}

std::filesystem::path session_file() { return config_dir() / "session"; }

bool is_server_url(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::filesystem::path images_dir(const std::filesystem::path& store) {
  // A store on a server has no folder of its own here: this user's data folder keeps the images.
  if (is_server_url(store.string())) return data_dir() / "images";
  return store.parent_path() / "images";
}

} // namespace blogen::paths
