#pragma once
// Ctrl-C and SIGTERM as a stop request. The first SIGINT or SIGTERM asks work to stop (workers release their jobs,
// waits return); a second one ends the process at once with exit code 130 (leases then expire and other workers
// take the jobs over). Signal handlers only write to a pipe; a watcher thread turns that into request_stop().

#include <stop_token>

namespace blogen {

/// Installs SIGINT/SIGTERM handlers for its lifetime and restores the previous ones afterwards. One at a time.
class InterruptHandler {
public:
  /// Installs the handlers and starts the watcher thread; throws Error{failed} when one is already installed.
  InterruptHandler();
  InterruptHandler(const InterruptHandler&) = delete;
  InterruptHandler& operator=(const InterruptHandler&) = delete;
  ~InterruptHandler();

  /// Stopped once a signal arrived.
  [[nodiscard]] std::stop_token token() const { return m_stop.get_token(); }
  /// Whether a signal arrived.
  [[nodiscard]] bool interrupted() const { return m_stop.stop_requested(); }
  /// The signal that arrived first (SIGINT, SIGTERM), or 0.
  [[nodiscard]] int signal_number() const;

private:
  std::stop_source m_stop;
};

} // namespace blogen
