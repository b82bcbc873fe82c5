// Group commit (src/jobs/group_commit.hpp) against a real store file: results and claims that arrive while a
// transaction is under way are recorded together, one result whose writes fail costs the others nothing, the next
// job is claimed in the same transaction, and a next claim that fails costs the finished job nothing. No assertion
// depends on timing: the test holds the first transaction open until the others are seen waiting.
#include "../../src/jobs/group_commit.hpp"
#include "../../src/store/connection.hpp"
#include "../support/gate.hpp"
#include "../support/temp_dir.hpp"

#include <blogen/store/job_repository.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <set>
#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;
using blogen::jobs::DeferredWrite;
using blogen::jobs::JobOutcome;
using blogen::jobs::detail::GroupCommit;
using blogen::jobs::detail::WriterRequest;
using blogen::store::Database;
using blogen::store::JobRepository;
using blogen::store::JobStatus;
using blogen::testing::Gate;

namespace {

// One claimed job, its outcome and journal, and the request that records them.
struct Finished {
  blogen::store::Job job;
  std::string worker;
  JobOutcome outcome;
  std::vector<DeferredWrite> journal;
  WriterRequest request{job, outcome, true, journal, worker};

  Finished(blogen::store::Job claimed, std::string worker_id) : job(std::move(claimed)), worker(std::move(worker_id)) {
    outcome.result.provider = "test";
    // The journal marks the job in a table of the test's own: it must land exactly when the result does.
    journal.emplace_back([id = job.id](Database& db) {
      blogen::store::sql(db).exec("INSERT INTO marks(job) VALUES (" + std::to_string(id) + ")");
    });
  }
};

// A store with one user, `pending` jobs queued and the test's `marks` table.
struct QueuedStore {
  blogen::testing::TempDir dir{"blogen-group"};
  std::filesystem::path file = dir / "blogen.db";
  Database db = Database::open(file);
  JobRepository jobs{db};
  blogen::Clock& clock = blogen::SystemClock::instance();

  explicit QueuedStore(int pending) {
    blogen::store::sql(db).exec("INSERT INTO users(username, username_key, password_hash, created_at, updated_at) "
                                "VALUES ('ann', 'ann', 'x', 0, 0)");
    const std::int64_t user = blogen::store::sql(db).getLastInsertRowid();
    blogen::store::sql(db).exec("CREATE TABLE marks(job INTEGER NOT NULL)");
    for (int i = 0; i < pending; ++i) {
      blogen::store::NewJob job;
      job.user_id = user;
      job.kind = "test";
      jobs.enqueue(job, clock.now_ms());
    }
  }
  // The oldest pending job, claimed by `worker` and finished (completed) by it.
  std::unique_ptr<Finished> finish_next(const std::string& worker) {
    return std::make_unique<Finished>(jobs.claim(worker, clock.now_ms(), 60s).value(), worker);
  }
  int marks_of(std::int64_t job) {
    return blogen::store::sql(db).execAndGet("SELECT count(*) FROM marks WHERE job = " + std::to_string(job)).getInt();
  }
};

} // namespace

TEST_CASE("results that wait for the writer are recorded in one group, and a failing one costs the others nothing") {
  QueuedStore store(6);
  auto& [dir, file, db, jobs, clock] = store;
  std::vector<std::unique_ptr<Finished>> finished;
  for (int i = 0; i < 4; ++i)
    finished.push_back(store.finish_next("worker-" + std::to_string(i)));
  const std::int64_t fifth = finished.back()->job.id + 1;
  const std::int64_t sixth = fifth + 1;

  // The first result holds its transaction open until the three others wait behind it.
  Gate leading;
  Gate go;
  finished[0]->outcome.apply = [&](Database&) {
    leading.release();
    go.wait();
  };
  // The third one's own writes fail after its journal was written: both must be undone.
  finished[2]->outcome.apply = [](Database&) { throw std::runtime_error("the handler's write failed"); };
  finished[1]->request.take_next = true; // takes a job in the same transaction
  const std::string claimer = "worker-9";
  WriterRequest claim_alone(claimer); // a worker's first claim, in the same transaction too

  GroupCommit group(file, clock, 60s, {});
  std::vector<std::thread> threads;
  threads.emplace_back([&] { group.record(finished[0]->request); });
  leading.wait();
  for (int i = 1; i < 4; ++i)
    threads.emplace_back([&, i] { group.record(finished[static_cast<std::size_t>(i)]->request); });
  threads.emplace_back([&] { group.record(claim_alone); });
  while (group.waiting() < 4)
    std::this_thread::yield();
  go.release();
  for (auto& thread : threads)
    thread.join();

  for (const std::size_t recorded : {0U, 1U, 3U}) {
    const WriterRequest& request = finished[recorded]->request;
    INFO("result " << recorded);
    CHECK_FALSE(request.error);
    CHECK(request.held);
    CHECK(jobs.find(finished[recorded]->job.id)->status == JobStatus::completed);
    CHECK(store.marks_of(finished[recorded]->job.id) == 1);
  }
  const WriterRequest& failed = finished[2]->request;
  REQUIRE(failed.error);
  CHECK_THROWS_WITH(std::rethrow_exception(failed.error), "the handler's write failed");
  CHECK_FALSE(failed.held);
  CHECK(jobs.find(finished[2]->job.id)->status == JobStatus::in_progress); // the worker decides what happens next
  CHECK(store.marks_of(finished[2]->job.id) == 0);

  // The fifth and sixth jobs went to the two that asked (which got which depends on the order they queued).
  REQUIRE(finished[1]->request.next);
  REQUIRE(claim_alone.next);
  CHECK_FALSE(claim_alone.error);
  const std::set<std::int64_t> taken{finished[1]->request.next->id, claim_alone.next->id};
  CHECK(taken == std::set<std::int64_t>{fifth, sixth});
  CHECK(jobs.find(finished[1]->request.next->id)->lease_owner == "worker-1");
  CHECK(jobs.find(claim_alone.next->id)->lease_owner == "worker-9");
  CHECK(jobs.find(fifth)->status == JobStatus::in_progress);
  CHECK(jobs.find(sixth)->status == JobStatus::in_progress);
  CHECK_FALSE(finished[3]->request.next); // it did not ask for one
}

TEST_CASE("a result that meets a cancel request writes only its journal and reports the cancel") {
  QueuedStore store(1);
  auto& [dir, file, db, jobs, clock] = store;
  const std::unique_ptr<Finished> owned = store.finish_next("worker");
  Finished& finished = *owned;
  bool applied = false;
  finished.outcome.apply = [&](Database&) { applied = true; };
  REQUIRE(jobs.request_cancel(finished.job.id, clock.now_ms()));

  GroupCommit group(file, clock, 60s, {});
  group.record(finished.request);
  CHECK_FALSE(finished.request.error);
  CHECK(finished.request.cancel_requested);
  CHECK_FALSE(finished.request.held);
  CHECK_FALSE(applied);
  CHECK(store.marks_of(finished.job.id) == 1);
  CHECK(jobs.find(finished.job.id)->status == JobStatus::in_progress); // acknowledged by the worker
}

TEST_CASE("a next claim that fails never costs the finished job its result") {
  QueuedStore store(2);
  auto& [dir, file, db, jobs, clock] = store;
  const std::unique_ptr<Finished> owned = store.finish_next("worker");
  Finished& finished = *owned;
  const std::int64_t second = finished.job.id + 1;
  // From now on this worker's claims fail inside SQLite; completing its job does not.
  blogen::store::sql(db).exec("CREATE TRIGGER refuse_claims BEFORE UPDATE ON jobs WHEN NEW.status = 'in_progress' "
                              "AND NEW.lease_owner = 'worker' BEGIN SELECT RAISE(ABORT, 'claim refused'); END");
  bool applied = false;
  finished.outcome.apply = [&](Database&) { applied = true; };
  finished.request.take_next = true;

  GroupCommit group(file, clock, 60s, {});
  group.record(finished.request);
  CHECK_FALSE(finished.request.error);
  CHECK(finished.request.held);
  CHECK(applied);
  CHECK_FALSE(finished.request.next);
  CHECK(jobs.find(finished.job.id)->status == JobStatus::completed);
  CHECK(store.marks_of(finished.job.id) == 1);
  CHECK(jobs.find(second)->status == JobStatus::pending); // the failed claim was rolled back, nothing else
  CHECK(jobs.find(second)->lease_owner.empty());
}
