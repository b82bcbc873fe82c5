#include <blogen/core/error.hpp>
#include <blogen/core/paths.hpp>

#include <cctype>

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

namespace {

// A folder name for a server store: its host, port and database from the URL, without user, password or
// parameters ("postgresql://ann:pw@db.example:5432/blogen?sslmode=require" -> "db.example_5432_blogen").
std::string server_folder_name(std::string_view url) {
  std::string_view rest = url.substr(url.find("://") + 3);
  // The user part ends at the last '@' before the first '/' or, when later, before the first '?': a password may
  // hold a '?' or an unescaped '/' (as store/postgresql/url.cpp cuts it out).
  const auto by_slash = rest.substr(0, rest.find('/')).rfind('@');
  const auto by_question = rest.substr(0, rest.find('?')).rfind('@');
  auto at = by_slash;
  if (by_question != std::string_view::npos && (at == std::string_view::npos || by_question > at)) at = by_question;
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  rest = rest.substr(0, rest.find('?'));
  std::string name;
  for (const char c : rest) {
    const bool plain = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-';
    name += plain ? c : '_';
  }
  return name.empty() || name == "." || name == ".." ? "default" : name;
}

} // namespace

std::filesystem::path images_dir(const std::filesystem::path& store) {
  // A store on a server has no folder of its own here: this user's data folder keeps its images, in a folder of
  // that store's own, so two stores' post 5 never share a file.
  if (is_server_url(store.string())) return data_dir() / "images" / server_folder_name(store.string());
  return store.parent_path() / "images";
}

} // namespace blogen::paths
