#include <blogen/term/progress.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <ostream>

namespace blogen::term {
namespace {

constexpr std::int64_t k_redraw_every_ms = 100; // at most ~10 redraws a second
constexpr int k_bar_width = 24;
constexpr std::string_view k_clear_line = "\r\x1b[2K";
constexpr std::array<std::string_view, 4> k_spinner = {"|", "/", "-", "\\"};

std::string format_elapsed(std::int64_t ms) {
  const std::int64_t seconds = std::max<std::int64_t>(ms, 0) / 1000;
  if (seconds >= 3600) return fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  return fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}

} // namespace

std::string_view to_string(ProgressKind kind) {
  switch (kind) {
  case ProgressKind::started:
    return "started";
  case ProgressKind::delta:
    return "delta";
  case ProgressKind::retrying:
    return "retrying";
  case ProgressKind::completed:
    return "completed";
  case ProgressKind::failed:
    return "failed";
  case ProgressKind::cancelled:
    return "cancelled";
  case ProgressKind::released:
    return "released";
  case ProgressKind::notice:
    return "notice";
  }
  return "unknown";
}

LiveProgress::LiveProgress(std::ostream& err, ProgressLook look, std::int64_t total, Clock& clock,
                           const std::string& label)
    : m_err(err), m_look(look), m_clock(clock), m_label(sanitize_single_line(label)), m_started(clock.now_ms()) {
  m_counts.total = total;
}

LiveProgress::~LiveProgress() {
  try {
    finish();
  } catch (...) { // NOLINT(bugprone-empty-catch): a destructor must not throw over a broken stream
  }
}

void LiveProgress::on_event(const ProgressEvent& event) {
  std::lock_guard lock(m_mutex);
  if (m_finished) return;
  switch (event.kind) {
  case ProgressKind::started:
    ++m_counts.running;
    break;
  case ProgressKind::delta:
    m_counts.tokens = std::max(m_counts.tokens, event.tokens);
    break;
  case ProgressKind::completed:
    ++m_counts.completed;
    break;
  case ProgressKind::failed:
    ++m_counts.failed;
    break;
  case ProgressKind::cancelled:
    ++m_counts.cancelled;
    break;
  case ProgressKind::retrying:
  case ProgressKind::released:
  case ProgressKind::notice:
    break;
  }
  if (event.kind != ProgressKind::started && event.kind != ProgressKind::delta && event.kind != ProgressKind::notice &&
      m_counts.running > 0) {
    --m_counts.running;
  }
  draw_locked();
}

void LiveProgress::set_counts(const ProgressCounts& counts) {
  std::lock_guard lock(m_mutex);
  if (m_finished) return;
  m_counts = counts;
  draw_locked();
}

void LiveProgress::finish() {
  std::lock_guard lock(m_mutex);
  if (m_finished) return;
  m_finished = true;
  const TimestampMs now = m_clock.now_ms();
  const std::string elapsed = format_elapsed(now - m_started);
  std::string line;
  if (m_look == ProgressLook::bar) {
    line = m_counts.total > 0 ? fmt::format("{}/{} done", m_counts.done(), m_counts.total)
                              : fmt::format("{} done", m_counts.done());
    if (m_counts.failed > 0) line += fmt::format(", {} failed", m_counts.failed);
    if (m_counts.cancelled > 0) line += fmt::format(", {} cancelled", m_counts.cancelled);
    line += " in " + elapsed;
  } else {
    line = fmt::format("{}{}finished in {}", m_label, m_label.empty() ? "" : ": ", elapsed);
    if (m_counts.tokens > 0) line += fmt::format(" ({} tokens)", m_counts.tokens);
  }
  m_err << k_clear_line << line << '\n';
  m_err.flush();
}

int LiveProgress::redraws() const {
  std::lock_guard lock(m_mutex);
  return m_redraws;
}

void LiveProgress::draw_locked() {
  const TimestampMs now = m_clock.now_ms();
  if (m_redraws > 0 && now - m_last_draw < k_redraw_every_ms) return;
  m_last_draw = now;
  ++m_redraws;
  ++m_frame;
  m_err << k_clear_line << render_locked(now);
  m_err.flush();
}

std::string LiveProgress::render_locked(TimestampMs now) const {
  const std::int64_t elapsed_ms = std::max<std::int64_t>(now - m_started, 1);
  if (m_look == ProgressLook::spinner) {
    const auto frame = k_spinner.at(static_cast<std::size_t>(m_frame) % k_spinner.size());
    std::string line =
        fmt::format("{} {}{}{}", frame, m_label, m_label.empty() ? "" : "  ", format_elapsed(elapsed_ms));
    if (m_counts.tokens > 0) line += fmt::format("  {} tokens", m_counts.tokens);
    return line;
  }
  const std::int64_t done = m_counts.done();
  const double rate = static_cast<double>(done) * 1000.0 / static_cast<double>(elapsed_ms);
  if (m_counts.total == 0) {
    // An open-ended run (a long-lived worker): no bar and no ETA, just what has happened so far.
    std::string line = fmt::format("{} done", done);
    if (m_counts.failed > 0) line += fmt::format("  failed {}", m_counts.failed);
    if (m_counts.running > 0) line += fmt::format("  running {}", m_counts.running);
    return line + fmt::format("  {:.1f}/s  {}", rate, format_elapsed(elapsed_ms));
  }
  const std::int64_t total = std::max(m_counts.total, done);
  const int filled = total == 0 ? 0 : static_cast<int>(done * k_bar_width / total);
  std::string line = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                     std::string(static_cast<std::size_t>(k_bar_width - filled), '-') + "] " +
                     fmt::format("{}/{}", done, total);
  if (m_counts.failed > 0) line += fmt::format("  failed {}", m_counts.failed);
  line += fmt::format("  {:.1f}/s", rate);
  if (done > 0 && done < total) {
    const auto eta_ms = static_cast<std::int64_t>(static_cast<double>(total - done) / rate * 1000.0);
    line += "  ETA " + format_elapsed(eta_ms);
  }
  return line;
}

void LineProgress::on_event(const ProgressEvent& event) {
  std::string line;
  const std::string post = event.post_id > 0 ? fmt::format(" (post {})", event.post_id) : "";
  switch (event.kind) {
  case ProgressKind::started:
    line = fmt::format("job {} started{}", event.job_id, post);
    break;
  case ProgressKind::completed:
    line = fmt::format("job {} completed{}", event.job_id, post);
    break;
  case ProgressKind::failed:
    line = fmt::format("job {} failed{}: {}", event.job_id, post, sanitize_single_line(event.text));
    break;
  case ProgressKind::notice:
    line = event.job_id > 0 ? fmt::format("job {}{}: {}", event.job_id, post, sanitize_single_line(event.text))
                            : sanitize_single_line(event.text);
    break;
  default:
    return;
  }
  std::lock_guard lock(m_mutex);
  m_err << line << '\n';
  m_err.flush();
}

void JsonProgress::on_event(const ProgressEvent& event) {
  nlohmann::json line = {{"event", to_string(event.kind)}, {"job_id", event.job_id}, {"at", format_iso8601(event.at)}};
  if (event.post_id > 0) line["post_id"] = event.post_id;
  if (!event.text.empty()) line["text"] = event.text;
  if (event.kind == ProgressKind::delta) line["tokens"] = event.tokens;
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(m_mutex);
  m_stream << text << '\n';
  m_stream.flush();
}

std::unique_ptr<ProgressDisplay> make_progress(Output& out, ProgressLook look, std::int64_t total, Clock& clock,
                                               const std::string& label) {
  if (out.no_progress()) return std::make_unique<SilentProgress>();
  if (out.json()) return std::make_unique<JsonProgress>(out.err_stream());
  if (out.quiet()) return std::make_unique<SilentProgress>();
  if (out.live_progress()) {
    return std::make_unique<LiveProgress>(out.err_stream(), look, total, clock, label);
  }
  return std::make_unique<LineProgress>(out.err_stream());
}

} // namespace blogen::term
