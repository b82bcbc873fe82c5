// The man page and README stay true to the binary: valid roff, assembled from its parts, every command documented.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <cctype>
#include <sstream>

using blogen::testing::read_bytes;
using blogen::testing::Sandbox;
using blogen::testing::spawn;

namespace {

const std::string k_source = BLOGEN_SOURCE_DIR;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

} // namespace

TEST_CASE("the man page is valid roff without warnings") {
  auto child = spawn({"/usr/bin/groff", "-man", "-ww", "-z", k_source + "/man/blogen.1"}, {{"PATH", "/usr/bin:/bin"}});
  const auto result = child.wait();
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
}

TEST_CASE("the man page is the assembly of its parts") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto assembled = sandbox.dir() / "blogen.1";
  auto child = spawn({"/bin/bash", k_source + "/man/assemble.sh", assembled.string()}, {{"PATH", "/usr/bin:/bin"}});
  REQUIRE(child.wait().exit_code == 0);
  CHECK(read_bytes(assembled) == read_bytes(k_source + "/man/blogen.1")); // run man/assemble.sh after editing a part
}

namespace {

// The man page without font escapes: "\\fBdiff \\fIID" -> "diff ID", "\\-\\-json" -> "--json".
std::string plain_roff(const std::string& roff) {
  std::string text;
  for (std::size_t i = 0; i < roff.size(); ++i) {
    if (roff[i] == '\\' && i + 1 < roff.size()) {
      if (roff[i + 1] == 'f' && i + 2 < roff.size()) {
        i += 2;
        continue;
      }
      if (roff[i + 1] == '-') {
        text += '-';
        ++i;
        continue;
      }
    }
    text += roff[i];
  }
  return text;
}

// Whether a man page line that names `blogen COMMAND` also names `sub` as a whole word.
bool documents(const std::string& man, const std::string& command, const std::string& sub) {
  for (const auto& line : lines_of(man)) {
    if (line.find("blogen " + command) == std::string::npos) continue;
    std::size_t at = 0;
    while ((at = line.find(sub, at)) != std::string::npos) {
      const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'; };
      const bool starts = at == 0 || !is_word(line[at - 1]);
      const bool ends = at + sub.size() == line.size() || !is_word(line[at + sub.size()]);
      if (starts && ends) return true;
      at += sub.size();
    }
  }
  return false;
}

} // namespace

TEST_CASE("every command and subcommand of the binary is in the man page and every group in the README") {
  Sandbox sandbox(BLOGEN_BINARY);
  const std::string man = plain_roff(read_bytes(k_source + "/man/blogen.1"));
  const std::string readme = read_bytes(k_source + "/README.md");
  const auto commands = lines_of(sandbox.run({"__complete", ""}).out);
  REQUIRE(commands.size() >= 10);
  for (const auto& command : commands) {
    INFO(command);
    CHECK(man.find("blogen " + command) != std::string::npos);
    CHECK(readme.find("blogen " + command) != std::string::npos);
    for (const auto& sub : lines_of(sandbox.run({"__complete", command, ""}).out)) {
      INFO(command << " " << sub);
      CHECK(documents(man, command, sub));
    }
  }
}

TEST_CASE("the man page and README describe every provider kind the binary accepts") {
  Sandbox sandbox(BLOGEN_BINARY);
  const std::string man = plain_roff(read_bytes(k_source + "/man/blogen.1"));
  const std::string readme = read_bytes(k_source + "/README.md");
  const auto kinds = lines_of(sandbox.run({"__complete", "provider", "add", "--kind", ""}).out);
  REQUIRE(kinds.size() >= 2);
  for (const auto& kind : kinds) {
    INFO(kind);
    CHECK(documents(man, "provider add", kind));
    CHECK(readme.find("`" + kind + "`") != std::string::npos);
  }
}
