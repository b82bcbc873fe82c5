// Threads and the store: every worker thread opens its OWN store::Database connection (and so do the lease
// monitor and the shutdown coordinator). We chose one connection per thread over a single coordinator thread
// because it is the simplest thing that is proven under contention: SQLite in WAL mode lets readers run beside
// one writer, every state change here is a short BEGIN IMMEDIATE write (claim, heartbeat, finish), and the
// store's busy_timeout makes writers queue instead of failing. The same code is then correct whether the other
// claimers are threads of this pool or other processes on the same file, which is the case that matters. The one
// exception is the finishing write: results that finish together are recorded in one transaction, on a connection
// the pool keeps for that (group_commit.hpp), because at high throughput the store's single writer is the limit.
#include "group_commit.hpp"

#include <blogen/core/process.hpp>
#include <blogen/jobs/worker_pool.hpp>

#include <blogen/store/database.hpp>
#include <blogen/store/maintenance.hpp>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace blogen::jobs {
namespace {

constexpr std::chrono::milliseconds k_min_idle_wait{50};
constexpr std::chrono::milliseconds k_max_backoff{5 * 60'000};
constexpr std::chrono::milliseconds k_first_busy_wait{100};
constexpr std::chrono::milliseconds k_max_busy_wait{5'000};
/// How long the pool, stopping after its grace period, keeps trying to give jobs back to a busy store. It is exiting,
/// so it does not wait for ever: a job it could not give back is taken over by the next claim when its lease ends.
constexpr std::chrono::milliseconds k_release_patience{5'000};

std::string random_suffix() {
  std::random_device device;
  return fmt::format("{:06x}", device() & 0xFFFFFFU);
}

// Exponential back-off with jitter for a transient failure whose handler named no wait: 1 s, 2 s, 4 s, ... (5 min
// at most), plus up to a quarter more so that many jobs failing together do not come back together.
std::chrono::milliseconds default_backoff(int attempts) {
  const int exponent = std::clamp(attempts - 1, 0, 16);
  const auto base = std::min(std::chrono::milliseconds(1'000LL << exponent), k_max_backoff);
  thread_local std::mt19937 generator{std::random_device{}()};
  std::uniform_int_distribution<long long> jitter(0, base.count() / 4);
  return base + std::chrono::milliseconds(jitter(generator));
}

// An exception as the sentence a job's error shows: SQLite's and other libraries' own text never reaches a user.
std::string failure_text(const std::exception& failure, const std::filesystem::path& store_file) {
  if (auto explained = store::explain_failure(failure, store_file)) return explained->what();
  return describe_failure(failure);
}

// Runs `write`, trying again while the store stays locked past its busy timeout. Before each wait (100 ms, growing
// to 5 s) `waiting(wait)` does the waiting and says whether to go on. Returns whether the write ran.
template <typename Write, typename Waiting> bool retry_while_busy(Write&& write, Waiting&& waiting) {
  auto wait = k_first_busy_wait;
  for (;;) {
    try {
      write();
      return true;
    } catch (const std::exception& e) {
      if (!store::is_busy(e)) throw;
    }
    if (!waiting(wait)) return false;
    wait = std::min(wait * 2, k_max_busy_wait);
  }
}

// The notice a wait for a busy store is logged with.
ProgressEvent busy_notice(std::string_view what, const store::Job* job, std::chrono::milliseconds wait,
                          TimestampMs now) {
  ProgressEvent event;
  event.kind = ProgressKind::notice;
  event.job_id = job ? job->id : 0;
  event.post_id = job ? job->post_id.value_or(0) : 0;
  event.text =
      fmt::format("the store is busy (another process holds its write lock); {} again in {} ms", what, wait.count());
  event.at = now;
  return event;
}

} // namespace

// Who records a claimed job's outcome: the worker thread that ran it, or (after the shutdown grace) the
// coordinator that released it. Whoever moves the phase away from `running` first owns it.
enum class Phase { running, recording, released };

struct WorkerPool::State {
  struct Running {
    store::Job job;
    std::string worker_id;
    std::stop_source stop;
    Phase phase = Phase::running;
    bool cancel_seen = false;
    TimestampMs last_heartbeat = 0;
  };

  std::mutex mutex;
  // Three sleeps, each on a variable of its own, so a finished job wakes only the threads it concerns: when all
  // three shared one, every job woke run()'s thread and the monitor for nothing (two context switches per post).
  std::condition_variable_any wake;         // idle workers: a job ended (one of them; see Worker::loop)
  std::condition_variable_any busy_pause;   // workers waiting out a busy store; only the shutdown ends it early
  std::condition_variable_any thread_ended; // run(): a worker thread ended
  std::condition_variable_any monitor_tick; // the monitor's sleep between rounds; only its stop ends it early
  std::map<std::int64_t, std::shared_ptr<Running>> running;
  std::stop_source shutdown;     // stop claiming (a stop request, or a fatal error)
  std::stop_source monitor_stop; // every worker thread has ended
  int threads_done = 0;
  std::uint64_t finished_seq = 0; // bumped when a job ends or an idle thread found work, so one idle thread looks
  bool idle = false;
  std::atomic<int> reserved{0};
  WorkerPoolSummary summary;
  std::exception_ptr error;
  std::optional<detail::GroupCommit> results; // records finished jobs, several in one transaction
};

namespace {

// The per-thread part of the pool: a connection, a repository and the loop.
class Worker {
public:
  using State = WorkerPool::State;

  Worker(State& state, const std::filesystem::path& store_path, const HandlerMap& handlers, ProgressSink& progress,
         Clock& clock, const WorkerPoolOptions& options, std::string worker_id)
      : m_state(state), m_db(store::Database::open(store_path, store::OpenFor::worker)), m_repo(m_db),
        m_handlers(handlers), m_progress(progress), m_clock(clock), m_options(options),
        m_worker_id(std::move(worker_id)) {}

  // The end of a batch, when the jobs run out while others still run, used to cost as much as its middle: every
  // job that ended woke every idle worker, and each made a claim, an "anything unfinished?" query and a "when is
  // the next one due?" query (at concurrency C, about C x C / 2 rounds of them as the last C jobs end: 8% of the CPU
  // of a 1 000-post batch at concurrency 50). Now a job's end wakes one idle worker, which wakes the next only when it
  // found a job; a worker whose result's claim found nothing does not claim again at once; and while other jobs of the
  // pool still run, there is something unfinished without asking the store.
  void loop() {
    bool waited = false; // this claim follows a wait for work
    for (;;) {
      // A job claimed with the last one's result runs first, even when a stop has arrived: run_job gives it back.
      if (m_next) {
        const store::Job next = *std::exchange(m_next, std::nullopt);
        run_job(next);
        continue;
      }
      if (m_state.shutdown.stop_requested()) return;
      std::uint64_t seen = 0;
      {
        std::lock_guard lock(m_state.mutex);
        if (m_state.idle) return;
        seen = m_state.finished_seq;
      }
      std::optional<store::Job> job;
      bool asked = true;
      if (std::exchange(m_claimed_none, false)) {
        // The claim made with this worker's last result found nothing, and the finished_seq its end set is `seen`
        // (run_job): a job that ended since then is another's turn to look.
        seen = m_seen_at_end;
      } else {
        if (m_options.max_jobs && m_state.reserved.fetch_add(1) >= *m_options.max_jobs) return;
        // Through the pool's writer, with whatever else waits for it: a batch's workers all claim their first job at
        // once, and fifty claims one after another delayed the last worker's first call by 100 ms.
        asked = while_busy("claiming a job", nullptr, Persist::until_shutdown, [&] {
          detail::WriterRequest claim(m_worker_id);
          m_state.results->record(claim);
          if (claim.error) std::rethrow_exception(claim.error);
          job = std::move(claim.next);
        });
        if (!job && m_options.max_jobs) m_state.reserved.fetch_sub(1);
      }
      if (job) {
        // There may be more where this one came from: the next idle worker looks too.
        if (std::exchange(waited, false)) {
          std::lock_guard lock(m_state.mutex);
          ++m_state.finished_seq;
          m_state.wake.notify_one();
        }
        run_job(*job);
        continue;
      }
      waited = false;
      if (!asked) return; // shutting down while the store was busy
      if (m_options.stop_when == StopWhen::idle && !unfinished()) {
        std::lock_guard lock(m_state.mutex);
        m_state.idle = true;
        m_state.wake.notify_all();
        return;
      }
      wait_for_work(seen);
      waited = true;
    }
  }

private:
  // How long a write is retried while the store stays busy.
  enum class Persist {
    until_shutdown, ///< a claim: nothing is lost by giving up when the pool stops
    until_done      ///< a finished result: losing it would waste the work, so it waits as long as it takes
  };

  // Runs `write`, trying again while the store stays locked past its busy timeout (another process holding the
  // write lock for long): each wait is logged as a notice and grows from 100 ms to 5 s. A busy store never stops
  // the pool. Returns false only when Persist::until_shutdown gave up because the pool is stopping.
  template <typename Write>
  bool while_busy(std::string_view what, const store::Job* job, Persist persist, Write&& write) {
    return retry_while_busy(write, [&](std::chrono::milliseconds wait) {
      if (persist == Persist::until_shutdown && m_state.shutdown.stop_requested()) return false;
      m_progress.on_event(busy_notice(what, job, wait, m_clock.now_ms()));
      if (persist == Persist::until_done) {
        std::this_thread::sleep_for(wait);
      } else {
        std::unique_lock lock(m_state.mutex);
        m_state.busy_pause.wait_for(lock, m_state.shutdown.get_token(), wait, [] { return false; });
      }
      return true;
    });
  }

  // Whether the scope has jobs left to run: yes while another of this pool's jobs runs (it may yet be retried).
  // Answers true when the store stays busy until the pool stops (the loop then ends anyway).
  bool unfinished() {
    {
      std::lock_guard lock(m_state.mutex);
      if (!m_state.running.empty()) return true;
    }
    bool unfinished = true;
    while_busy("looking for work", nullptr, Persist::until_shutdown,
               [&] { unfinished = m_repo.has_unfinished(m_options.scope); });
    return unfinished;
  }

  // Sleeps until a job ends or another idle worker found work, the pool goes idle or stops, or the next due job's
  // time or the poll interval passes.
  void wait_for_work(std::uint64_t seen) {
    auto wait = m_options.poll_interval;
    std::optional<TimestampMs> next;
    while_busy("looking for work", nullptr, Persist::until_shutdown,
               [&] { next = m_repo.next_run_after(m_options.scope); });
    if (next) {
      wait = std::clamp(std::chrono::milliseconds(*next - m_clock.now_ms()), k_min_idle_wait, m_options.poll_interval);
    }
    std::unique_lock lock(m_state.mutex);
    m_state.wake.wait_for(lock, m_state.shutdown.get_token(), wait,
                          [&] { return m_state.idle || m_state.finished_seq != seen; });
  }

  void emit(ProgressKind kind, const store::Job& job, std::string text = {}) {
    ProgressEvent event;
    event.kind = kind;
    event.job_id = job.id;
    event.post_id = job.post_id.value_or(0);
    event.text = std::move(text);
    event.at = m_clock.now_ms();
    m_progress.on_event(event);
  }

  void count(int WorkerPoolSummary::*field) {
    std::lock_guard lock(m_state.mutex);
    ++(m_state.summary.*field);
  }

  void run_job(const store::Job& job) {
    auto running = std::make_shared<State::Running>();
    running->job = job;
    running->worker_id = m_worker_id;
    running->last_heartbeat = m_clock.now_ms();
    bool shutting_down = false;
    {
      std::lock_guard lock(m_state.mutex);
      m_state.running[job.id] = running;
      shutting_down = m_state.shutdown.stop_requested();
      if (shutting_down) running->phase = Phase::recording;
    }
    if (shutting_down) {
      // Claimed while the stop arrived: give it straight back.
      bool released = false;
      while_busy("giving the job back", &job, Persist::until_done,
                 [&] { released = m_repo.release(job.id, m_worker_id, m_clock.now_ms()); });
      if (released) {
        count(&WorkerPoolSummary::released);
        emit(ProgressKind::released, job);
      }
    } else {
      emit(ProgressKind::started, job);
      std::vector<DeferredWrite> journal;
      JobOutcome outcome = call_handler(job, running->stop.get_token(), journal);
      bool cancel_seen = false;
      bool owned = false;
      {
        std::lock_guard lock(m_state.mutex);
        owned = running->phase == Phase::running;
        if (owned) running->phase = Phase::recording;
        cancel_seen = running->cancel_seen;
      }
      if (owned) {
        while_busy("recording the result", &job, Persist::until_done,
                   [&] { record(job, outcome, cancel_seen, journal); });
      } else {
        // Released by the shutdown coordinator: the calls the attempt made are still recorded.
        while_busy("recording the calls", &job, Persist::until_done, [&] { write_journal(journal); });
      }
      if (outcome.discard) outcome.discard(); // after_commit clears it once the files are in place
    }
    std::lock_guard lock(m_state.mutex);
    m_state.running.erase(job.id);
    m_seen_at_end = ++m_state.finished_seq;
    m_state.wake.notify_one();
  }

  JobOutcome call_handler(const store::Job& job, std::stop_token stop, std::vector<DeferredWrite>& journal) {
    JobOutcome outcome;
    outcome.kind = OutcomeKind::failed;
    outcome.error_kind = "internal";
    auto handler = m_handlers.find(job.kind);
    if (handler == m_handlers.end() || !handler->second) {
      outcome.error = fmt::format("no handler for job kind '{}' in this build of blogen", job.kind);
      return outcome;
    }
    try {
      JobContext context{job, m_db, std::move(stop), m_progress, m_clock, m_worker_id, &journal};
      return handler->second(context);
    } catch (const std::exception& e) {
      outcome.error = failure_text(e, m_db.path());
    } catch (...) {
      outcome.error = "the handler failed with an unknown exception";
    }
    return outcome;
  }

  // Writes what the attempt deferred (JobContext::defer) in a transaction of its own, for the outcomes that are not
  // recorded by finish(); they stand whatever became of the job.
  void write_journal(std::vector<DeferredWrite>& journal) {
    if (journal.empty()) return;
    store::WriteTransaction transaction(m_db);
    for (const auto& write : journal)
      write(m_db);
    transaction.commit();
    journal.clear();
  }

  // Records an outcome; every write checks the lease, so a job another worker took over is left alone. The journal
  // is written with a completed or failed job's state (finish), and on its own before any other transition.
  void record(const store::Job& job, JobOutcome& outcome, bool cancel_seen, std::vector<DeferredWrite>& journal) {
    const TimestampMs now = m_clock.now_ms();
    const bool finishing = outcome.kind == OutcomeKind::completed || outcome.kind == OutcomeKind::failed;
    if (!finishing) write_journal(journal);
    // A finishing outcome's cancel check is made in the transaction that records it (finish).
    if (cancel_seen || (!finishing && m_repo.cancel_requested(job.id))) {
      write_journal(journal);
      acknowledge_cancel(job);
      return;
    }
    const bool stopping = m_state.shutdown.stop_requested();
    if (stopping && !finishing) {
      // Interrupted by the shutdown, not by a cancel request: the job is still wanted, so it goes back.
      if (m_repo.release(job.id, m_worker_id, now)) {
        count(&WorkerPoolSummary::released);
        emit(ProgressKind::released, job);
      } else {
        count(&WorkerPoolSummary::lost);
      }
      return;
    }
    switch (outcome.kind) {
    case OutcomeKind::completed:
      finish(job, outcome, OutcomeKind::completed, journal);
      return;
    case OutcomeKind::failed:
      finish(job, outcome, OutcomeKind::failed, journal);
      return;
    case OutcomeKind::cancelled:
      acknowledge_cancel(job);
      return;
    case OutcomeKind::retry_later: {
      const auto wait = outcome.retry_after.value_or(default_backoff(job.attempts));
      if (!m_repo.retry_later(job.id, m_worker_id, now, now + wait.count(), outcome.error, outcome.error_kind)) {
        lease_refused(job);
      } else if (job.attempts >= job.max_attempts) {
        count(&WorkerPoolSummary::failed);
        emit(ProgressKind::failed, job, fmt::format("gave up after {} attempts: {}", job.attempts, outcome.error));
      } else {
        count(&WorkerPoolSummary::retried);
        emit(ProgressKind::retrying, job, outcome.error);
      }
      return;
    }
    }
  }

  // Completes or fails the job and applies the handler's writes in one transaction: both land, or neither. The
  // journal lands with them, or alone when the lease is lost (the calls were made either way). A busy store is not
  // a failure of the job: it propagates to while_busy, which tries again.
  //
  // The same transaction claims this worker's next job, and records the other workers' results that are ready at
  // the same moment (GroupCommit). A batch's wall time was the writer's: one turn per job for the claim and one for
  // the result, each re-reading the pages other connections had changed and writing its own.
  void finish(const store::Job& job, JobOutcome& outcome, OutcomeKind kind, std::vector<DeferredWrite>& journal) {
    bool counted_next = false; // the next job took one of --max-jobs' places (given back when none comes)
    detail::WriterRequest request{job, outcome, kind == OutcomeKind::completed, journal, m_worker_id};
    request.take_next = may_take_next(counted_next);
    m_state.results->record(request);
    if (request.next) {
      m_next = std::move(request.next);
    } else if (counted_next) {
      m_state.reserved.fetch_sub(1);
    }
    m_claimed_none = request.claimed && !request.next && !request.error;
    if (request.error) {
      try {
        std::rethrow_exception(request.error);
      } catch (const std::exception& e) {
        if (store::is_busy(e)) throw;
        record_failure(job, journal, e);
      }
      return;
    }
    journal.clear();
    if (request.cancel_requested) {
      acknowledge_cancel(job);
      return;
    }
    if (request.held && outcome.after_commit) move_into_place(job, outcome);
    if (!request.held) {
      lease_refused(job);
    } else if (kind == OutcomeKind::completed) {
      count(&WorkerPoolSummary::completed);
      emit(ProgressKind::completed, job);
    } else {
      count(&WorkerPoolSummary::failed);
      emit(ProgressKind::failed, job, outcome.error);
    }
  }

  // Recording the result failed and its writes were rolled back; the job must not stay in progress until its lease
  // ends. The journal is tried once more on its own (it may be what failed: then the error below says so).
  void record_failure(const store::Job& job, std::vector<DeferredWrite>& journal, const std::exception& failure) {
    try {
      write_journal(journal);
    } catch (const std::exception& journal_error) {
      if (store::is_busy(journal_error)) throw;
      journal.clear();
    }
    const std::string error = fmt::format("saving the result failed: {}", failure_text(failure, m_db.path()));
    if (m_repo.fail(job.id, m_worker_id, m_clock.now_ms(), error, "internal")) {
      count(&WorkerPoolSummary::failed);
      emit(ProgressKind::failed, job, error);
    } else {
      lease_refused(job);
    }
  }

  // Whether this worker may take one more job: not once the pool is stopping, nor past --max-jobs (`counted`: it took
  // one of those places).
  bool may_take_next(bool& counted) {
    if (m_state.shutdown.stop_requested()) return false;
    if (!m_options.max_jobs) return true;
    if (m_state.reserved.fetch_add(1) < *m_options.max_jobs) {
      counted = true;
      return true;
    }
    m_state.reserved.fetch_sub(1);
    return false;
  }

  // Moves the files of a committed result into place; they are no longer this attempt's to discard.
  void move_into_place(const store::Job& job, JobOutcome& outcome) {
    try {
      outcome.after_commit();
      outcome.discard = nullptr;
    } catch (const std::exception& e) { // the result stands; say what is missing
      emit(ProgressKind::failed, job,
           fmt::format("the result was saved, but moving its file into place failed: {}", e.what()));
    }
  }

  void acknowledge_cancel(const store::Job& job) {
    if (m_repo.acknowledge_cancel(job.id, m_worker_id, m_clock.now_ms())) {
      count(&WorkerPoolSummary::cancelled);
      emit(ProgressKind::cancelled, job);
    } else {
      count(&WorkerPoolSummary::lost);
    }
  }

  // A finishing write was refused: a cancel request arrived just before it, or the lease passed to another worker.
  void lease_refused(const store::Job& job) {
    if (m_repo.cancel_requested(job.id)) {
      acknowledge_cancel(job);
    } else {
      count(&WorkerPoolSummary::lost);
    }
  }

  State& m_state;
  bool m_claimed_none = false;     // the claim made with the last result found no job
  std::uint64_t m_seen_at_end = 0; // the finished_seq the last job's end set
  store::Database m_db;
  store::JobRepository m_repo;
  const HandlerMap& m_handlers;
  ProgressSink& m_progress;
  Clock& m_clock;
  const WorkerPoolOptions& m_options;
  std::string m_worker_id;
  std::optional<store::Job> m_next; ///< claimed in the transaction that recorded the last job (finish)
};

// Renews the leases of running jobs and notices cancel requests, on its own connection.
void monitor_leases(WorkerPool::State& state, const std::filesystem::path& store_path, Clock& clock,
                    const WorkerPoolOptions& options) {
  std::optional<store::Database> db;
  const auto heartbeat_every = options.heartbeat_interval.count() > 0 ? options.heartbeat_interval : options.lease / 3;
  const auto tick = std::min(options.cancel_check_interval, heartbeat_every);
  const std::stop_token done = state.monitor_stop.get_token();
  while (!done.stop_requested()) {
    std::vector<std::shared_ptr<WorkerPool::State::Running>> running;
    {
      std::unique_lock lock(state.mutex);
      state.monitor_tick.wait_for(lock, done, tick, [] { return false; });
      if (done.stop_requested()) return;
      for (const auto& [id, job] : state.running) {
        if (job->phase == Phase::running) running.push_back(job);
      }
    }
    if (running.empty()) continue;
    try {
      if (!db) db.emplace(store::Database::open(store_path, store::OpenFor::worker));
      store::JobRepository repo(*db);
      for (const auto& job : running) {
        const bool cancel = repo.cancel_requested(job->job.id);
        bool lost = false;
        const TimestampMs now = clock.now_ms();
        if (now - job->last_heartbeat >= heartbeat_every.count()) {
          lost = !repo.heartbeat(job->job.id, job->worker_id, now, options.lease);
          job->last_heartbeat = now; // only this thread reads or writes it
        }
        if (cancel || lost) {
          std::lock_guard lock(state.mutex);
          if (job->phase != Phase::running) continue;
          if (cancel) job->cancel_seen = true;
          job->stop.request_stop();
        }
      }
    } catch (const std::exception&) { // NOLINT(bugprone-empty-catch): a busy store delays a heartbeat; retry next tick
    }
  }
}

} // namespace

WorkerPool::WorkerPool(std::filesystem::path store_path, HandlerMap handlers, ProgressSink& progress, Clock& clock,
                       WorkerPoolOptions options)
    : m_store_path(std::move(store_path)), m_handlers(std::move(handlers)), m_progress(progress), m_clock(clock),
      m_options(std::move(options)) {
  m_options.concurrency = std::max(1, m_options.concurrency);
}

WorkerPool::~WorkerPool() = default;

WorkerPoolSummary WorkerPool::run(std::stop_token stop) {
  State state;
  state.results.emplace(m_store_path, m_clock, m_options.lease, m_options.scope);
  const std::string prefix =
      m_options.worker_name.empty() ? fmt::format("{}:{}", process::host_id(), ::getpid()) : m_options.worker_name;
  const std::string suffix = random_suffix();
  const int threads = m_options.concurrency;

  auto fail_pool = [&state](std::exception_ptr error) {
    std::lock_guard lock(state.mutex);
    if (!state.error) state.error = std::move(error);
    state.shutdown.request_stop();
  };

  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  for (int n = 1; n <= threads; ++n) {
    workers.emplace_back([&, n] {
      try {
        Worker worker(state, m_store_path, m_handlers, m_progress, m_clock, m_options,
                      fmt::format("{}:thread-{}:{}", prefix, n, suffix));
        worker.loop();
      } catch (...) {
        fail_pool(std::current_exception());
      }
      std::lock_guard lock(state.mutex);
      ++state.threads_done;
      state.thread_ended.notify_all();
    });
  }
  std::thread monitor([&] { monitor_leases(state, m_store_path, m_clock, m_options); });

  // Forward an outside stop request (a signal) to the pool's own shutdown source.
  std::stop_callback forward(stop, [&state] { state.shutdown.request_stop(); });

  std::vector<std::shared_ptr<State::Running>> to_release;
  {
    std::unique_lock lock(state.mutex);
    const bool all_done =
        state.thread_ended.wait(lock, state.shutdown.get_token(), [&] { return state.threads_done == threads; });
    if (!all_done) {
      // Shutdown: ask running handlers to stop, give them the grace period, then take back what is left.
      for (const auto& [id, job] : state.running)
        job->stop.request_stop();
      state.thread_ended.wait_for(lock, m_options.shutdown_grace, [&] { return state.threads_done == threads; });
      for (const auto& [id, job] : state.running) {
        if (job->phase != Phase::running) continue;
        job->phase = Phase::released;
        to_release.push_back(job);
      }
    }
  }
  if (!to_release.empty()) {
    try {
      store::Database db = store::Database::open(m_store_path);
      store::JobRepository repo(db);
      const auto give_up_at = std::chrono::steady_clock::now() + k_release_patience;
      for (const auto& job : to_release) {
        bool released = false;
        // A busy store is waited for, within k_release_patience. A job not given back counts as lost, like a result
        // whose lease passed on: its lease ends and the next claim takes it over.
        (void)retry_while_busy([&] { released = repo.release(job->job.id, job->worker_id, m_clock.now_ms()); },
                               [&](std::chrono::milliseconds wait) {
                                 if (std::chrono::steady_clock::now() + wait > give_up_at) return false;
                                 m_progress.on_event(
                                     busy_notice("giving the job back", &job->job, wait, m_clock.now_ms()));
                                 std::this_thread::sleep_for(wait);
                                 return true;
                               });
        {
          std::lock_guard lock(state.mutex);
          ++(released ? state.summary.released : state.summary.lost);
        }
        if (released) {
          ProgressEvent event;
          event.kind = ProgressKind::released;
          event.job_id = job->job.id;
          event.post_id = job->job.post_id.value_or(0);
          event.at = m_clock.now_ms();
          m_progress.on_event(event);
        }
      }
    } catch (...) {
      fail_pool(std::current_exception());
    }
  }
  // Handlers that outlive the grace period are still joined: they must honour their stop token (a second
  // Ctrl-C exits the process at once, and the leases then expire).
  for (auto& worker : workers)
    worker.join();
  state.monitor_stop.request_stop();
  monitor.join();

  std::lock_guard lock(state.mutex);
  if (state.error) std::rethrow_exception(state.error);
  state.summary.stopped = stop.stop_requested();
  return state.summary;
}

} // namespace blogen::jobs
