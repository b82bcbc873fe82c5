#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <iterator>
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

// With open() and read() rather than an ifstream: every command that needs a login reads its session file here, and
// the stream pair (a file buffer, a string stream, their locales) cost more than the file's few bytes.
std::string read_all(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorCode::bad_input, "cannot read " + file.string() + ": " + system_message());
  // Closed on every way out; a message is built (from errno) before the close runs.
  const struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode))
    throw Error(ErrorCode::bad_input, file.string() + " is a folder");
  std::string content;
  if (S_ISREG(info.st_mode) && info.st_size > 0) content.reserve(static_cast<std::size_t>(info.st_size));
  std::array<char, 16384> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      content.append(buffer.data(), static_cast<std::size_t>(n));
    } else if (n == 0) {
      return content;
    } else if (errno != EINTR) {
      throw Error(ErrorCode::bad_input, "cannot read " + file.string() + ": " + system_message());
    }
  }
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
