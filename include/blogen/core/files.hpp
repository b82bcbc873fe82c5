#pragma once
// File helpers that keep private data private: folders 0700, files 0600, atomic replacement.

#include <cerrno>
#include <filesystem>
#include <string>
#include <string_view>

namespace blogen::files {

/// Creates `dir` and any missing parents with mode 0700 (existing folders are left as they are).
void create_private_directories(const std::filesystem::path& dir);
/// Creates `file` empty with mode 0600 when it does not exist; never truncates an existing file.
void create_private_file(const std::filesystem::path& file);
/// Writes `content` to a temporary file beside `file` and renames it over `file` (mode 0600 unless `mode` given).
void write_atomically(const std::filesystem::path& file, std::string_view content, unsigned mode = 0600);
/// Reads a whole file; throws Error{bad_input} naming the file when it cannot be read.
std::string read_all(const std::filesystem::path& file);
/// Reads all of standard input.
std::string read_stdin();
/// The system's words for an errno value ("No such file or directory"); unlike std::strerror, safe in threads.
std::string system_message(int error = errno);
/// The permission bits of a file (e.g. 0600), or -1 when it does not exist.
int permission_bits(const std::filesystem::path& file);

} // namespace blogen::files
