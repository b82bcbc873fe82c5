// Security properties through the real binary (issue 19 item 6): one user can reach nothing of another's; no
// secret (password, session token, runner token, API key) is written anywhere but the two token files; the files
// holding data and secrets are private; model output cannot drive the terminal; the editor never goes through a
// shell; and TLS verification has no switch.
#include <support/cli_harness.hpp>
#include <support/exec_args.hpp>

#include <catch2/catch.hpp>

#include <cerrno>
#include <filesystem>
#include <pty.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using blogen::testing::Child;
using blogen::testing::ExecArgs;
using blogen::testing::read_bytes;
using blogen::testing::RunResult;
using blogen::testing::Sandbox;
using blogen::testing::spawn;
using blogen::testing::start_fake_server;

namespace {

std::int64_t id_of(const RunResult& result, const char* key = "id") {
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return result.json()[key].get<std::int64_t>();
}

std::string text_of(const std::filesystem::path& file) {
  std::string text = read_bytes(file);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return text;
}

unsigned mode_of(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 0777U;
}

// What A owns, as B sees it: every command on each of A's object kinds.
std::vector<std::vector<std::string>> commands_on(const std::string& post, const std::string& campaign,
                                                  const std::string& batch, const std::string& job,
                                                  const std::string& schedule, const std::string& out) {
  return {
      {"blog", "show", post},
      {"blog", "update", post, "--title", "Mine now"},
      {"blog", "update", post, "--regenerate", "--detach"},
      {"blog", "edit", post},
      {"blog", "delete", post},
      {"blog", "delete", post, "--purge", "--yes"},
      {"blog", "restore", post},
      {"blog", "history", post},
      {"blog", "diff", post, "1", "1"},
      {"blog", "revert", post, "1"},
      {"blog", "export", post, "--out", out},
      {"campaign", "show", campaign},
      {"campaign", "update", campaign, "--name", "Mine now"},
      {"campaign", "delete", campaign},
      {"campaign", "restore", campaign},
      {"campaign", "run", campaign, "--count", "1", "--detach"},
      {"campaign", "batches", campaign},
      {"batch", "show", batch},
      {"batch", "retry", batch},
      {"batch", "cancel", batch},
      {"batch", "export", batch, "--format", "csv", "--out", out + "/b.csv"},
      {"job", "show", job},
      {"job", "wait", job, "--timeout", "1s"},
      {"job", "cancel", job},
      {"job", "retry", job},
      {"job", "watch", job},
      {"schedule", "show", schedule},
      {"schedule", "pause", schedule},
      {"schedule", "resume", schedule},
      {"schedule", "remove", schedule},
  };
}

// Runs blogen on a new pseudo-terminal (stdin, stdout and stderr) and returns everything it wrote there.
std::string run_on_terminal(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
  const ExecArgs exec(argv, env);
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::execve(exec.path(), exec.argv(), exec.envp());
    ::_exit(127);
  }
  std::string out;
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(master, buffer, sizeof buffer);
    if (got > 0) {
      out.append(buffer, static_cast<std::size_t>(got));
    } else if (got < 0 && errno == EINTR) {
      continue;
    } else {
      break; // EIO once the child closed the terminal
    }
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  return out;
}

} // namespace

TEST_CASE("isolation: user B gets exit 3 for every command on each of A's objects, and A's data is unchanged") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const std::string ann_token = text_of(sandbox.config_dir() / "session");
  const std::string post = std::to_string(id_of(sandbox.run({"blog", "create", "--topic", "Tea", "--json"})));
  const std::string campaign =
      std::to_string(id_of(sandbox.run({"campaign", "create", "--name", "Launch", "--brand", "Z", "--json"})));
  const std::string batch = std::to_string(
      id_of(sandbox.run({"campaign", "run", campaign, "--count", "2", "--provider", "builtin", "--json"})));
  const auto queued = sandbox.run({"blog", "create", "--topic", "Queued", "--detach", "--json"});
  const std::string job = std::to_string(id_of(queued, "job_id"));
  const std::string schedule =
      std::to_string(id_of(sandbox.run({"schedule", "add", "--now", "--topic", "Later", "--json"})));
  sandbox.set_env("BLOGEN_TOKEN", ann_token);
  const auto snapshot = [&] {
    std::string all;
    for (const auto& args : std::vector<std::vector<std::string>>{{"blog", "list", "--deleted", "--json"},
                                                                  {"blog", "list", "--json"},
                                                                  {"campaign", "list", "--json"},
                                                                  {"campaign", "batches", campaign, "--json"},
                                                                  {"job", "list", "--json"},
                                                                  {"schedule", "list", "--json"},
                                                                  {"blog", "show", post, "--json"}}) {
      const RunResult result = sandbox.run(args);
      REQUIRE(result.exit_code == 0);
      nlohmann::json document = result.json();
      all += document.dump() + "\n";
    }
    return all;
  };
  const std::string before = snapshot();
  sandbox.set_env("BLOGEN_TOKEN", std::nullopt);

  REQUIRE(sandbox.login_as("bob") == 0);
  sandbox.set_env("EDITOR", "/bin/true");
  const auto out = (sandbox.dir() / "export").string();
  int refused = 0;
  for (const auto& args : commands_on(post, campaign, batch, job, schedule, out)) {
    const RunResult result = sandbox.run(args);
    INFO(args[0] << " " << args[1] << "\nstdout: " << result.out << "\nstderr: " << result.err);
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Catch::Contains("not found"));
    refused += result.exit_code == 3 ? 1 : 0;
  }
  // B's lists and B's worker see nothing of A's: A's queued job is still pending afterwards.
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"blog", "list", "--json"}, {"job", "list", "--json"}, {"schedule", "list", "--json"}}) {
    const RunResult result = sandbox.run(args);
    REQUIRE(result.exit_code == 0);
    const nlohmann::json listed = result.json();
    CHECK((listed.is_array() ? listed.empty() : listed["jobs"].empty()));
  }
  // `log --job` is a filter, as for a missing job: nothing of A's calls, exit 0.
  CHECK(sandbox.run({"log", "--job", job, "--json"}).json().empty());
  CHECK(sandbox.run({"worker", "--until-idle", "--no-progress"}).exit_code == 0);
  CHECK(sandbox.run({"schedule", "run-due"}).exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(out));

  sandbox.set_env("BLOGEN_TOKEN", ann_token);
  CHECK(snapshot() == before);
  WARN("isolation: user B refused " << refused << " commands on user A's objects");
}

TEST_CASE("no secret anywhere but its own file, private file modes, model escapes neutralised on a terminal",
          "[sqlite-only]") {
  const std::string password = "pw-Zq8xVt3LmN0rS";
  const std::string api_key = "sk-secret-Kf93jd0Qwe7Rt5";
  const std::string wrong_key = "sk-wrong-Pp4Hh6Yy8Uu0";
  // A model answer full of terminal control: OSC (retitle), CSI (clear, colour), C1 CSI, DCS, BEL, backspaces.
  const std::string evil = "# Title \x1b]0;pwned\x07 here\n\nClear \x1b[2J\x1b[31mred\x1b[0m, C1 \xc2\x9b"
                           "31m, DCS \x1bP+q\x1b\\ bell \x07 back\x08\x08 end.\n";
  const nlohmann::json answer{
      {"id", "x"},
      {"object", "chat.completion"},
      {"model", "m"},
      {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", evil}}}, {"finish_reason", "stop"}}}},
      {"usage", {{"prompt_tokens", 3}, {"completion_tokens", 9}, {"total_tokens", 12}}}};
  const nlohmann::json chunk{{"id", "x"},
                             {"object", "chat.completion.chunk"},
                             {"model", "m"},
                             {"choices", {{{"index", 0}, {"delta", {{"content", evil}}}, {"finish_reason", nullptr}}}}};
  const nlohmann::json script{
      {"rules",
       {{{"contains", "EVILSTREAM"},
         {"reply",
          {{"kind", "raw"},
           {"status", 200},
           {"content_type", "text/event-stream"},
           {"body", "data: " + chunk.dump() + "\n\ndata: [DONE]\n\n"}}}},
        {{"contains", "EVIL"}, {"reply", {{"kind", "raw"}, {"status", 200}, {"body", answer.dump()}}}}}}};

  Sandbox sandbox(BLOGEN_BINARY);
  const auto script_file = sandbox.write_file("script.json", script.dump());
  auto server = start_fake_server(FAKE_OPENAI_BINARY, {"--api-key", api_key, "--script", script_file.string()});
  std::string seen; // everything every command printed
  const auto run = [&](const std::vector<std::string>& args, const std::string& input = {}) {
    RunResult result = sandbox.run(args, input);
    seen += result.out + result.err;
    return result;
  };
  REQUIRE(run({"register", "--username", "ann", "--password-stdin"}, password + "\n").exit_code == 0);
  REQUIRE(run({"login", "--username", "ann", "--password-stdin"}, password + "\n").exit_code == 0);
  CHECK(run({"login", "--username", "ann", "--password-stdin"}, password + "x\n").exit_code == 4);
  REQUIRE(run({"provider", "add", "fake", "--base-url", server.base_url(), "--model", "m", "--api-key-env", "FAKE_KEY",
               "--max-attempts", "1"})
              .exit_code == 0);
  // A wrong key first: the fake echoes it in its 401 ("Incorrect API key provided: ..."), which must be redacted.
  sandbox.set_env("FAKE_KEY", wrong_key);
  CHECK(run({"blog", "create", "--topic", "Keys", "--provider", "fake", "--json"}).exit_code == 5);
  sandbox.set_env("FAKE_KEY", api_key);
  sandbox.set_env("NO_COLOR", "1");
  REQUIRE(run({"blog", "create", "--topic", "EVIL", "--provider", "fake", "--json"}).exit_code == 0);
  REQUIRE(run({"schedule", "crontab"}).exit_code == 0);
  for (const auto& args : std::vector<std::vector<std::string>>{{"log", "--json"},
                                                                {"job", "show", "1", "--json"},
                                                                {"job", "show", "2", "--json"},
                                                                {"provider", "list", "--json"},
                                                                {"session", "list", "--json"},
                                                                {"doctor", "--json"},
                                                                {"whoami", "--json"},
                                                                {"config", "list", "--json"}})
    run(args);
  REQUIRE(run({"passwd", "--password-stdin"}, password + "\n" + password + "-new\n").exit_code == 0);
  const std::string session_token = text_of(sandbox.config_dir() / "session");
  const std::string runner_token = text_of(sandbox.config_dir() / "runner-token");
  REQUIRE(session_token.rfind("blg_", 0) == 0);
  REQUIRE(runner_token.size() > 20);

  // The byte scan: every file under the sandbox (store, WAL, recovered edits, exports...) and every output.
  int files_scanned = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(sandbox.dir())) {
    if (!entry.is_regular_file() || entry.path() == script_file) continue;
    const std::string bytes = read_bytes(entry.path());
    ++files_scanned;
    INFO(entry.path());
    for (const std::string& secret : {password, password + "-new", api_key, wrong_key}) {
      CHECK(bytes.find(secret) == std::string::npos);
    }
    if (entry.path().filename() != "session") CHECK(bytes.find(session_token) == std::string::npos);
    if (entry.path().filename() != "runner-token") CHECK(bytes.find(runner_token) == std::string::npos);
  }
  CHECK(files_scanned >= 3);
  for (const std::string& secret : {password, password + "-new", api_key, wrong_key, session_token, runner_token}) {
    CHECK(seen.find(secret) == std::string::npos);
  }

  // File modes: the store (and its WAL while open), the session and runner-token files are 0600 in 0700 folders.
  CHECK(mode_of(sandbox.store()) == 0600U);
  CHECK(mode_of(sandbox.store().parent_path()) == 0700U);
  CHECK(mode_of(sandbox.config_dir()) == 0700U);
  CHECK(mode_of(sandbox.config_dir() / "session") == 0600U);
  CHECK(mode_of(sandbox.config_dir() / "runner-token") == 0600U);
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::filesystem::path side = sandbox.store().string() + suffix;
    if (std::filesystem::exists(side)) CHECK(mode_of(side) == 0600U);
  }
  // A recovery file (an edit that could not be saved) holds the post's text: 0600 in a 0700 folder.
  sandbox.set_env("EDITOR", "/bin/sh -c 'printf \"no front matter\" > \"$0\"'");
  CHECK(run({"blog", "edit", "2"}).exit_code != 0);
  const auto recovered = sandbox.dir() / "data" / "blogen" / "recovered";
  REQUIRE(std::filesystem::is_directory(recovered));
  CHECK(mode_of(recovered) == 0700U);
  int recovery_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(recovered)) {
    CHECK(mode_of(entry.path()) == 0600U);
    ++recovery_files;
  }
  CHECK(recovery_files == 1);

  // The model's control sequences never reach a terminal: neither shown, nor streamed as they arrive.
  auto env = sandbox.environment();
  env.erase("NO_COLOR");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"blog", "show", "2"},
           {"blog", "show", "2", "--format", "markdown"},
           {"blog", "list"},
           {"blog", "create", "--topic", "EVILSTREAM", "--provider", "fake", "--stream"},
           {"blog", "export", "2", "--out", "-"}}) {
    // Without colour, every ESC on the terminal would be the model's (blogen's own colours are tested elsewhere).
    std::vector<std::string> argv{BLOGEN_BINARY, "--color", "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    const std::string shown = run_on_terminal(argv, env);
    INFO(args[0] << " " << args[1] << ": " << shown);
    CHECK(shown.find('\x1b') == std::string::npos);
    CHECK(shown.find('\x07') == std::string::npos);
    CHECK(shown.find('\x08') == std::string::npos);
    CHECK(shown.find("\xc2\x9b") == std::string::npos);
    if (args[1] != "list") CHECK_THAT(shown, Catch::Contains("red") && Catch::Contains("end."));
  }
}

TEST_CASE("the editor runs without a shell: its command line is split into words, metacharacters stay text") {
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"blog", "create", "--topic", "Tea", "-q"}).exit_code == 0);
  const auto log = sandbox.dir() / "argv.log";
  const auto editor = sandbox.write_file("editor.sh", "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" +
                                                          log.string() + "'\n");
  ::chmod(editor.c_str(), 0755);
  const auto pwned = sandbox.dir() / "pwned";
  sandbox.set_env("EDITOR", editor.string() + " \"two words\" $(touch " + pwned.string() + ") ;touch " +
                                pwned.string() + " `id` |cat");
  const RunResult edited = sandbox.run({"blog", "edit", "1"});
  INFO(edited.err);
  CHECK(edited.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(pwned));
  const std::string args = read_bytes(log);
  CHECK_THAT(args, Catch::StartsWith("two words\n$(touch\n" + pwned.string() + ")\n;touch\n" + pwned.string() +
                                     "\n`id`\n|cat\n"));
}

TEST_CASE("TLS verification has no switch: a self-signed server is refused whatever the environment says") {
  if (!std::filesystem::exists("/usr/bin/openssl")) {
    WARN("openssl is not installed: the TLS case is skipped");
    return;
  }
  Sandbox sandbox(BLOGEN_BINARY);
  REQUIRE(sandbox.login_as("ann") == 0);
  const auto key = sandbox.dir() / "key.pem";
  const auto cert = sandbox.dir() / "cert.pem";
  const RunResult made =
      spawn({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", key.string(), "-out", cert.string(), "-days", "2", "-subj", "/CN=127.0.0.1"},
            {{"PATH", "/usr/bin:/bin"}})
          .wait();
  REQUIRE(made.exit_code == 0);
  Child server = spawn(
      {"/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", cert.string(), "-key", key.string(), "-www"},
      {{"PATH", "/usr/bin:/bin"}}, {}, blogen::testing::StdinMode::keep_open);
  std::string port;
  while (auto line = server.read_line(10'000)) {
    if (line->rfind("ACCEPT ", 0) == 0) {
      port = line->substr(line->rfind(':') + 1);
      break;
    }
  }
  REQUIRE_FALSE(port.empty());
  REQUIRE(sandbox
              .run({"provider", "add", "tls", "--base-url", "https://127.0.0.1:" + port + "/v1", "--model", "m",
                    "--no-key", "--max-attempts", "1"})
              .exit_code == 0);
  // Switches other tools honour; blogen has none, so each changes nothing.
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"CURL_CA_BUNDLE", ""},
                                                        {"CURL_INSECURE", "1"},
                                                        {"GIT_SSL_NO_VERIFY", "1"},
                                                        {"NODE_TLS_REJECT_UNAUTHORIZED", "0"},
                                                        {"PYTHONHTTPSVERIFY", "0"},
                                                        {"BLOGEN_INSECURE", "1"},
                                                        {"BLOGEN_TLS_VERIFY", "0"}})
    sandbox.set_env(name, value);
  const RunResult tested = sandbox.run({"provider", "test", "tls"});
  CHECK(tested.exit_code == 5);
  CHECK_THAT(tested.err, Catch::Contains("certificate was not accepted"));
  const RunResult created = sandbox.run({"blog", "create", "--topic", "Tea", "--provider", "tls"});
  CHECK(created.exit_code != 0);
  CHECK_THAT(created.err, Catch::Contains("certificate was not accepted"));
  // And no flag: provider add/update know no --insecure.
  CHECK(sandbox.run({"provider", "add", "tls2", "--base-url", "https://127.0.0.1/v1", "--model", "m", "--insecure"})
            .exit_code == 2);
}
