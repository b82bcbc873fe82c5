#include <blogen/app/session_file.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/core/paths.hpp>
#include <blogen/core/text.hpp>

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace blogen::app {

std::optional<std::string> read_session_file() {
  const auto file = paths::session_file();
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  std::string token = std::string(text::trim(files::read_all(file)));
  if (token.empty()) return std::nullopt;
  return token;
}

std::optional<StoredToken> load_session_token() {
  if (auto value = paths::env("BLOGEN_TOKEN"))
    return StoredToken{std::string(text::trim(*value)), TokenSource::environment};
  if (auto token = read_session_file()) return StoredToken{std::move(*token), TokenSource::file};
  return std::nullopt;
}

void save_session_token(std::string_view token) {
  const auto file = paths::session_file();
  const auto dir = file.parent_path();
  files::create_private_directories(dir);
  // The folder may predate blogen with looser bits; the token is a credential, so keep it to its owner.
  if (const int bits = files::permission_bits(dir); bits >= 0 && (bits & 077) != 0) ::chmod(dir.c_str(), 0700);
  files::write_atomically(file, std::string(token) + "\n", 0600);
}

void forget_session_token(std::string_view token) {
  const auto file = paths::session_file();
  if (read_session_file() != token) return;
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
    throw Error(ErrorCode::failed, "cannot remove " + file.string() + ": " + files::system_message());
  }
}

} // namespace blogen::app
