#include <blogen/core/error.hpp>
#include <blogen/term/prompt.hpp>

#include <csignal>
#include <iostream>
#include <termios.h>
#include <unistd.h>

namespace blogen::term {
namespace {

// The terminal settings to restore when a signal arrives while echo is off (signal handlers can only reach globals).
termios g_saved_termios{};
volatile std::sig_atomic_t g_echo_off = 0;

constexpr int k_restore_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern "C" void restore_terminal_and_reraise(int signal_number) {
  if (g_echo_off != 0) ::tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_termios);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

// Turns echo off for its lifetime; restores the terminal on every way out, signals included.
class EchoOff {
public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &g_saved_termios) != 0) return;
    struct sigaction action {};
    action.sa_handler = restore_terminal_and_reraise;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < std::size(k_restore_signals); ++i) {
      ::sigaction(k_restore_signals[i], &action, &m_previous[i]);
    }
    termios quiet = g_saved_termios;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL; // the newline still shows, so the next output starts on a fresh line
    g_echo_off = 1;
    m_active = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;
  ~EchoOff() {
    if (g_echo_off == 0) return;
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
    g_echo_off = 0;
    for (std::size_t i = 0; i < std::size(k_restore_signals); ++i) {
      ::sigaction(k_restore_signals[i], &m_previous[i], nullptr);
    }
  }
  [[nodiscard]] bool active() const { return m_active; }

private:
  struct sigaction m_previous[std::size(k_restore_signals)]{};
  bool m_active = false;
};

} // namespace

std::string ask(std::string_view prompt, Echo echo) {
  std::cerr << prompt << std::flush;
  std::string line;
  bool got = false;
  if (echo == Echo::off) {
    EchoOff guard;
    got = static_cast<bool>(std::getline(std::cin, line));
    if (!guard.active()) std::cerr << '\n';
  } else {
    got = static_cast<bool>(std::getline(std::cin, line));
  }
  if (!got) {
    std::cerr << '\n';
    throw Error(ErrorCode::usage, "no answer: the input ended");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Answer confirm(std::string_view question) {
  const std::string answer = ask(std::string(question) + " [y/N] ");
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES" || answer == "Yes" ? Answer::yes
                                                                                                 : Answer::no;
}

std::vector<std::string> read_stdin_lines(std::size_t count) {
  std::vector<std::string> lines;
  std::string line;
  while (lines.size() < count && std::getline(std::cin, line)) {
    // Only a line that ended in a newline may carry the '\r' of a "\r\n".
    if (!std::cin.eof() && !line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    line.clear();
  }
  return lines;
}

} // namespace blogen::term
