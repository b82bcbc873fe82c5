#pragma once
// Progress as events: workers (jobs) emit them, the terminal (term) draws bars from them, --json writes NDJSON,
// tests record them. They live in core because both layers speak them and neither may include the other.
// Sinks must be thread-safe: several workers emit at once.

#include <blogen/core/clock.hpp>

#include <cstdint>
#include <string>

namespace blogen {

/// What happened to a job.
enum class ProgressKind {
  started,  ///< a worker claimed it
  delta,    ///< streamed text arrived (text holds the piece; tokens counts pieces so far)
  retrying, ///< a transient failure; it will run again later
  completed,
  failed,
  cancelled,
  released, ///< given back on shutdown; pending again
  notice    ///< worth logging, changes no state: the store stayed busy and a write is being retried, ...
};

/// One progress event.
struct ProgressEvent {
  ProgressKind kind = ProgressKind::started;
  std::int64_t job_id = 0;
  std::int64_t post_id = 0;
  std::string text; ///< delta text, the error for failed/retrying, or the notice
  std::int64_t tokens = 0;
  TimestampMs at = 0;
};

/// Receives progress events.
class ProgressSink {
public:
  virtual ~ProgressSink() = default;
  /// Called from worker threads; must be thread-safe and quick.
  virtual void on_event(const ProgressEvent& event) = 0;
};

/// A sink that ignores everything.
class NullProgressSink final : public ProgressSink {
public:
  void on_event(const ProgressEvent&) override {}
};

} // namespace blogen
