#pragma once
// Runs the real blogen binary as a subprocess in a private sandbox: a temporary HOME, XDG folders and store,
// a clean environment, captured stdout/stderr/exit code, and parsed --json output.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace blogen::testing {

/// What a finished process left behind.
struct RunResult {
  int exit_code = -1; ///< exit status, or 128 + signal number when killed by a signal
  std::string out;
  std::string err;
  /// stdout parsed as JSON; fails the test (throws) with stdout and stderr when it is not valid JSON.
  [[nodiscard]] nlohmann::json json() const;
};

/// Whether a child's stdin is closed once the given text is written, or kept open until the Child goes away
/// (the fake server exits when its stdin closes, so it never outlives a test).
enum class StdinMode { close_after_write, keep_open };

/// A process started in the background (a worker, a fake server).
class Child {
public:
  Child() = default;
  Child(int pid, int out_fd, int err_fd, int in_fd = -1)
      : m_pid(pid), m_out_fd(out_fd), m_err_fd(err_fd), m_in_fd(in_fd) {}
  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child(); ///< kills (SIGKILL) and reaps a child still running
  [[nodiscard]] int pid() const { return m_pid; }
  /// Sends a signal.
  void signal(int signal_number) const;
  /// Reads one line of stdout (blocking up to `timeout_ms`); nullopt on EOF or timeout.
  std::optional<std::string> read_line(int timeout_ms = 30'000);
  /// Reads stderr until it contains `needle` (blocking up to `timeout_ms`); returns whether it was seen.
  bool wait_for_stderr(const std::string& needle, int timeout_ms = 30'000);
  /// Waits for exit (up to `timeout_ms`, then SIGKILL) and collects the rest of its output.
  RunResult wait(int timeout_ms = 120'000);

private:
  int m_pid = -1;
  int m_out_fd = -1;
  int m_err_fd = -1;
  int m_in_fd = -1;
  std::string m_out;
  std::string m_err;
};

/// Starts `argv[0]` with `argv`, the given environment and stdin text (stdin is closed after writing).
Child spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            const std::string& stdin_text = {}, StdinMode stdin_mode = StdinMode::close_after_write);

/// A fake OpenAI-compatible server process (tests/support/fake_openai) with its port.
struct FakeServer {
  Child process;
  int port = 0;
  /// `http://127.0.0.1:PORT/v1`
  [[nodiscard]] std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port) + "/v1"; }
};

/// Starts the fake server binary with extra flags and waits for its `PORT n` line.
FakeServer start_fake_server(const std::string& binary, const std::vector<std::string>& flags = {});

/// GETs `path` (e.g. "/_stats") from a server on 127.0.0.1 and returns the body (for the fake's counters).
std::string http_get(int port, const std::string& path);

/// The cluster URL (`postgresql://user@host:port/`, a database name to append) when the CLI suite runs on
/// PostgreSQL (BLOGEN_TEST_ENGINE=postgresql, the URL in the file BLOGEN_TEST_PG_URL_FILE names); nullopt on SQLite.
std::optional<std::string> postgresql_base_url();

/// Runs one SQL statement on the cluster's `postgres` database with psql; throws when it fails.
void run_psql(const std::string& base_url, const std::string& statement);

/// A private HOME with XDG folders and a store path, removed afterwards. When the suite runs on PostgreSQL, the
/// store is a fresh database of the test cluster instead (BLOGEN_DB), dropped afterwards.
class Sandbox {
public:
  /// `binary` is the blogen executable (tests pass BLOGEN_BINARY).
  explicit Sandbox(std::string binary);
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;
  ~Sandbox();

  [[nodiscard]] const std::filesystem::path& dir() const { return m_dir; }
  [[nodiscard]] std::filesystem::path home() const { return m_dir / "home"; }
  /// The store file (SQLite runs only: tests that read or damage the file itself are tagged [sqlite-only]).
  [[nodiscard]] std::filesystem::path store() const { return m_dir / "data" / "blogen" / "blogen.db"; }
  /// The store as BLOGEN_DB names it: the file, or the PostgreSQL database's URL (for a second sandbox sharing it).
  [[nodiscard]] std::string store_location() const {
    return on_postgresql() ? m_pg_base_url + m_database : store().string();
  }
  /// Whether this sandbox's store is a PostgreSQL database.
  [[nodiscard]] bool on_postgresql() const { return !m_database.empty(); }
  [[nodiscard]] std::filesystem::path config_dir() const { return m_dir / "config" / "blogen"; }

  /// Sets (or with an empty optional, removes) a variable for every later run.
  void set_env(const std::string& name, std::optional<std::string> value);
  /// The environment a run gets (clean: PATH, HOME, XDG_*, LANG, TZ and what set_env added).
  [[nodiscard]] std::map<std::string, std::string> environment() const;

  /// Runs blogen with `args` and waits for it.
  RunResult run(const std::vector<std::string>& args, const std::string& stdin_text = {}) const;
  /// Starts blogen with `args` in the background.
  [[nodiscard]] Child start(const std::vector<std::string>& args, const std::string& stdin_text = {}) const;

  /// Registers and logs in a user non-interactively (password on stdin); returns the exit code of login.
  int login_as(const std::string& username, const std::string& password = "correct horse battery") const;
  /// Writes a file inside the sandbox and returns its path.
  std::filesystem::path write_file(const std::string& name, const std::string& content) const;

private:
  std::string m_binary;
  std::filesystem::path m_dir;
  std::map<std::string, std::string> m_extra_env;
  std::string m_database;    ///< the PostgreSQL database of this sandbox, or ""
  std::string m_pg_base_url; ///< the cluster it is on
};

/// The raw bytes of a file (for scanning the store for secrets).
std::string read_bytes(const std::filesystem::path& file);

} // namespace blogen::testing
