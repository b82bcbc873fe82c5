// files::read_all: the whole file byte for byte (session files, batch files, templates, edited posts), and an error
// that names the file when it cannot be read.
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>

using blogen::Error;
using blogen::ErrorCode;
using blogen::testing::TempDir;
using Catch::Matchers::Contains;

namespace {

void write_file(const std::filesystem::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary);
  out << content;
}

ErrorCode code_of_reading(const std::filesystem::path& file, std::string& message) {
  try {
    (void)blogen::files::read_all(file);
  } catch (const Error& e) {
    message = e.what();
    return e.code();
  }
  FAIL("read_all did not throw for " << file);
  return ErrorCode::failed;
}

} // namespace

TEST_CASE("read_all returns every byte of a file longer than one read, NULs and CRs included") {
  TempDir dir;
  std::string content;
  for (int i = 0; content.size() < 70'000; ++i)
    content += "line " + std::to_string(i) + "\r\n";
  content += std::string("\0tail\xff", 6);
  write_file(dir / "long.txt", content);
  CHECK(blogen::files::read_all(dir / "long.txt") == content);

  write_file(dir / "empty.txt", "");
  CHECK(blogen::files::read_all(dir / "empty.txt").empty());
}

TEST_CASE("read_all names the file it cannot read, a folder, and why") {
  TempDir dir;
  std::string message;
  CHECK(code_of_reading(dir / "missing.txt", message) == ErrorCode::bad_input);
  CHECK_THAT(message, Contains("cannot read " + (dir / "missing.txt").string()));
  CHECK_THAT(message, Contains("No such file or directory"));

  CHECK(code_of_reading(dir.path(), message) == ErrorCode::bad_input);
  CHECK_THAT(message, Contains(dir.path().string() + " is a folder"));
}
