#pragma once
// Progress displays: jobs emit ProgressEvents, these draw them. On a terminal a bar (batches) or a spinner (one
// post) is redrawn in place, throttled; without a terminal only plain lines for started/completed/failed jobs;
// with --json one NDJSON object per event on stderr; with --no-progress nothing. All are thread-safe.

#include <blogen/core/clock.hpp>
#include <blogen/core/progress.hpp>
#include <blogen/term/output.hpp>

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>

namespace blogen::term {

/// What a live display looks like.
enum class ProgressLook {
  bar,    ///< `[#####-----] done/total  failed N  rate/s  ETA` for many jobs
  spinner ///< a spinner with elapsed time and streamed token count for one job
};

/// The numbers a display shows; kept from events, or set from counts polled from the store (`job watch`).
struct ProgressCounts {
  std::int64_t total = 0;
  std::int64_t completed = 0;
  std::int64_t failed = 0;
  std::int64_t cancelled = 0;
  std::int64_t running = 0;
  std::int64_t tokens = 0; ///< streamed pieces so far (spinner)
  /// Jobs that are finished one way or another.
  [[nodiscard]] std::int64_t done() const { return completed + failed + cancelled; }
};

/// A progress sink that can also be fed polled counts and must be finished.
class ProgressDisplay : public ProgressSink {
public:
  /// Replaces the counts (for work another process is doing).
  virtual void set_counts(const ProgressCounts& counts) = 0;
  /// Ends the display (the live one draws its final line); idempotent.
  virtual void finish() = 0;
};

/// Draws a bar or spinner in place on a terminal, at most ten times a second.
class LiveProgress final : public ProgressDisplay {
public:
  /// `err` is the terminal stream; `total` the jobs expected (bar); `label` names the work ("post 7").
  LiveProgress(std::ostream& err, ProgressLook look, std::int64_t total, Clock& clock, const std::string& label = {});
  ~LiveProgress() override;
  LiveProgress(const LiveProgress&) = delete;
  LiveProgress& operator=(const LiveProgress&) = delete;
  void on_event(const ProgressEvent& event) override;
  void set_counts(const ProgressCounts& counts) override;
  void finish() override;
  /// How many times the line was drawn (tests check the throttle).
  [[nodiscard]] int redraws() const;

private:
  void draw_locked();
  [[nodiscard]] std::string render_locked(TimestampMs now) const;

  mutable std::mutex m_mutex;
  std::ostream& m_err;
  ProgressLook m_look;
  Clock& m_clock;
  std::string m_label;
  ProgressCounts m_counts;
  TimestampMs m_started;
  TimestampMs m_last_draw = 0;
  int m_redraws = 0;
  int m_frame = 0;
  bool m_finished = false;
};

/// Plain lines for started, completed and failed jobs; no escape sequences (stderr is not a terminal).
class LineProgress final : public ProgressDisplay {
public:
  explicit LineProgress(std::ostream& err) : m_err(err) {}
  void on_event(const ProgressEvent& event) override;
  void set_counts(const ProgressCounts&) override {}
  void finish() override {}

private:
  std::mutex m_mutex;
  std::ostream& m_err;
};

/// One compact JSON object per event (`{"event":"completed","job_id":12,...}`), for --json runs.
class JsonProgress final : public ProgressDisplay {
public:
  explicit JsonProgress(std::ostream& stream) : m_stream(stream) {}
  void on_event(const ProgressEvent& event) override;
  void set_counts(const ProgressCounts&) override {}
  void finish() override {}

private:
  std::mutex m_mutex;
  std::ostream& m_stream;
};

/// Shows nothing (--no-progress, --quiet).
class SilentProgress final : public ProgressDisplay {
public:
  void on_event(const ProgressEvent&) override {}
  void set_counts(const ProgressCounts&) override {}
  void finish() override {}
};

/// The stable event name ("completed", "released", ...).
std::string_view to_string(ProgressKind kind);

/// The display the output settings call for: NDJSON on stderr with --json, nothing with --no-progress or --quiet,
/// live on a terminal, plain lines otherwise.
std::unique_ptr<ProgressDisplay> make_progress(Output& out, ProgressLook look, std::int64_t total, Clock& clock,
                                               std::string label = {});

} // namespace blogen::term
