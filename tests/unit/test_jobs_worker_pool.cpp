// The worker pool against a real store file, with test handlers: exactly-once completion, failures, retries,
// cancel, shutdown and release, progress accounting and the concurrency bound. No assertion depends on timing.
#include <blogen/jobs/worker_pool.hpp>
#include <blogen/store/database.hpp>
#include <blogen/store/job_repository.hpp>
#include <blogen/store/post_repository.hpp>

#include "../../src/store/connection.hpp"
#include "../support/gate.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
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
using blogen::testing::Gate;

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

// A handler that ignores its stop token: it opens `started`, then keeps going until the pool has given its job
// back (released it), and only then returns a result, which must not land.
HandlerMap stubborn_handlers(Gate& started, Tally& tally) {
  return {{"test", [&started, &tally](JobContext& context) {
             started.release();
             JobRepository jobs(context.db);
             while (jobs.find(context.job.id)->status != JobStatus::pending)
               std::this_thread::yield();
             return completed_with(tally, context.job.id);
           }}};
}

// One job, a stubborn handler and pool options that run until stopped: the set-up of the tests of a job that a
// stopping pool cannot interrupt.
struct StubbornRun {
  StubbornRun() { options.stop_when = StopWhen::stopped; }
  TempStore store;
  std::vector<std::int64_t> ids = store.enqueue(1);
  Gate started;
  Tally tally;
  HandlerMap handlers = stubborn_handlers(started, tally);
  WorkerPoolOptions options = fast_options(1);
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
  StubbornRun run;
  auto& [store, ids, started, tally, handlers, options] = run;
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

namespace {

// Sets an environment variable for one scope.
class ScopedEnv {
public:
  ScopedEnv(const char* name, const std::string& value) : m_name(name) { ::setenv(name, value.c_str(), 1); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() { ::unsetenv(m_name); }

private:
  const char* m_name;
};

// Waits for a condition another thread makes true, failing the test after a generous deadline instead of hanging.
bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// A job linked to a new post of the store's user.
std::int64_t enqueue_with_post(const TempStore& store, std::int64_t& post_id) {
  Database db = Database::open(store.file);
  blogen::store::NewPost post;
  post.user_id = store.user;
  post.topic = "Tea";
  post_id = blogen::store::PostRepository(db).insert(post, 1);
  blogen::store::NewJob job;
  job.user_id = store.user;
  job.kind = "test";
  job.post_id = post_id;
  return JobRepository(db).enqueue(job, blogen::SystemClock::instance().now_ms());
}

blogen::store::Post post_of(const TempStore& store, std::int64_t post_id) {
  Database db = Database::open(store.file);
  return blogen::store::PostRepository(db).find_any(post_id).value();
}

} // namespace

// A worker whose result's claim found nothing goes straight to waiting (it does not claim again at once). A result
// that records no claim at all (a cancel came first, the lease was lost) must not count as "found nothing": here the
// only job left is one whose lease ran out, which the idle wait cannot see coming (it looks for pending jobs only), so
// with an hour's poll interval only an immediate claim takes it over.
TEST_CASE("a worker whose result met a cancel request claims again at once (a lease that ran out is work)") {
  TempStore store;
  const std::int64_t first = store.enqueue(1, "first")[0];
  std::atomic<std::int64_t> stranded{0};
  HandlerMap handlers{{"first",
                       [&](JobContext& context) {
                         JobRepository jobs(context.db);
                         const auto now = blogen::SystemClock::instance().now_ms();
                         {
                           // A job another worker took an hour ago and never finished: its lease has run out.
                           blogen::store::WriteTransaction transaction(context.db);
                           blogen::store::NewJob job;
                           job.user_id = context.job.user_id;
                           job.kind = "test";
                           stranded = jobs.enqueue(job, now - 3'600'000);
                           REQUIRE(jobs.claim("gone:1", now - 3'600'000, 1s, {}).value().id == stranded);
                           REQUIRE(jobs.request_cancel(context.job.id, now));
                           transaction.commit();
                         }
                         JobOutcome outcome;
                         outcome.kind = OutcomeKind::completed;
                         return outcome;
                       }},
                      {"test", [&](JobContext&) {
                         JobOutcome outcome;
                         outcome.kind = OutcomeKind::completed;
                         return outcome;
                       }}};
  auto options = fast_options(1);
  options.poll_interval = std::chrono::hours(1);
  blogen::NullProgressSink sink;
  WorkerPool pool(store.file, handlers, sink, blogen::SystemClock::instance(), options);
  std::stop_source stop;
  blogen::jobs::WorkerPoolSummary summary;
  std::thread runner([&] { summary = pool.run(stop.get_token()); });
  // Not a timing assertion: the deadline only ends a test that would otherwise wait an hour.
  const bool taken_over =
      eventually([&] { return stranded.load() != 0 && store.job(stranded.load()).status == JobStatus::completed; });
  stop.request_stop();
  runner.join();
  CHECK(taken_over);
  CHECK(store.job(first).status == JobStatus::cancelled);
  CHECK(summary.cancelled == 1);
  CHECK(summary.completed == 1);
}

TEST_CASE("a handler's exception fails its post with the job, in one transaction (issue 16 item 1)") {
  TempStore store;
  std::int64_t post_id = 0;
  const auto id = enqueue_with_post(store, post_id);
  HandlerMap handlers{{"test", [&](JobContext&) -> JobOutcome { throw std::runtime_error("the model exploded"); }}};
  blogen::NullProgressSink sink;
  WorkerPool(store.file, handlers, sink, blogen::SystemClock::instance(), fast_options(1)).run();
  const auto job = store.job(id);
  CHECK(job.status == JobStatus::failed);
  const auto post = post_of(store, post_id);
  CHECK(post.status == blogen::store::PostStatus::failed);
  CHECK(post.error == "unexpected failure: the model exploded");
  CHECK(post.error == job.error); // the post says what its job says
}

TEST_CASE("a stop request gives the post back to pending with its job (issue 16 item 1)") {
  TempStore store;
  std::int64_t post_id = 0;
  const auto id = enqueue_with_post(store, post_id);
  Gate running;
  HandlerMap handlers{{"test", [&](JobContext& context) -> JobOutcome {
                         CHECK(post_of(store, post_id).status == blogen::store::PostStatus::in_progress);
                         running.release();
                         std::mutex mutex;
                         std::condition_variable_any cv;
                         std::unique_lock lock(mutex);
                         cv.wait(lock, context.stop, [] { return false; });
                         JobOutcome outcome;
                         outcome.kind = OutcomeKind::cancelled;
                         return outcome;
                       }}};
  blogen::NullProgressSink sink;
  WorkerPool pool(store.file, handlers, sink, blogen::SystemClock::instance(), fast_options(1));
  std::stop_source stop;
  std::thread runner([&] { pool.run(stop.get_token()); });
  running.wait();
  stop.request_stop(); // SIGINT
  runner.join();
  CHECK(store.job(id).status == JobStatus::pending);
  CHECK(post_of(store, post_id).status == blogen::store::PostStatus::pending);
}

TEST_CASE("a worker that lost its lease discards its files, only a recorded result moves them in (issue 16 item 2)") {
  TempStore store;
  const auto id = store.enqueue(1)[0];
  Gate stolen;
  bool moved = false;
  bool discarded = false;
  HandlerMap handlers{{"test", [&](JobContext&) {
                         stolen.wait();
                         JobOutcome outcome;
                         outcome.kind = OutcomeKind::completed;
                         outcome.after_commit = [&] { moved = true; };
                         outcome.discard = [&] { discarded = true; };
                         return outcome;
                       }}};
  auto options = fast_options(1);
  options.heartbeat_interval = 1h; // the lease is never renewed: another worker takes it over
  options.stop_when = StopWhen::stopped;
  options.max_jobs = 1;
  RecordingSink sink;
  WorkerPool pool(store.file, handlers, sink, blogen::SystemClock::instance(), options);
  std::thread runner([&] { pool.run(); });
  REQUIRE(eventually([&] { return store.job(id).status == JobStatus::in_progress; }));
  {
    // Another worker, later than the lease: the job is its now.
    Database db = Database::open(store.file);
    JobRepository jobs(db);
    const auto later = blogen::SystemClock::instance().now_ms() + 10 * 60'000;
    REQUIRE(jobs.claim("thief", later, 60s));
    REQUIRE(jobs.complete(id, "thief", later, {}));
  }
  stolen.release();
  runner.join();
  CHECK_FALSE(moved);
  CHECK(discarded);
  CHECK(store.job(id).lease_owner.empty());
  CHECK(store.job(id).status == JobStatus::completed);
}

TEST_CASE("a result recorded while the store is busy past its timeout is retried, logged and kept (issue 16 item 13)") {
  ScopedEnv short_timeout("BLOGEN_BUSY_TIMEOUT_MS", "50");
  TempStore store;
  const auto id = store.enqueue(1)[0];
  Gate handler_running;
  Gate store_locked;
  HandlerMap handlers{{"test", [&](JobContext&) {
                         handler_running.release();
                         store_locked.wait();
                         JobOutcome outcome;
                         outcome.kind = OutcomeKind::completed;
                         outcome.result.provider = "test";
                         return outcome;
                       }}};
  RecordingSink sink;
  WorkerPool pool(store.file, handlers, sink, blogen::SystemClock::instance(), fast_options(1));
  blogen::jobs::WorkerPoolSummary summary;
  std::thread runner([&] { summary = pool.run(); });
  handler_running.wait();
  Database locker = Database::open(store.file);
  blogen::store::sql(locker).exec("BEGIN IMMEDIATE"); // another process holding the write lock for long
  store_locked.release();
  const bool logged = eventually([&] { return sink.count(ProgressKind::notice) >= 2; });
  blogen::store::sql(locker).exec("COMMIT");
  runner.join();
  CHECK(logged);
  CHECK(summary.completed == 1);
  CHECK(store.job(id).status == JobStatus::completed);
  CHECK(store.job(id).provider == "test");
}

TEST_CASE("a claim that meets a store busy past its timeout waits and tries again, the pool keeps going (item 13)") {
  ScopedEnv short_timeout("BLOGEN_BUSY_TIMEOUT_MS", "50");
  TempStore store;
  const auto id = store.enqueue(1)[0];
  Database locker = Database::open(store.file);
  blogen::store::sql(locker).exec("BEGIN IMMEDIATE");
  HandlerMap handlers{{"test", [&](JobContext&) {
                         JobOutcome outcome;
                         outcome.kind = OutcomeKind::completed;
                         return outcome;
                       }}};
  RecordingSink sink;
  WorkerPool pool(store.file, handlers, sink, blogen::SystemClock::instance(), fast_options(2));
  blogen::jobs::WorkerPoolSummary summary;
  std::thread runner([&] { summary = pool.run(); });
  const bool logged = eventually([&] { return sink.count(ProgressKind::notice) >= 2; });
  blogen::store::sql(locker).exec("COMMIT");
  runner.join();
  CHECK(logged);
  CHECK(summary.completed == 1);
  CHECK(store.job(id).status == JobStatus::completed);
}

TEST_CASE("jobs given back after the shutdown grace wait for a busy store instead of failing the pool (item 13)") {
  ScopedEnv short_timeout("BLOGEN_BUSY_TIMEOUT_MS", "50");
  StubbornRun run;
  auto& [store, ids, started, tally, handlers, options] = run;
  RecordingSink sink;
  WorkerPool pool(store.file, handlers, sink, blogen::SystemClock::instance(), options);
  std::stop_source stop;
  blogen::jobs::WorkerPoolSummary summary;
  std::string failure;
  std::thread runner([&] {
    try {
      summary = pool.run(stop.get_token());
    } catch (const std::exception& e) { // before: the busy error stopped the pool with the jobs still claimed
      failure = e.what();
    }
  });
  started.wait();
  Database locker = Database::open(store.file);
  blogen::store::sql(locker).exec("BEGIN IMMEDIATE"); // another process holding the write lock for long
  stop.request_stop();
  const bool logged = eventually([&] { return sink.count(ProgressKind::notice) >= 1; });
  blogen::store::sql(locker).exec("COMMIT");
  runner.join();
  CHECK(failure.empty());
  CHECK(logged);
  CHECK(summary.released == 1);
  CHECK(summary.lost == 0);
  CHECK(tally.applied.empty());
  CHECK(store.job(ids[0]).status == JobStatus::pending);
  CHECK(store.job(ids[0]).lease_owner.empty());
}
