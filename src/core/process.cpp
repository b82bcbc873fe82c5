#include <blogen/core/process.hpp>

#include <unistd.h>

#include <array>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

namespace blogen::process {
namespace {

// Field 22 of /proc/<pid>/stat, the start time; nullopt when the process does not exist. The command name (field
// 2) may hold spaces and parentheses, so counting starts after its last ')'.
std::optional<std::string> start_time(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!stat || !std::getline(stat, line)) return std::nullopt;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 1));
  std::string field;
  for (int number = 3; fields >> field; ++number)
    if (number == 22) return field;
  return std::nullopt;
}

} // namespace

std::string host_id() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read before any thread changes the environment (nothing here does)
  if (const char* id = std::getenv("BLOGEN_HOST_ID"); id != nullptr && *id != '\0') return id;
  std::array<char, 256> buffer{};
  if (::gethostname(buffer.data(), buffer.size() - 1) != 0) return "localhost";
  return buffer.data();
}

std::string self_tag() {
  const long pid = ::getpid();
  return host_id() + ":" + std::to_string(pid) + ":" + start_time(pid).value_or("0");
}

bool is_gone(std::string_view tag) {
  const auto last = tag.rfind(':');
  if (last == std::string_view::npos || last == 0) return false;
  const auto middle = tag.rfind(':', last - 1);
  if (middle == std::string_view::npos) return false;
  if (tag.substr(0, middle) != host_id()) return false; // another machine's process: only its lease can tell
  long pid = 0;
  const auto digits = tag.substr(middle + 1, last - middle - 1);
  if (std::from_chars(digits.data(), digits.data() + digits.size(), pid).ec != std::errc() || pid <= 0) return false;
  const auto started = start_time(pid);
  return !started || *started != tag.substr(last + 1);
}

} // namespace blogen::process
