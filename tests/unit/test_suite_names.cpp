// The test suite itself (found by issue 19's suite): ctest learns each TEST_CASE from its name, and a ';' in a
// name splits it into CMake list items, so ctest ran a filter that matched nothing and reported "Passed". Twelve
// test cases had silently never run under ctest. This keeps it from happening again.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

TEST_CASE("no test case name holds a semicolon (ctest would run nothing for it and call that a pass)", "[suite]") {
  const std::regex test_case(R"re(TEST_CASE\("([^"]*)")re");
  int names = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(BLOGEN_SOURCE_DIR) + "/tests")) {
    if (entry.path().extension() != ".cpp") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string source = text.str();
    for (std::sregex_iterator it(source.begin(), source.end(), test_case), end; it != end; ++it) {
      ++names;
      INFO(entry.path().filename().string() << ": " << (*it)[1].str());
      CHECK((*it)[1].str().find(';') == std::string::npos);
    }
  }
  CHECK(names > 100);
}
