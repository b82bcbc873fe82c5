#include "foreground_job.hpp"

#include <blogen/app/generation_handler.hpp>
#include <blogen/app/jobs_service.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/interrupt.hpp>
#include <blogen/term/progress.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

#include <mutex>

namespace blogen::cli {
namespace {

// Writes streamed text to stdout as it arrives. A UTF-8 character or an escape sequence may be split across two
// deltas; the unfinished tail waits for the next delta so the sanitiser always sees whole sequences.
class StreamPrinter final : public ProgressSink {
public:
  explicit StreamPrinter(term::Output& out) : m_out(out) {}

  void on_event(const ProgressEvent& event) override {
    std::lock_guard lock(m_mutex);
    if (event.kind == ProgressKind::retrying) {
      flush_locked();
      m_out.out_stream().flush();
      m_out.warn(fmt::format("\nretrying: {}", term::sanitize_single_line(event.text)));
      return;
    }
    if (event.kind != ProgressKind::delta) return;
    m_pending += event.text;
    const std::size_t keep = unfinished_tail(m_pending);
    const std::string ready = m_pending.substr(0, m_pending.size() - keep);
    m_pending.erase(0, m_pending.size() - keep);
    m_out.untrusted(ready);
    m_out.out_stream().flush();
    m_printed = m_printed || !ready.empty();
  }

  // Prints what is left and ends the line.
  void finish() {
    std::lock_guard lock(m_mutex);
    flush_locked();
    if (m_printed) m_out.out_stream() << '\n';
    m_out.out_stream().flush();
  }

private:
  void flush_locked() {
    m_out.untrusted(m_pending);
    m_printed = m_printed || !m_pending.empty();
    m_pending.clear();
  }

  static std::size_t unfinished_tail(const std::string& text) {
    constexpr std::size_t k_max_sequence = 64;
    const std::size_t escape = text.rfind('\x1b');
    if (escape != std::string::npos && text.size() - escape < k_max_sequence) return text.size() - escape;
    // A UTF-8 lead byte whose continuation bytes have not all arrived yet.
    for (std::size_t back = 1; back <= 3 && back <= text.size(); ++back) {
      const auto byte = static_cast<unsigned char>(text[text.size() - back]);
      if ((byte & 0xC0) == 0x80) continue;
      const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
      return length > back ? back : 0;
    }
    return 0;
  }

  std::mutex m_mutex;
  term::Output& m_out;
  std::string m_pending;
  bool m_printed = false;
};

} // namespace

app::Job run_job_in_foreground(Env& env, std::int64_t job_id, std::int64_t post_id, app::Stream stream) {
  app::Context& context = env.app();
  auto& out = env.out();
  InterruptHandler interrupt;

  const bool print_stream = stream == app::Stream::yes && !out.json();
  StreamPrinter printer(out);
  std::unique_ptr<term::ProgressDisplay> display;
  // One job needs no "started"/"completed" lines in a script's stderr: a spinner on a terminal, else silence.
  NullProgressSink silent;
  if (!print_stream && out.live_progress()) {
    display =
        term::make_progress(out, term::ProgressLook::spinner, 1, context.clock(), fmt::format("post {}", post_id));
  }
  ProgressSink& sink = print_stream ? static_cast<ProgressSink&>(printer)
                       : display    ? static_cast<ProgressSink&>(*display)
                                    : static_cast<ProgressSink&>(silent);
  app::run_job_here(context, job_id, sink, interrupt.token());
  if (display) display->finish();
  if (print_stream) printer.finish();

  if (interrupt.interrupted()) {
    throw Error(ErrorCode::interrupted,
                fmt::format("interrupted; post {} stays queued as job {} ('blogen worker' or 'blogen job wait {}' "
                            "finishes it)",
                            post_id, job_id, job_id));
  }
  app::Job job = app::get_job(context, job_id);
  if (job.status == app::JobStatus::completed) return job;
  if (job.status == app::JobStatus::failed) {
    const ErrorCode code = app::is_permanent_provider_error(job.error_kind) ? ErrorCode::provider : ErrorCode::failed;
    throw Error(code, fmt::format("post {} was not written: {}", post_id, job.error));
  }
  throw Error(ErrorCode::failed,
              fmt::format("post {} was not written: job {} is {}", post_id, job_id, app::to_string(job.status)));
}

void warn_if_no_credentials(Env& env, const std::optional<std::string>& provider) {
  if (const std::string problem = app::credentials_problem(env.app(), provider); !problem.empty()) {
    env.out().warn(problem + "; queued anyway, for a worker whose environment has it");
  }
}

} // namespace blogen::cli
