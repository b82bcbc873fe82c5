// The worker pool against a real store file, with test handlers: exactly-once completion, failures, retries,
// cancel, shutdown and release, progress accounting and the concurrency bound. No assertion depends on timing.
#include <blogen/jobs/worker_pool.hpp>
#include <blogen/store/database.hpp>
#include <blogen/store/job_repository.hpp>

#include "../../src/store/connection.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;
using blogen::ProgressEvent;
using blogen::ProgressKind;
using blogen::jobs::HandlerMap;
using blogen::jobs::JobContext;
using blogen::jobs::JobOutcome;
using blogen::jobs::OutcomeKind;
using blogen::jobs::StopWhen;
using blogen::jobs::WorkerPool;
using blogen::jobs::WorkerPoolOptions;
using blogen::store::Database;
using blogen::store::JobRepository;
using blogen::store::JobStatus;

namespace {

struct TempStore {
  std::filesystem::path dir;
  std::filesystem::path file;
  std::int64_t user = 0;
  TempStore() {
    std::string pattern = (std::filesystem::temp_directory_path() / "blogen-pool-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
    file = dir / "blogen.db";
    Database db = Database::open(file);
    blogen::store::sql(db).exec("INSERT INTO users(username, username_key, password_hash, created_at, updated_at) "
                                "VALUES ('ann', 'ann', 'x', 0, 0)");
    user = blogen::store::sql(db).getLastInsertRowid();
  }
  ~TempStore() { std::filesystem::remove_all(dir); }

  std::vector<std::int64_t> enqueue(int n, const std::string& kind = "test") const {
    Database db = Database::open(file);
    JobRepository jobs(db);
    std::vector<std::int64_t> ids;
    blogen::store::WriteTransaction transaction(db);
    for (int i = 0; i < n; ++i) {
      blogen::store::NewJob job;
      job.user_id = user;
      job.kind = kind;
      ids.push_back(jobs.enqueue(job, blogen::SystemClock::instance().now_ms()));
    }
    transaction.commit();
    return ids;
  }
  blogen::store::Job job(std::int64_t id) const {
    Database db = Database::open(file);
    return JobRepository(db).find(id).value();
  }
  blogen::store::JobCounts counts() const {
    Database db = Database::open(file);
    return JobRepository(db).counts({});
  }
};

// Collects events from every worker thread.
class RecordingSink final : public blogen::ProgressSink {
public:
  void on_event(const ProgressEvent& event) override {
    std::lock_guard lock(m_mutex);
    m_events.push_back(event);
  }
  int count(ProgressKind kind) const {
    std::lock_guard lock(m_mutex);
    return static_cast<int>(std::count_if(m_events.begin(), m_events.end(), [&](auto& e) { return e.kind == kind; }));
  }

private:
  mutable std::mutex m_mutex;
  std::vector<ProgressEvent> m_events;
};

// Counts handler calls and applied results per job.
struct Tally {
  std::mutex mutex;
  std::map<std::int64_t, int> calls;
  std::map<std::int64_t, int> applied;
  void call(std::int64_t id) {
    std::lock_guard lock(mutex);
    ++calls[id];
  }
  void apply(std::int64_t id) {
    std::lock_guard lock(mutex);
    ++applied[id];
  }
};

WorkerPoolOptions fast_options(int concurrency) {
  WorkerPoolOptions options;
  options.concurrency = concurrency;
  options.stop_when = StopWhen::idle;
  options.poll_interval = 20ms;
  options.cancel_check_interval = 10ms;
  options.shutdown_grace = 50ms;
  return options;
}

JobOutcome completed_with(Tally& tally, std::int64_t id) {
  JobOutcome outcome;
  outcome.kind = OutcomeKind::completed;
  outcome.result.provider = "test";
  outcome.apply = [&tally, id](Database&) { tally.apply(id); };
  return outcome;
}

// Waits (without a deadline that could make the test flaky) for a condition another thread makes true.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return open; });
  }
};

} // namespace

TEST_CASE("a pool completes every job exactly once") {
  TempStore store;
  const auto ids = store.enqueue(60);
  Tally tally;
  HandlerMap handlers{{"test", [&](JobContext& context) {
                         tally.call(context.job.id);
                         return completed_with(tally, context.job.id);
                       }}};
  RecordingSink sink;
  WorkerPool pool(store.file, handlers, sink, blogen::SystemClock::instance(), fast_options(4));
  const auto summary = pool.run();
  CHECK(summary.completed == 60);
  CHECK(summary.failed == 0);
  CHECK_FALSE(summary.stopped);
  for (auto id : ids) {
    INFO("job " << id);
    CHECK(tally.calls[id] == 1);
    CHECK(tally.applied[id] == 1);
    const auto job = store.job(id);
    CHECK(job.status == JobStatus::completed);
    CHECK(job.attempts == 1);
    CHECK(job.provider == "test");
  }
  CHECK(sink.count(ProgressKind::started) == 60);
  CHECK(sink.count(ProgressKind::completed) == 60);
}

TEST_CASE("a throwing handler fails its job and the others complete") {
  TempStore store;
  const auto ids = store.enqueue(10);
  const std::int64_t bad = ids[3];
  Tally tally;
  HandlerMap handlers{{"test", [&](JobContext& context) -> JobOutcome {
                         tally.call(context.job.id);
                         if (context.job.id == bad) throw std::runtime_error("the model exploded");
                         return completed_with(tally, context.job.id);
                       }}};
  RecordingSink sink;
  const auto summary = WorkerPool(store.file, handlers, sink, blogen::SystemClock::instance(), fast_options(3)).run();
  CHECK(summary.completed == 9);
  CHECK(summary.failed == 1);
  const auto job = store.job(bad);
  CHECK(job.status == JobStatus::failed);
  CHECK(job.error == "unexpected failure: the model exploded"); // never a bare library text
  CHECK(job.error_kind == "internal");
  CHECK(tally.applied.count(bad) == 0);
  CHECK(sink.count(ProgressKind::failed) == 1);
}

TEST_CASE("a job kind without a handler fails with a clear error") {
  TempStore store;
  const auto ids = store.enqueue(1, "mystery");
  blogen::NullProgressSink sink;
  const auto summary = WorkerPool(store.file, {}, sink, blogen::SystemClock::instance(), fast_options(1)).run();
  CHECK(summary.failed == 1);
  CHECK_THAT(store.job(ids[0]).error, Catch::Contains("no handler for job kind 'mystery'"));
}

TEST_CASE("a handler returning retry_later runs again and then completes") {
  TempStore store;
  const auto ids = store.enqueue(2);
  Tally tally;
  HandlerMap handlers{{"test", [&](JobContext& context) {
                         tally.call(context.job.id);
                         if (context.job.attempts == 1) {
                           JobOutcome outcome;
                           outcome.kind = OutcomeKind::retry_later;
                           outcome.error = "HTTP 429";
                           outcome.error_kind = "rate_limited";
                           outcome.retry_after = 0ms;
                           return outcome;
                         }
                         return completed_with(tally, context.job.id);
                       }}};
  RecordingSink sink;
  const auto summary = WorkerPool(store.file, handlers, sink, blogen::SystemClock::instance(), fast_options(2)).run();
  CHECK(summary.retried == 2);
  CHECK(summary.completed == 2);
  for (auto id : ids) {
    CHECK(tally.calls[id] == 2);
    CHECK(tally.applied[id] == 1);
    CHECK(store.job(id).attempts == 2);
    CHECK(store.job(id).status == JobStatus::completed);
  }
  CHECK(sink.count(ProgressKind::retrying) == 2);
}

TEST_CASE("retries stop when the attempts are used up") {
  TempStore store;
  const auto ids = store.enqueue(1);
  HandlerMap handlers{{"test", [&](JobContext&) {
                         JobOutcome outcome;
                         outcome.kind = OutcomeKind::retry_later;
                         outcome.error = "HTTP 503";
                         outcome.retry_after = 0ms;
                         return outcome;
                       }}};
  RecordingSink sink;
  const auto summary = WorkerPool(store.file, handlers, sink, blogen::SystemClock::instance(), fast_options(1)).run();
  CHECK(summary.retried == 4);
  CHECK(summary.failed == 1);
  const auto job = store.job(ids[0]);
  CHECK(job.status == JobStatus::failed);
  CHECK(job.attempts == 5);
  CHECK(job.error == "gave up after 5 attempts: HTTP 503");
}

TEST_CASE("cancelling a running job stops its handler and discards the result") {
  TempStore store;
  const auto ids = store.enqueue(1);
  Tally tally;
  Gate started;
  HandlerMap handlers{{"test", [&](JobContext& context) {
                         tally.call(context.job.id);
                         started.release();
                         std::mutex mutex;
                         std::condition_variable_any cv;
                         std::unique_lock lock(mutex);
                         cv.wait(lock, context.stop, [] { return false; }); // until stopped
                         return completed_with(tally, context.job.id);      // a late result must be discarded
                       }}};
  RecordingSink sink;
  WorkerPool pool(store.file, handlers, sink, blogen::SystemClock::instance(), fast_options(1));
  std::thread canceller([&] {
    started.wait();
    Database db = Database::open(store.file);
    JobRepository(db).request_cancel(ids[0], blogen::SystemClock::instance().now_ms());
  });
  const auto summary = pool.run();
  canceller.join();
  CHECK(summary.cancelled == 1);
  CHECK(summary.completed == 0);
  CHECK(store.job(ids[0]).status == JobStatus::cancelled);
  CHECK(tally.applied.empty());
  CHECK(sink.count(ProgressKind::cancelled) == 1);
}

TEST_CASE("a stop request releases claimed jobs back to pending") {
  TempStore store;
  const auto ids = store.enqueue(6);
  std::atomic<int> running{0};
  Gate all_running;
  Tally tally;
  // Handlers honour the stop token by reporting `cancelled`; with no cancel request that means "give it back".
  HandlerMap handlers{{"test", [&](JobContext& context) {
                         tally.call(context.job.id);
                         if (++running == 3) all_running.release();
                         std::mutex mutex;
                         std::condition_variable_any cv;
                         std::unique_lock lock(mutex);
                         cv.wait(lock, context.stop, [] { return false; });
                         JobOutcome outcome;
                         outcome.kind = OutcomeKind::cancelled;
                         return outcome;
                       }}};
  auto options = fast_options(3);
  options.stop_when = StopWhen::stopped;
  RecordingSink sink;
  WorkerPool pool(store.file, handlers, sink, blogen::SystemClock::instance(), options);
  std::stop_source stop;
  std::thread stopper([&] {
    all_running.wait();
    stop.request_stop();
  });
  const auto summary = pool.run(stop.get_token());
  stopper.join();
  CHECK(summary.stopped);
  CHECK(summary.released == 3);
  CHECK(sink.count(ProgressKind::released) == 3);
  const auto counts = store.counts();
  CHECK(counts.pending == 6);
  CHECK(counts.in_progress == 0);
  for (auto id : ids)
    CHECK(store.job(id).attempts == 0); // a released claim is not counted
}

TEST_CASE("a handler that ignores the stop token has its job released after the grace period") {
  TempStore store;
  const auto ids = store.enqueue(1);
  Gate started;
  Tally tally;
  HandlerMap handlers{{"test", [&](JobContext& context) {
                         started.release();
                         // Stubborn: keeps going until its job has been given back (released by the pool).
                         JobRepository jobs(context.db);
                         while (jobs.find(context.job.id)->status != JobStatus::pending)
                           std::this_thread::yield();
                         return completed_with(tally, context.job.id);
                       }}};
  auto options = fast_options(1);
  options.stop_when = StopWhen::stopped;
  blogen::NullProgressSink sink;
  WorkerPool pool(store.file, handlers, sink, blogen::SystemClock::instance(), options);
  std::stop_source stop;
  std::thread stopper([&] {
    started.wait();
    stop.request_stop();
  });
  const auto summary = pool.run(stop.get_token());
  stopper.join();
  CHECK(summary.released == 1);
  CHECK(summary.completed == 0);
  CHECK(tally.applied.empty()); // the late result did not land
  CHECK(store.job(ids[0]).status == JobStatus::pending);
}

TEST_CASE("progress events add up with the store's counts") {
  TempStore store;
  const auto ids = store.enqueue(20);
  Tally tally;
  HandlerMap handlers{{"test", [&](JobContext& context) -> JobOutcome {
                         if (context.job.id % 4 == 0) {
                           JobOutcome outcome;
                           outcome.kind = OutcomeKind::failed;
                           outcome.error = "permanent";
                           return outcome;
                         }
                         if (context.job.id % 7 == 0) {
                           JobOutcome outcome;
                           outcome.kind = OutcomeKind::cancelled;
                           return outcome;
                         }
                         return completed_with(tally, context.job.id);
                       }}};
  auto options = fast_options(3);
  options.max_jobs = 14;
  RecordingSink sink;
  const auto summary = WorkerPool(store.file, handlers, sink, blogen::SystemClock::instance(), options).run();
  const auto counts = store.counts();
  CHECK(sink.count(ProgressKind::started) == 14);
  CHECK(sink.count(ProgressKind::completed) == counts.completed);
  CHECK(sink.count(ProgressKind::failed) == counts.failed);
  CHECK(sink.count(ProgressKind::cancelled) == counts.cancelled);
  CHECK(counts.pending == 6);
  CHECK(sink.count(ProgressKind::completed) + sink.count(ProgressKind::failed) + sink.count(ProgressKind::cancelled) +
            counts.pending ==
        static_cast<int>(ids.size()));
  CHECK(summary.completed + summary.failed + summary.cancelled == 14);
}

TEST_CASE("the pool never runs more handlers at once than its concurrency") {
  TempStore store;
  constexpr int k_concurrency = 4;
  store.enqueue(40);
  std::atomic<int> in_flight{0};
  std::atomic<int> peak{0};
  std::mutex mutex;
  std::condition_variable cv;
  Tally tally;
  HandlerMap handlers{{"test", [&](JobContext& context) {
                         const int now = ++in_flight;
                         int seen = peak.load();
                         while (now > seen && !peak.compare_exchange_weak(seen, now)) {}
                         {
                           // The first handlers wait until all threads are busy, so the bound is actually reached.
                           std::unique_lock lock(mutex);
                           cv.notify_all();
                           cv.wait(lock, [&] { return peak.load() >= k_concurrency; });
                         }
                         --in_flight;
                         return completed_with(tally, context.job.id);
                       }}};
  blogen::NullProgressSink sink;
  const auto summary =
      WorkerPool(store.file, handlers, sink, blogen::SystemClock::instance(), fast_options(k_concurrency)).run();
  CHECK(summary.completed == 40);
  CHECK(peak.load() == k_concurrency);
}

TEST_CASE("the lease of a long job is renewed by heartbeats") {
  TempStore store;
  const auto ids = store.enqueue(1);
  Tally tally;
  HandlerMap handlers{{"test", [&](JobContext& context) {
                         // Runs until its lease has been extended beyond the one it was claimed with.
                         JobRepository jobs(context.db);
                         const auto first_lease = context.job.lease_until.value();
                         while (jobs.find(context.job.id)->lease_until.value() <= first_lease) {
                           std::this_thread::yield();
                         }
                         return completed_with(tally, context.job.id);
                       }}};
  auto options = fast_options(1);
  options.lease = 60'000ms;
  options.heartbeat_interval = 5ms;
  blogen::NullProgressSink sink;
  const auto summary = WorkerPool(store.file, handlers, sink, blogen::SystemClock::instance(), options).run();
  CHECK(summary.completed == 1);
  CHECK(store.job(ids[0]).status == JobStatus::completed);
}

TEST_CASE("a scoped pool takes only its jobs and stops when they are done") {
  TempStore store;
  const auto ids = store.enqueue(5);
  Tally tally;
  HandlerMap handlers{{"test", [&](JobContext& context) {
                         tally.call(context.job.id);
                         return completed_with(tally, context.job.id);
                       }}};
  auto options = fast_options(2);
  options.scope.job_ids = {ids[1], ids[3]};
  blogen::NullProgressSink sink;
  const auto summary = WorkerPool(store.file, handlers, sink, blogen::SystemClock::instance(), options).run();
  CHECK(summary.completed == 2);
  CHECK(tally.calls.size() == 2);
  CHECK(store.counts().pending == 3);
}
