// Accounts and sessions through the real binary: register, login, whoami, logout, passwd, `user ...`,
// token handling across processes, password input without a terminal, file modes, and secrets in the store.
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <string>
#include <vector>

using blogen::testing::read_bytes;
using blogen::testing::RunResult;
using blogen::testing::Sandbox;

namespace {

const std::string k_password = "correct horse battery";

int mode_of(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return static_cast<int>(info.st_mode & 0777);
}

std::filesystem::path session_file(const Sandbox& sandbox) { return sandbox.config_dir() / "session"; }

// The token the last login wrote, without its newline.
std::string saved_token(const Sandbox& sandbox) {
  std::string token = read_bytes(session_file(sandbox));
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r'))
    token.pop_back();
  return token;
}

RunResult register_user(const Sandbox& sandbox, const std::string& name, const std::string& password = k_password) {
  return sandbox.run({"register", "--username", name, "--password-stdin", "--json"}, password + "\n");
}

RunResult log_in(const Sandbox& sandbox, const std::string& name, const std::string& stdin_text) {
  return sandbox.run({"login", "--username", name, "--password-stdin"}, stdin_text);
}

// Logs a user in and returns their token (the session file then holds it).
std::string token_for(const Sandbox& sandbox, const std::string& name) {
  REQUIRE(sandbox.login_as(name, k_password) == 0);
  return saved_token(sandbox);
}

bool iso8601(const nlohmann::json& value) {
  return value.is_string() && value.get<std::string>().size() == 20 && value.get<std::string>()[10] == 'T' &&
         value.get<std::string>().back() == 'Z';
}

} // namespace

TEST_CASE("register, login, whoami and logout, as JSON") {
  Sandbox sandbox(BLOGEN_BINARY);
  auto result = sandbox.run(
      {"register", "--username", "Ann", "--email", "ann@example.org", "--password-stdin", "--json"}, k_password + "\n");
  REQUIRE(result.exit_code == 0);
  auto user = result.json()["user"];
  CHECK(user["id"].is_number_integer());
  CHECK(user["username"] == "Ann");
  CHECK(user["email"] == "ann@example.org");
  CHECK(user["is_admin"] == true); // the first account
  CHECK(user["disabled"] == false);
  CHECK(iso8601(user["created_at"]));
  CHECK(user["last_login_at"].is_null());

  result = sandbox.run({"login", "--username", "ann", "--password-stdin", "--json", "--ttl", "12h"}, k_password + "\n");
  REQUIRE(result.exit_code == 0);
  const auto login = result.json();
  CHECK(login["user"]["username"] == "Ann");
  CHECK(iso8601(login["user"]["last_login_at"]));
  CHECK(iso8601(login["expires_at"]));
  CHECK(login.dump().find(saved_token(sandbox)) == std::string::npos); // the token is not printed

  result = sandbox.run({"whoami", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["user"]["username"] == "Ann");
  CHECK(result.json()["user"]["is_admin"] == true);
  CHECK(result.json()["session"]["expires_at"] == login["expires_at"]);
  CHECK(sandbox.run({"whoami", "-q"}).out == "Ann\n");

  result = sandbox.run({"logout", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["revoked"] == 1);
  CHECK_FALSE(std::filesystem::exists(session_file(sandbox)));
  result = sandbox.run({"whoami", "--json"});
  CHECK(result.exit_code == 4);
  CHECK(result.json()["error"]["code"] == 4);
  CHECK_THAT(result.err, Catch::Contains("blogen login"));
  CHECK(sandbox.run({"logout"}).exit_code == 4);
}

TEST_CASE("the second account is not an admin, -q prints the id, usernames are unique in any case") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(register_user(sandbox, "ann").exit_code == 0);
  auto result = sandbox.run({"register", "--username", "bob", "--password-stdin", "-q"}, k_password + "\n");
  REQUIRE(result.exit_code == 0);
  CHECK(result.out == "2\n");
  result = register_user(sandbox, "BOB");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("already taken"));
  REQUIRE(sandbox.login_as("bob") == 0);
  CHECK(sandbox.run({"whoami", "--json"}).json()["user"]["is_admin"] == false);
  CHECK(sandbox.run({"login", "--username", "bob", "--password-stdin", "-q"}, k_password).out.empty());
}

TEST_CASE("bad usernames, emails and passwords are usage errors naming the problem") {
  Sandbox sandbox(BLOGEN_BINARY);
  auto result = sandbox.run({"register", "--username", "a!", "--password-stdin"}, k_password + "\n");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--username"));
  result = sandbox.run({"register", "--username", "ann", "--email", "ann@", "--password-stdin"}, k_password + "\n");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--email"));
  result = register_user(sandbox, "ann", "short");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("at least 8"));
  result = sandbox.run({"register", "--username", "ann", "--password-stdin"}, "");
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--password-stdin"));
}

TEST_CASE("password-stdin takes the first line with or without a newline, and strips CRLF") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(register_user(sandbox, "ann").exit_code == 0);
  CHECK(log_in(sandbox, "ann", k_password).exit_code == 0);
  CHECK(log_in(sandbox, "ann", k_password + "\n").exit_code == 0);
  CHECK(log_in(sandbox, "ann", k_password + "\r\n").exit_code == 0);
  CHECK(log_in(sandbox, "ann", k_password + "\nsecond line ignored\n").exit_code == 0);
  // Only the line ending is stripped: spaces are part of the password.
  CHECK(log_in(sandbox, "ann", k_password + " \n").exit_code == 4);
}

TEST_CASE("without a terminal, a missing password or username is a usage error, never a hang") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(register_user(sandbox, "ann").exit_code == 0);
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"register", "--username", "bob"}, {"login", "--username", "ann"}}) {
    const auto result = sandbox.run(args, k_password + "\n");
    INFO(args[0]);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("--password-stdin"));
  }
  for (const char* command : {"register", "login"}) {
    const auto result = sandbox.run({command, "--password-stdin"}, k_password + "\n");
    INFO(command);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("--username"));
  }
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto result = sandbox.run({"passwd"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--password-stdin"));
}

TEST_CASE("wrong password and unknown user get the same answer and exit 4") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(register_user(sandbox, "ann").exit_code == 0);
  const auto wrong = log_in(sandbox, "ann", "not the password\n");
  const auto unknown = log_in(sandbox, "nobody", "not the password\n");
  CHECK(wrong.exit_code == 4);
  CHECK(unknown.exit_code == 4);
  CHECK_THAT(wrong.err, Catch::Contains("wrong username or password"));
  CHECK(unknown.err == wrong.err);
  CHECK_FALSE(std::filesystem::exists(session_file(sandbox)));
}

TEST_CASE("repeated wrong passwords make the next attempt wait") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(register_user(sandbox, "ann").exit_code == 0);
  for (int i = 0; i < 3; ++i)
    REQUIRE(log_in(sandbox, "ann", "not the password\n").exit_code == 4);
  // From the third failure on, each failure makes the next attempt wait 1 s, 2 s, 4 s, 8 s ...: however slow the
  // machine, a few more wrong attempts must run into a refusal (no sleeping, no timing assumptions).
  RunResult refused;
  for (int i = 0; i < 8 && refused.err.find("too many attempts") == std::string::npos; ++i) {
    refused = log_in(sandbox, "ann", "not the password\n");
    REQUIRE(refused.exit_code == 4);
  }
  CHECK_THAT(refused.err, Catch::Contains("too many attempts; try again in") && Catch::Contains(" s"));
}

TEST_CASE("an unknown username backs off like an account: the 4th wrong try answers the same (issue 16 item 5)") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(register_user(sandbox, "ann").exit_code == 0);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(log_in(sandbox, "ann", "not the password\n").exit_code == 4);
    REQUIRE(log_in(sandbox, "nobody", "not the password\n").exit_code == 4);
  }
  // From the third failure on, each failure makes the next attempt of that name wait 1 s, 2 s, 4 s ...: however
  // slow the machine, a few more rounds must refuse the unknown name just like the account (no timing assumptions).
  RunResult unknown;
  for (int i = 0; i < 8 && unknown.err.find("too many attempts") == std::string::npos; ++i) {
    const RunResult known = log_in(sandbox, "ann", "not the password\n");
    unknown = log_in(sandbox, "nobody", "not the password\n");
    CHECK(known.exit_code == 4);
    CHECK(unknown.exit_code == 4);
  }
  CHECK_THAT(unknown.err, Catch::Contains("too many attempts; try again in"));
}

TEST_CASE("the session ttl must be a duration up to 365 days") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(register_user(sandbox, "ann").exit_code == 0);
  for (const char* bad : {"soon", "0", "366d", "-5m"}) {
    const auto result = sandbox.run({"login", "--username", "ann", "--password-stdin", "--ttl", bad}, k_password);
    INFO(bad << ": " << result.err);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("--ttl"));
  }
  CHECK(sandbox.run({"login", "--username", "ann", "--password-stdin", "--ttl", "365d"}, k_password).exit_code == 0);
}

TEST_CASE("the session file is 0600 in a 0700 folder") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  CHECK(mode_of(session_file(sandbox)) == 0600);
  CHECK(mode_of(sandbox.config_dir()) == 0700);
  CHECK_THAT(saved_token(sandbox), Catch::Matches("blg_[0-9a-f]{64}"));
}

TEST_CASE("a copied token works from another process until logout, then nowhere") {
  Sandbox sandbox(BLOGEN_BINARY);
  const std::string token = token_for(sandbox, "ann");
  Sandbox elsewhere(BLOGEN_BINARY);
  elsewhere.set_env("BLOGEN_DB", sandbox.store_location());
  elsewhere.set_env("BLOGEN_TOKEN", token);
  auto result = elsewhere.run({"whoami", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["session"]["source"] == "BLOGEN_TOKEN");

  REQUIRE(sandbox.run({"logout"}).exit_code == 0);
  result = elsewhere.run({"whoami"});
  CHECK(result.exit_code == 4);
  CHECK_THAT(result.err, Catch::Contains("logged out") && Catch::Contains("BLOGEN_TOKEN"));

  // A tampered token is refused too.
  std::string tampered = token;
  tampered[10] = tampered[10] == 'a' ? 'b' : 'a';
  elsewhere.set_env("BLOGEN_TOKEN", tampered);
  CHECK(elsewhere.run({"whoami"}).exit_code == 4);
}

TEST_CASE("logout --all ends the user's sessions on every machine, not other users'") {
  Sandbox sandbox(BLOGEN_BINARY);
  const std::string first = token_for(sandbox, "ann");
  const std::string bobs = token_for(sandbox, "bob");
  // Logging in again does not end the earlier session: it may live on in a script's BLOGEN_TOKEN.
  const std::string second = token_for(sandbox, "ann");
  Sandbox other(BLOGEN_BINARY);
  other.set_env("BLOGEN_DB", sandbox.store_location());
  other.set_env("BLOGEN_TOKEN", first);
  REQUIRE(other.run({"whoami"}).exit_code == 0);
  const auto result = sandbox.run({"logout", "--all", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["revoked"] == 2);
  CHECK_FALSE(std::filesystem::exists(session_file(sandbox)));
  CHECK(other.run({"whoami"}).exit_code == 4);
  other.set_env("BLOGEN_TOKEN", second);
  CHECK(other.run({"whoami"}).exit_code == 4);
  other.set_env("BLOGEN_TOKEN", bobs);
  CHECK(other.run({"whoami", "-q"}).out == "bob\n");
}

TEST_CASE("passwd reads old and new password from stdin and ends the other sessions only") {
  Sandbox sandbox(BLOGEN_BINARY);
  const std::string other_token = token_for(sandbox, "ann");
  REQUIRE(sandbox.run({"login", "--username", "ann", "--password-stdin"}, k_password).exit_code == 0);
  auto result = sandbox.run({"passwd", "--password-stdin"}, "wrong password\nnew passphrase here\n");
  CHECK(result.exit_code == 4);
  result = sandbox.run({"passwd", "--password-stdin"}, k_password + "\n");
  CHECK(result.exit_code == 2);
  result = sandbox.run({"passwd", "--password-stdin", "--json"}, k_password + "\r\nnew passphrase here\r\n");
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["revoked_sessions"] == 1);
  CHECK(sandbox.run({"whoami"}).exit_code == 0);
  Sandbox other(BLOGEN_BINARY);
  other.set_env("BLOGEN_DB", sandbox.store_location());
  other.set_env("BLOGEN_TOKEN", other_token);
  CHECK(other.run({"whoami"}).exit_code == 4);
  CHECK(log_in(sandbox, "ann", k_password).exit_code == 4);
  CHECK(log_in(sandbox, "ann", "new passphrase here").exit_code == 0);
}

TEST_CASE("the store and its WAL hold neither the password nor the session token", "[sqlite-only]") {
  Sandbox sandbox(BLOGEN_BINARY);
  const std::string password = "Zebra-Quartz-Plaintext-7731";
  REQUIRE(register_user(sandbox, "ann", password).exit_code == 0);
  REQUIRE(log_in(sandbox, "ann", password + "\n").exit_code == 0);
  const std::string token = saved_token(sandbox);
  REQUIRE(sandbox.run({"whoami"}).exit_code == 0);
  const std::string hex = token.substr(4);
  for (const auto& suffix : {"", "-wal", "-shm"}) {
    const auto file = std::filesystem::path(sandbox.store().string() + suffix);
    if (!std::filesystem::exists(file)) continue;
    const std::string bytes = read_bytes(file);
    INFO(file);
    CHECK(bytes.find(password) == std::string::npos);
    CHECK(bytes.find(token) == std::string::npos);
    CHECK(bytes.find(hex.substr(0, 24)) == std::string::npos);
  }
}

TEST_CASE("admin commands refuse a normal user with exit 4, unknown users are exit 3") {
  Sandbox sandbox(BLOGEN_BINARY);
  const std::string admin = token_for(sandbox, "ann");
  REQUIRE(sandbox.login_as("bob") == 0);
  for (const auto& args : std::vector<std::vector<std::string>>{{"user", "list"},
                                                                {"user", "show", "ann"},
                                                                {"user", "disable", "ann"},
                                                                {"user", "enable", "ann"},
                                                                {"user", "promote", "bob"},
                                                                {"user", "demote", "ann"},
                                                                {"user", "delete", "ann", "--yes"}}) {
    const auto result = sandbox.run(args);
    INFO(args[1]);
    CHECK(result.exit_code == 4);
    CHECK_THAT(result.err, Catch::Contains("admin only"));
  }
  sandbox.set_env("BLOGEN_TOKEN", admin);
  auto result = sandbox.run({"user", "list", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["users"].size() == 2);
  CHECK(sandbox.run({"user", "list", "-q"}).out == "ann\nbob\n");
  result = sandbox.run({"user", "show", "BOB", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["user"]["username"] == "bob");
  CHECK(result.json()["active_sessions"] == 1);
  CHECK(sandbox.run({"user", "show", "nobody"}).exit_code == 3);
  CHECK(sandbox.run({"user", "disable", "nobody"}).exit_code == 3);
}

TEST_CASE("the last enabled admin cannot be demoted, disabled or deleted") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"user", "demote", "ann"}, {"user", "disable", "ann"}, {"user", "delete", "ann", "--yes"}}) {
    const auto result = sandbox.run(args);
    INFO(args[1]);
    CHECK(result.exit_code == 4);
  }
  CHECK_THAT(sandbox.run({"user", "demote", "ann"}).err, Catch::Contains("last enabled admin"));
  REQUIRE(register_user(sandbox, "bob").exit_code == 0);
  auto result = sandbox.run({"user", "promote", "bob", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["user"]["is_admin"] == true);
  result = sandbox.run({"user", "demote", "ann", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["user"]["is_admin"] == false);
  // ann is no longer an admin: her own session now gets "admin only".
  CHECK(sandbox.run({"user", "list"}).exit_code == 4);
}

TEST_CASE("user delete needs --yes and removes the account") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(register_user(sandbox, "bob").exit_code == 0);
  auto result = sandbox.run({"user", "delete", "bob"});
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.err, Catch::Contains("--yes"));
  CHECK(sandbox.run({"user", "show", "bob"}).exit_code == 0);
  result = sandbox.run({"user", "delete", "bob", "--yes", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["deleted"]["user"]["username"] == "bob");
  CHECK(result.json()["deleted"]["posts"] == 0);
  CHECK(sandbox.run({"user", "show", "bob"}).exit_code == 3);
  CHECK(sandbox.run({"user", "delete", "bob", "--yes"}).exit_code == 3);
}

TEST_CASE("a disabled user's session stops working and they cannot log in until enabled") {
  Sandbox sandbox(BLOGEN_BINARY);
  const std::string admin = token_for(sandbox, "ann");
  REQUIRE(sandbox.login_as("bob") == 0); // the session file now holds bob's session
  Sandbox console(BLOGEN_BINARY);
  console.set_env("BLOGEN_DB", sandbox.store_location());
  console.set_env("BLOGEN_TOKEN", admin);
  auto result = console.run({"user", "disable", "bob", "--json"});
  REQUIRE(result.exit_code == 0);
  CHECK(result.json()["user"]["disabled"] == true);

  result = sandbox.run({"whoami"});
  CHECK(result.exit_code == 4);
  result = log_in(sandbox, "bob", k_password);
  CHECK(result.exit_code == 4);
  CHECK_THAT(result.err, Catch::Contains("disabled"));
  CHECK(console.run({"user", "disable", "ann"}).exit_code == 4); // not oneself

  REQUIRE(console.run({"user", "enable", "bob"}).exit_code == 0);
  CHECK(sandbox.run({"whoami"}).exit_code == 4); // the old session stays revoked
  CHECK(log_in(sandbox, "bob", k_password).exit_code == 0);
  CHECK(sandbox.run({"whoami", "-q"}).out == "bob\n");
}

TEST_CASE("doctor reports the session, warning when nobody is logged in") {
  Sandbox sandbox(BLOGEN_BINARY);
  const auto session_check = [&] {
    const auto result = sandbox.run({"doctor", "--json"});
    REQUIRE(result.exit_code == 0);
    const auto doc = result.json();
    for (const auto& check : doc["checks"]) {
      if (check["name"] == "session") return check;
    }
    FAIL("no session check");
    return nlohmann::json();
  };
  auto check = session_check();
  CHECK(check["warning"] == true);
  CHECK_THAT(check["detail"].get<std::string>(), Catch::Contains("not logged in"));
  REQUIRE(sandbox.login_as("ann") == 0);
  check = session_check();
  CHECK(check["warning"] == false);
  CHECK_THAT(check["detail"].get<std::string>(), Catch::Contains("logged in as ann") && Catch::Contains("expires"));
}
