// The man pages and README stay true to the binary: valid roff, assembled from the parts, every command, subcommand
// and option documented in blogen(1) and in its command's page, and the pages' examples use real options.
#include <support/cli_harness.hpp>
#include <support/text_lines.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

using blogen::testing::non_empty_lines_of;
using blogen::testing::read_bytes;
using blogen::testing::Sandbox;
using blogen::testing::spawn;

namespace {

const std::string k_source = BLOGEN_SOURCE_DIR;
// The pages the build assembled (the blogen_man target): the very files that get installed.
const std::filesystem::path k_man_dir = BLOGEN_MAN_DIR;

std::vector<std::filesystem::path> built_pages() {
  std::vector<std::filesystem::path> pages;
  for (const auto& entry : std::filesystem::directory_iterator(k_man_dir)) {
    if (entry.path().extension() == ".1") pages.push_back(entry.path());
  }
  std::sort(pages.begin(), pages.end());
  return pages;
}

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

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'; }

// Whether `text` holds `word` as a whole word (a dash joins words: --topic is not in --topics-file).
bool has_word(const std::string& text, const std::string& word) {
  std::size_t at = 0;
  while ((at = text.find(word, at)) != std::string::npos) {
    const bool starts = at == 0 || !is_word(text[at - 1]);
    const bool ends = at + word.size() == text.size() || !is_word(text[at + word.size()]);
    if (starts && ends) return true;
    at += word.size();
  }
  return false;
}

// Whether a man page line that names `blogen COMMAND` also names `sub` as a whole word.
bool documents(const std::string& man, const std::string& command, const std::string& sub) {
  for (const auto& line : non_empty_lines_of(man)) {
    if (line.find("blogen " + command) != std::string::npos && has_word(line, sub)) return true;
  }
  return false;
}

std::string page_text(const std::string& name) { return plain_roff(read_bytes(k_man_dir / (name + ".1"))); }

// The text of one .SH section of a page (plain), without its heading.
std::string section(const std::string& page, const std::string& title) {
  const auto start = page.find("\n.SH " + title + "\n");
  if (start == std::string::npos) return {};
  const auto body = start + title.size() + 6;
  const auto end = page.find("\n.SH ", body);
  return page.substr(body, end == std::string::npos ? std::string::npos : end - body);
}

// The binary's command tree: command -> subcommand ("" for a command without any) -> the options it accepts,
// global ones included. The commands and global options come from `blogen __complete`, each command's subcommands
// and options from its `--help-all` (CLI11's own listing of the tree): one process per command, not per subcommand,
// as the tests run under the sanitizers too.
using OptionTree = std::map<std::string, std::map<std::string, std::set<std::string>>>;

// "  -h,--help   Print..." -> "--help"; "    --topic TEXT Excludes: --prompt" -> "--topic".
std::string option_of(const std::string& line) {
  const auto first = line.find_first_not_of(' ');
  if (first == std::string::npos || first == 0 || first > 4 || line[first] != '-') return {};
  std::string word = line.substr(first, line.find(' ', first) - first);
  if (const auto comma = word.find(','); comma != std::string::npos) word = word.substr(comma + 1);
  return word.rfind("--", 0) == 0 ? word : std::string();
}

bool is_subcommand_name(const std::string& line) {
  return !line.empty() && std::all_of(line.begin(), line.end(), [](char c) { return std::islower(c) || c == '-'; });
}

OptionTree option_tree(const Sandbox& sandbox) {
  const auto global = non_empty_lines_of(sandbox.run({"__complete", "-"}).out);
  OptionTree tree;
  for (const auto& command : non_empty_lines_of(sandbox.run({"__complete", ""}).out)) {
    auto& subs = tree[command];
    std::string sub;
    bool in_subcommands = false;
    for (const auto& line : non_empty_lines_of(sandbox.run({command, "--help-all"}).out)) {
      if (line == "Subcommands:") {
        in_subcommands = true;
      } else if (in_subcommands && is_subcommand_name(line)) {
        sub = line;
        subs[sub]; // a subcommand without options of its own has the global ones
      } else if (const auto option = option_of(line); !option.empty()) {
        subs[sub].insert(option);
      }
    }
    if (subs.size() > 1) subs.erase(""); // the group's own --help and --help-all
    for (auto& [name, options] : subs)
      options.insert(global.begin(), global.end());
  }
  return tree;
}

} // namespace

TEST_CASE("every man page is valid roff without warnings") {
  const auto pages = built_pages();
  REQUIRE(pages.size() >= 10);
  // One groff for all pages (a process costs more than the pages): its warnings name the file and the line.
  std::vector<std::string> argv{"/usr/bin/groff", "-man", "-ww", "-z"};
  for (const auto& page : pages)
    argv.push_back(page.string());
  auto child = spawn(argv, {{"PATH", "/usr/bin:/bin"}});
  const auto result = child.wait();
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
}

TEST_CASE("the built man pages are newer than their parts, and carry the binary's version") {
  // The build reassembles the pages when a part changes; a test run without a build would read stale ones.
  const auto built = std::filesystem::last_write_time(k_man_dir / "pages.stamp");
  for (const auto& folder : {k_source + "/man", k_source + "/man/pages"}) {
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      INFO(entry.path().string() << " changed after the pages were built: build the blogen_man target");
      if (entry.is_regular_file()) CHECK(entry.last_write_time() <= built);
    }
  }
  Sandbox sandbox(BLOGEN_BINARY);
  const std::string version = non_empty_lines_of(sandbox.run({"--version"}).out).at(0); // "blogen 0.1.0"
  for (const auto& page : built_pages()) {
    INFO(page.string());
    CHECK_THAT(read_bytes(page), Catch::Contains("\"" + version + "\" \"User Commands\""));
  }
}

namespace {

// Each `blogen COMMAND [SUB] ...` call in a line of examples: the command, the subcommand and the --options used.
struct ExampleCall {
  std::string command, sub;
  std::vector<std::string> options;
};

std::vector<ExampleCall> calls_in(const std::string& line, const OptionTree& tree) {
  std::vector<ExampleCall> calls;
  std::size_t at = 0;
  while ((at = line.find("blogen ", at)) != std::string::npos) {
    const bool starts = at == 0 || !is_word(line[at - 1]);
    at += 7;
    if (!starts) continue;
    // The call ends where the shell starts something else.
    const auto end = line.find_first_of("|;&)<>#", at);
    std::istringstream words(line.substr(at, end == std::string::npos ? std::string::npos : end - at));
    ExampleCall call;
    for (std::string word; words >> word;) {
      if (word.rfind("--", 0) == 0) {
        call.options.push_back(word.substr(0, word.find('=')));
      } else if (call.command.empty() && tree.count(word) != 0) {
        call.command = word;
      } else if (!call.command.empty() && call.sub.empty() && tree.at(call.command).count(word) != 0) {
        call.sub = word;
      }
    }
    if (!call.command.empty()) calls.push_back(call);
  }
  return calls;
}

// Each --option of an example's `blogen COMMAND [SUB]` call is one that call accepts.
void check_examples_use_real_options(const OptionTree& tree) {
  std::size_t checked = 0;
  for (const auto& page : built_pages()) {
    for (const auto& line : non_empty_lines_of(section(plain_roff(read_bytes(page)), "EXAMPLES"))) {
      for (const auto& call : calls_in(line, tree)) {
        const auto& subs = tree.at(call.command);
        INFO(page.filename().string() << ": " << line);
        if (subs.count(call.sub) == 0) continue; // `blogen schedule pause <TAB>`: not a call
        for (const auto& option : call.options) {
          INFO(option);
          CHECK(subs.at(call.sub).count(option) == 1);
          ++checked;
        }
      }
    }
  }
  CHECK(checked >= 100);
}

} // namespace

// One test for the whole tree: asking the binary for it takes one process per subcommand.
TEST_CASE("every command, subcommand and option of the binary is in blogen(1), the README and its own page") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto tree = option_tree(sandbox);
  REQUIRE(tree.size() >= 10);
  // The --help-all reading agrees with completion's view of the tree (a sample: one group, one subcommand).
  const auto schedule_subs = non_empty_lines_of(sandbox.run({"__complete", "schedule", ""}).out);
  REQUIRE(tree.at("schedule").size() == schedule_subs.size());
  for (const auto& sub : schedule_subs)
    REQUIRE(tree.at("schedule").count(sub) == 1);
  const auto add_options = non_empty_lines_of(sandbox.run({"__complete", "schedule", "add", "-"}).out);
  REQUIRE(tree.at("schedule").at("add") == std::set<std::string>(add_options.begin(), add_options.end()));
  REQUIRE(tree.at("login").at("").count("--ttl") == 1);
  const std::string man = page_text("blogen");
  const std::string readme = read_bytes(k_source + "/README.md");
  for (const auto& [command, subs] : tree) {
    INFO("blogen " << command);
    CHECK(man.find("blogen " + command) != std::string::npos);
    CHECK(man.find("blogen-" + command + " (1)") != std::string::npos); // SEE ALSO names its page
    CHECK(readme.find("blogen " + command) != std::string::npos);
    for (const auto& sub : subs) {
      INFO("blogen " << command << " " << sub.first);
      if (!sub.first.empty()) CHECK(documents(man, command, sub.first));
    }
  }
  for (const auto& [command, subs] : tree) {
    INFO("man blogen-" << command);
    REQUIRE(std::filesystem::exists(k_man_dir / ("blogen-" + command + ".1")));
    const std::string page = page_text("blogen-" + command);
    CHECK_THAT(page, Catch::Contains(".TH BLOGEN-"));
    CHECK_THAT(section(page, "NAME"), Catch::StartsWith("blogen-" + command + " - "));
    for (const auto& [sub, options] : subs) {
      INFO("blogen " << command << " " << sub);
      if (!sub.empty()) CHECK(documents(page, command, sub));
      for (const auto& option : options) {
        INFO(option);
        CHECK(has_word(page, option));
      }
    }
    // Examples for the three kinds of user the CLI serves.
    const std::string examples = section(page, "EXAMPLES");
    CHECK_THAT(examples, Catch::Contains(".SS Writers") && Catch::Contains(".SS Scripts") &&
                             Catch::Contains(".SS Cron") && Catch::Contains("blogen " + command));
  }
  check_examples_use_real_options(tree);
}

TEST_CASE("the man page and README describe every provider kind the binary accepts") {
  Sandbox sandbox(BLOGEN_BINARY);
  const std::string man = page_text("blogen");
  const std::string readme = read_bytes(k_source + "/README.md");
  const auto kinds = non_empty_lines_of(sandbox.run({"__complete", "provider", "add", "--kind", ""}).out);
  REQUIRE(kinds.size() >= 2);
  for (const auto& kind : kinds) {
    INFO(kind);
    CHECK(documents(man, "provider add", kind));
    CHECK(readme.find("`" + kind + "`") != std::string::npos);
  }
}
