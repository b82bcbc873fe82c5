#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace blogen::files {

std::string system_message(int error) {
  std::array<char, 256> buffer{};
  // The GNU strerror_r returns the message, either a static string or one written into `buffer`.
  return ::strerror_r(error, buffer.data(), buffer.size());
}

void create_private_directories(const std::filesystem::path& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return;
  create_private_directories(dir.parent_path());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    throw Error(ErrorCode::failed, "cannot create folder " + dir.string() + ": " + system_message());
  }
}

void create_private_file(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return;
  }
  if (errno != EEXIST) throw Error(ErrorCode::failed, "cannot create " + file.string() + ": " + system_message());
}

void write_atomically(const std::filesystem::path& file, std::string_view content, unsigned mode) {
  std::string temp = file.string() + ".tmp-XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) throw Error(ErrorCode::failed, "cannot write " + file.string() + ": " + system_message());
  bool ok = ::fchmod(fd, static_cast<mode_t>(mode)) == 0;
  std::size_t written = 0;
  while (ok && written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const std::string reason = ok ? std::string() : system_message();
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), file.c_str()) != 0) {
    const std::string why = ok ? system_message() : reason;
    ::unlink(temp.c_str());
    throw Error(ErrorCode::failed, "cannot write " + file.string() + ": " + why);
  }
}

std::string read_all(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) throw Error(ErrorCode::bad_input, file.string() + " is a folder");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::bad_input, "cannot read " + file.string() + ": " + system_message());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string read_stdin() {
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

int permission_bits(const std::filesystem::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) return -1;
  return static_cast<int>(info.st_mode & 07777);
}

} // namespace blogen::files
