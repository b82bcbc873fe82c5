#include "cli_harness.hpp"
#include "exec_args.hpp"

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace blogen::testing {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

// Reads whatever is available on fd into `sink`; returns false at EOF.
bool drain(int fd, std::string& sink) {
  char buffer[8192];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) {
    sink.append(buffer, static_cast<std::size_t>(n));
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

std::string make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "blogen-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

} // namespace

nlohmann::json RunResult::json() const {
  try {
    return nlohmann::json::parse(out);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("stdout is not JSON (" + std::string(e.what()) + ")\nstdout: " + out + "\nstderr: " + err);
  }
}

Child::Child(Child&& other) noexcept
    : m_pid(other.m_pid), m_out_fd(other.m_out_fd), m_err_fd(other.m_err_fd), m_in_fd(other.m_in_fd),
      m_out(std::move(other.m_out)), m_err(std::move(other.m_err)) {
  other.m_pid = other.m_out_fd = other.m_err_fd = other.m_in_fd = -1;
}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    this->~Child();
    new (this) Child(std::move(other));
  }
  return *this;
}

Child::~Child() {
  if (m_in_fd >= 0) ::close(m_in_fd);
  if (m_pid > 0) {
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
  }
  if (m_out_fd >= 0) ::close(m_out_fd);
  if (m_err_fd >= 0) ::close(m_err_fd);
}

void Child::signal(int signal_number) const {
  if (m_pid > 0) ::kill(m_pid, signal_number);
}

std::optional<std::string> Child::read_line(int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (auto pos = m_out.find('\n'); pos != std::string::npos) {
      std::string line = m_out.substr(0, pos);
      m_out.erase(0, pos + 1);
      return line;
    }
    if (m_out_fd < 0) return std::nullopt;
    pollfd fd{m_out_fd, POLLIN, 0};
    const int ready = ::poll(&fd, 1, remaining_ms(deadline));
    if (ready <= 0) return std::nullopt;
    if (!drain(m_out_fd, m_out)) {
      ::close(m_out_fd);
      m_out_fd = -1;
    }
  }
}

bool Child::wait_for_stderr(const std::string& needle, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (m_err.find(needle) == std::string::npos) {
    if (m_err_fd < 0) return false;
    pollfd fd{m_err_fd, POLLIN, 0};
    if (::poll(&fd, 1, remaining_ms(deadline)) <= 0) return false;
    if (!drain(m_err_fd, m_err)) {
      ::close(m_err_fd);
      m_err_fd = -1;
    }
  }
  return true;
}

RunResult Child::wait(int timeout_ms) {
  if (m_in_fd >= 0) {
    ::close(m_in_fd);
    m_in_fd = -1;
  }
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  bool killed = false;
  while (m_out_fd >= 0 || m_err_fd >= 0) {
    pollfd fds[2];
    nfds_t count = 0;
    if (m_out_fd >= 0) fds[count++] = {m_out_fd, POLLIN, 0};
    if (m_err_fd >= 0) fds[count++] = {m_err_fd, POLLIN, 0};
    const int ready = ::poll(fds, count, remaining_ms(deadline));
    if (ready == 0) {
      ::kill(m_pid, SIGKILL);
      killed = true;
      break;
    }
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      const bool is_out = fds[i].fd == m_out_fd;
      if (!drain(fds[i].fd, is_out ? m_out : m_err)) {
        ::close(fds[i].fd);
        (is_out ? m_out_fd : m_err_fd) = -1;
      }
    }
  }
  int status = 0;
  ::waitpid(m_pid, &status, 0);
  m_pid = -1;
  RunResult result;
  result.out = std::move(m_out);
  result.err = std::move(m_err);
  if (killed) result.err += "\n[harness: killed after timeout]";
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

Child spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            const std::string& stdin_text, StdinMode stdin_mode) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const ExecArgs exec(argv, env);

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in_pipe[0], STDIN_FILENO);
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    ::setpgid(0, 0); // its own process group, so a test's signals reach only it
    ::execve(exec.path(), exec.argv(), exec.envp());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  // Small inputs fit the pipe buffer; larger ones are written by a helper process so we never deadlock.
  if (stdin_text.size() <= 60'000) {
    if (!stdin_text.empty()) {
      [[maybe_unused]] const ssize_t written = ::write(in_pipe[1], stdin_text.data(), stdin_text.size());
    }
  } else if (::fork() == 0) {
    std::size_t done = 0;
    while (done < stdin_text.size()) {
      const ssize_t n = ::write(in_pipe[1], stdin_text.data() + done, stdin_text.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  if (stdin_mode == StdinMode::keep_open) return Child(pid, out_pipe[0], err_pipe[0], in_pipe[1]);
  ::close(in_pipe[1]);
  return Child(pid, out_pipe[0], err_pipe[0]);
}

FakeServer start_fake_server(const std::string& binary, const std::vector<std::string>& flags) {
  std::vector<std::string> argv{binary, "--port", "0"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  FakeServer server;
  server.process = spawn(argv, {{"PATH", "/usr/bin:/bin"}}, {}, StdinMode::keep_open);
  const auto line = server.process.read_line(30'000);
  if (!line || line->rfind("PORT ", 0) != 0) {
    throw std::runtime_error("fake server did not start: " + line.value_or("(no output)"));
  }
  server.port = std::stoi(line->substr(5));
  return server;
}

std::string http_get(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed");
  }
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  [[maybe_unused]] const ssize_t sent = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string response;
  char buffer[8192];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;)
    response.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  const auto body = response.find("\r\n\r\n");
  return body == std::string::npos ? response : response.substr(body + 4);
}

std::optional<std::string> postgresql_base_url() {
  const char* engine = std::getenv("BLOGEN_TEST_ENGINE");
  if (engine == nullptr || std::string(engine) != "postgresql") return std::nullopt;
  const char* url_file = std::getenv("BLOGEN_TEST_PG_URL_FILE");
  if (url_file == nullptr) throw std::runtime_error("BLOGEN_TEST_ENGINE=postgresql needs BLOGEN_TEST_PG_URL_FILE");
  std::ifstream in(url_file);
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    throw std::runtime_error(std::string("no cluster URL in ") + url_file + " (did pg_cluster_start run?)");
  }
  return url;
}

void run_psql(const std::string& base_url, const std::string& statement) {
  Child psql = spawn({"/usr/bin/psql", "-qX", "-v", "ON_ERROR_STOP=1", "-d", base_url + "postgres", "-c", statement},
                     {{"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"}});
  const RunResult result = psql.wait(60'000);
  if (result.exit_code != 0) throw std::runtime_error("psql " + statement + ": " + result.err);
}

namespace {

// A database name no other sandbox of any test process uses.
std::string fresh_database_name() {
  static std::atomic<int> counter{0};
  return "sandbox_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

} // namespace

Sandbox::Sandbox(std::string binary) : m_binary(std::move(binary)), m_dir(make_temp_dir()) {
  std::filesystem::create_directories(home());
  if (const auto base = postgresql_base_url()) {
    const std::string name = fresh_database_name();
    run_psql(*base, "CREATE DATABASE " + name);
    m_database = name;
    m_pg_base_url = *base;
    m_extra_env["BLOGEN_DB"] = *base + name;
  }
}

Sandbox::~Sandbox() {
  std::error_code ec;
  std::filesystem::remove_all(m_dir, ec);
  if (!m_database.empty()) {
    try {
      run_psql(m_pg_base_url, "DROP DATABASE IF EXISTS " + m_database + " WITH (FORCE)");
    } catch (...) { // NOLINT(bugprone-empty-catch): the cluster is removed at the end anyway
    }
  }
}

void Sandbox::set_env(const std::string& name, std::optional<std::string> value) {
  if (value)
    m_extra_env[name] = *value;
  else
    m_extra_env.erase(name);
}

std::map<std::string, std::string> Sandbox::environment() const {
  std::map<std::string, std::string> env{
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", home().string()},
      {"XDG_DATA_HOME", (m_dir / "data").string()},
      {"XDG_CONFIG_HOME", (m_dir / "config").string()},
      {"XDG_CACHE_HOME", (m_dir / "cache").string()},
      {"LANG", "C.UTF-8"},
      {"TZ", "UTC"},
      {"ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1"},
      {"UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1"},
  };
  for (const auto& [name, value] : m_extra_env)
    env[name] = value;
  return env;
}

RunResult Sandbox::run(const std::vector<std::string>& args, const std::string& stdin_text) const {
  return start(args, stdin_text).wait();
}

Child Sandbox::start(const std::vector<std::string>& args, const std::string& stdin_text) const {
  std::vector<std::string> argv{m_binary};
  argv.insert(argv.end(), args.begin(), args.end());
  return spawn(argv, environment(), stdin_text);
}

int Sandbox::login_as(const std::string& username, const std::string& password) const {
  // Register may fail because the user exists already; login decides.
  (void)run({"register", "--username", username, "--password-stdin"}, password + "\n");
  return run({"login", "--username", username, "--password-stdin"}, password + "\n").exit_code;
}

std::filesystem::path Sandbox::write_file(const std::string& name, const std::string& content) const {
  const auto path = m_dir / name;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

} // namespace blogen::testing
