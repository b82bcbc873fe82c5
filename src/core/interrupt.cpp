#include <blogen/core/error.hpp>
#include <blogen/core/interrupt.hpp>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

namespace blogen {
namespace {

// Only async-signal-safe things happen in the handler: atomics on lock-free ints, write(2) and _exit(2).
std::atomic<int> g_signals_seen{0};
std::atomic<int> g_first_signal{0};
std::atomic<int> g_write_fd{-1};
std::atomic<bool> g_installed{false};

constexpr unsigned char k_wake_to_quit = 0;

void on_signal(int signal_number) {
  if (g_signals_seen.fetch_add(1) > 0) ::_exit(130); // the second Ctrl-C: quit now
  int expected = 0;
  g_first_signal.compare_exchange_strong(expected, signal_number);
  const int saved_errno = errno;
  const auto byte = static_cast<unsigned char>(signal_number);
  const int fd = g_write_fd.load();
  if (fd >= 0) [[maybe_unused]]
    auto written = ::write(fd, &byte, 1);
  errno = saved_errno;
}

struct SignalState {
  int pipe_read = -1;
  int pipe_write = -1;
  struct sigaction previous_int {};
  struct sigaction previous_term {};
  std::thread watcher;
};

SignalState g_state; // guarded by g_installed: only one InterruptHandler exists at a time

} // namespace

InterruptHandler::InterruptHandler() {
  static_assert(std::atomic<int>::is_always_lock_free);
  if (g_installed.exchange(true)) throw Error(ErrorCode::failed, "an interrupt handler is already installed");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    g_installed = false;
    throw Error(ErrorCode::failed, "cannot create the signal pipe");
  }
  g_state.pipe_read = fds[0];
  g_state.pipe_write = fds[1];
  g_signals_seen = 0;
  g_first_signal = 0;
  g_write_fd = fds[1];

  g_state.watcher = std::thread([this, fd = fds[0]] {
    for (;;) {
      unsigned char byte = 0;
      const ssize_t n = ::read(fd, &byte, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || byte == k_wake_to_quit) return;
      m_stop.request_stop();
    }
  });

  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, &g_state.previous_int);
  ::sigaction(SIGTERM, &action, &g_state.previous_term);
}

InterruptHandler::~InterruptHandler() {
  ::sigaction(SIGINT, &g_state.previous_int, nullptr);
  ::sigaction(SIGTERM, &g_state.previous_term, nullptr);
  g_write_fd = -1;
  const unsigned char quit = k_wake_to_quit;
  [[maybe_unused]] auto written = ::write(g_state.pipe_write, &quit, 1);
  g_state.watcher.join();
  ::close(g_state.pipe_read);
  ::close(g_state.pipe_write);
  g_state = SignalState{};
  g_installed = false;
}

int InterruptHandler::signal_number() const { return g_first_signal.load(); }

} // namespace blogen
