#pragma once
// Errors that stop a command. Each carries the exit code the command line reports (see "Exit codes" in README.md and
// EXIT STATUS in man/blogen.1).

#include <stdexcept>
#include <string>

namespace blogen {

/// What went wrong, as a category that maps one-to-one onto a process exit code.
enum class ErrorCode : int {
  failed = 1,       ///< the operation ran and failed (job failed, wait timed out, broken store)
  usage = 2,        ///< bad flag or bad value; the message names the flag
  not_found = 3,    ///< missing, or owned by another user
  auth = 4,         ///< not logged in, expired session, wrong password, not allowed
  provider = 5,     ///< provider error that retries could not fix
  bad_input = 6,    ///< malformed file (CSV, JSON, template, cron); message names file, line, column
  interrupted = 130 ///< SIGINT / SIGTERM; queued work stays queued
};

/// The process exit code for an error category.
constexpr int exit_code(ErrorCode code) noexcept { return static_cast<int>(code); }

/// An error that stops the current command; `what()` is the message shown to the user (no "error:" prefix).
class Error : public std::runtime_error {
public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
  /// The category, which decides the exit code.
  [[nodiscard]] ErrorCode code() const noexcept { return m_code; }

private:
  ErrorCode m_code;
};

/// The message a user sees for a failure: an Error's own text; for a library's exception (JSON, file system, memory)
/// a sentence naming what was wrong and what to do, never the library's text. SQLite's failures are explained by
/// store::explain_failure, which knows the store file.
std::string describe_failure(const std::exception& failure);

} // namespace blogen
