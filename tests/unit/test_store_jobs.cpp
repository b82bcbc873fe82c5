// The durable queue: claim, lease, finish, cancel, requeue; and claim exclusivity under real contention.
#include <blogen/store/database.hpp>
#include <blogen/store/job_repository.hpp>

#include "../../src/store/connection.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

using namespace std::chrono_literals;
using blogen::store::ClaimScope;
using blogen::store::Database;
using blogen::store::Job;
using blogen::store::JobFilter;
using blogen::store::JobRepository;
using blogen::store::JobStatus;
using blogen::store::NewJob;

namespace {

constexpr blogen::TimestampMs k_t0 = 1'700'000'000'000;

// A store file in a private folder; each test opens its own connections to it.
struct TempStore {
  blogen::testing::TempDir dir{"blogen-jobs"};
  std::filesystem::path file = dir / "blogen.db";
};

std::int64_t add_user(Database& db, const std::string& name) {
  SQLite::Statement insert(blogen::store::sql(db),
                           "INSERT INTO users(username, username_key, password_hash, created_at, updated_at) "
                           "VALUES (?, ?, 'x', 0, 0)");
  insert.bind(1, name);
  insert.bind(2, name);
  insert.exec();
  return blogen::store::sql(db).getLastInsertRowid();
}

NewJob job_for(std::int64_t user, std::string kind = "generate_blog") {
  NewJob job;
  job.user_id = user;
  job.kind = std::move(kind);
  return job;
}

} // namespace

TEST_CASE("status names round-trip") {
  for (auto status :
       {JobStatus::pending, JobStatus::in_progress, JobStatus::completed, JobStatus::failed, JobStatus::cancelled}) {
    CHECK(blogen::store::parse_job_status(blogen::store::to_string(status)) == status);
  }
  CHECK(blogen::store::to_string(JobStatus::in_progress) == "in_progress");
  CHECK_FALSE(blogen::store::parse_job_status("done"));
}

TEST_CASE("enqueue, claim and complete a job") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  const auto user = add_user(db, "ann");
  NewJob request = job_for(user);
  request.payload = R"({"topic":"tea"})";
  const auto id = jobs.enqueue(request, k_t0);

  auto job = jobs.find(id);
  REQUIRE(job);
  CHECK(job->status == JobStatus::pending);
  CHECK(job->run_after == k_t0);
  CHECK(job->payload == R"({"topic":"tea"})");

  auto claimed = jobs.claim("w1", k_t0 + 10, 60s);
  REQUIRE(claimed);
  CHECK(claimed->id == id);
  CHECK(claimed->status == JobStatus::in_progress);
  CHECK(claimed->lease_owner == "w1");
  CHECK(claimed->lease_until == k_t0 + 10 + 60'000);
  CHECK(claimed->attempts == 1);
  CHECK(claimed->started_at == k_t0 + 10);
  CHECK_FALSE(jobs.claim("w2", k_t0 + 20, 60s)); // nothing else to take

  CHECK(jobs.heartbeat(id, "w1", k_t0 + 30, 60s));
  CHECK(jobs.find(id)->lease_until == k_t0 + 30 + 60'000);

  blogen::store::JobResult result{"builtin", "draft-1", 12, 340};
  {
    blogen::store::WriteTransaction transaction(db);
    REQUIRE(jobs.complete(id, "w1", k_t0 + 40, result));
    transaction.commit();
  }
  job = jobs.find(id);
  CHECK(job->status == JobStatus::completed);
  CHECK(job->finished_at == k_t0 + 40);
  CHECK(job->lease_owner.empty());
  CHECK(job->provider == "builtin");
  CHECK(job->model == "draft-1");
  CHECK(job->completion_tokens == 340);
  CHECK_FALSE(jobs.complete(id, "w1", k_t0 + 50, result)); // never completed twice
}

TEST_CASE("a job is not claimed before its run_after") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  NewJob request = job_for(add_user(db, "ann"));
  request.run_after = k_t0 + 5'000;
  const auto id = jobs.enqueue(request, k_t0);
  CHECK_FALSE(jobs.claim("w", k_t0 + 4'999, 60s));
  CHECK(jobs.next_run_after({}) == k_t0 + 5'000);
  auto claimed = jobs.claim("w", k_t0 + 5'000, 60s);
  REQUIRE(claimed);
  CHECK(claimed->id == id);
  CHECK_FALSE(jobs.next_run_after({}));
}

TEST_CASE("finishing without the lease is refused and changes nothing") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  const auto id = jobs.enqueue(job_for(add_user(db, "ann")), k_t0);
  REQUIRE(jobs.claim("owner", k_t0, 60s));
  CHECK_FALSE(jobs.complete(id, "intruder", k_t0 + 1, {}));
  CHECK_FALSE(jobs.fail(id, "intruder", k_t0 + 1, "boom", "internal"));
  CHECK_FALSE(jobs.retry_later(id, "intruder", k_t0 + 1, k_t0 + 100, "slow", "timeout"));
  CHECK_FALSE(jobs.release(id, "intruder", k_t0 + 1));
  CHECK_FALSE(jobs.acknowledge_cancel(id, "intruder", k_t0 + 1));
  CHECK_FALSE(jobs.heartbeat(id, "intruder", k_t0 + 1, 60s));
  const auto job = jobs.find(id);
  CHECK(job->status == JobStatus::in_progress);
  CHECK(job->lease_owner == "owner");
  CHECK(job->lease_until == k_t0 + 60'000);
}

TEST_CASE("an expired lease makes the job claimable again and the old worker cannot finish it") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  const auto id = jobs.enqueue(job_for(add_user(db, "ann")), k_t0);
  REQUIRE(jobs.claim("dead-worker", k_t0, 10s));
  CHECK_FALSE(jobs.claim("w2", k_t0 + 10'000, 10s)); // the lease is still valid at its last millisecond
  auto taken = jobs.claim("w2", k_t0 + 10'001, 10s);
  REQUIRE(taken);
  CHECK(taken->id == id);
  CHECK(taken->attempts == 2);      // every claim counts
  CHECK(taken->started_at == k_t0); // first start is kept
  CHECK_FALSE(jobs.complete(id, "dead-worker", k_t0 + 10'002, {}));
  CHECK_FALSE(jobs.heartbeat(id, "dead-worker", k_t0 + 10'002, 10s));
  CHECK(jobs.complete(id, "w2", k_t0 + 10'003, {}));
  CHECK(jobs.find(id)->status == JobStatus::completed);
}

TEST_CASE("a job whose attempts are used up fails instead of being claimed") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  NewJob request = job_for(add_user(db, "ann"));
  request.max_attempts = 2;
  const auto id = jobs.enqueue(request, k_t0);
  REQUIRE(jobs.claim("a", k_t0, 1s));
  REQUIRE(jobs.claim("b", k_t0 + 2'000, 1s)); // a died
  CHECK(jobs.find(id)->attempts == 2);
  CHECK_FALSE(jobs.claim("c", k_t0 + 4'000, 1s)); // b died too: give up
  const auto job = jobs.find(id);
  CHECK(job->status == JobStatus::failed);
  CHECK_THAT(job->error, Catch::StartsWith("gave up after 2 attempts"));
  CHECK(job->finished_at == k_t0 + 4'000);
}

TEST_CASE("retry_later backs off, then fails when attempts are used up") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  NewJob request = job_for(add_user(db, "ann"));
  request.max_attempts = 2;
  const auto id = jobs.enqueue(request, k_t0);
  REQUIRE(jobs.claim("w", k_t0, 60s));
  REQUIRE(jobs.retry_later(id, "w", k_t0 + 1, k_t0 + 1'000, "HTTP 503", "server"));
  auto job = jobs.find(id);
  CHECK(job->status == JobStatus::pending);
  CHECK(job->error == "HTTP 503");
  CHECK(job->run_after == k_t0 + 1'000);
  CHECK_FALSE(jobs.claim("w", k_t0 + 999, 60s));
  REQUIRE(jobs.claim("w", k_t0 + 1'000, 60s));
  REQUIRE(jobs.retry_later(id, "w", k_t0 + 1'001, k_t0 + 5'000, "HTTP 503 again", "server"));
  job = jobs.find(id);
  CHECK(job->status == JobStatus::failed);
  CHECK(job->error == "gave up after 2 attempts: HTTP 503 again");
}

TEST_CASE("release gives a job back at once without counting the attempt") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  const auto id = jobs.enqueue(job_for(add_user(db, "ann")), k_t0);
  REQUIRE(jobs.claim("w", k_t0, 60s));
  REQUIRE(jobs.release(id, "w", k_t0 + 5));
  const auto job = jobs.find(id);
  CHECK(job->status == JobStatus::pending);
  CHECK(job->attempts == 0);
  CHECK(job->lease_owner.empty());
  auto again = jobs.claim("w2", k_t0 + 6, 60s);
  REQUIRE(again);
  CHECK(again->attempts == 1);
}

TEST_CASE("claim scopes: ids, batch, kinds, user") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  const auto ann = add_user(db, "ann");
  const auto bob = add_user(db, "bob");
  blogen::store::sql(db).exec("INSERT INTO campaigns(id, user_id, name, brand, created_at, updated_at) "
                              "VALUES (1, 1, 'c', 'b', 0, 0)");
  blogen::store::sql(db).exec("INSERT INTO batches(id, user_id, campaign_id, name, created_at, updated_at) "
                              "VALUES (7, 1, 1, 'b', 0, 0)");
  const auto first = jobs.enqueue(job_for(ann), k_t0);
  NewJob in_batch = job_for(ann, "generate_social");
  in_batch.batch_id = 7;
  const auto batch_job = jobs.enqueue(in_batch, k_t0);
  const auto bobs = jobs.enqueue(job_for(bob), k_t0);

  ClaimScope only_bob;
  only_bob.user_id = bob;
  auto claimed = jobs.claim("w", k_t0, 60s, only_bob);
  REQUIRE(claimed);
  CHECK(claimed->id == bobs);
  CHECK_FALSE(jobs.claim("w", k_t0, 60s, only_bob));

  ClaimScope batch;
  batch.batch_id = 7;
  claimed = jobs.claim("w", k_t0, 60s, batch);
  REQUIRE(claimed);
  CHECK(claimed->id == batch_job);

  ClaimScope social;
  social.kinds = {"generate_social"};
  CHECK_FALSE(jobs.claim("w", k_t0, 60s, social));
  CHECK(jobs.has_unfinished(social)); // the batch job is still in progress

  ClaimScope ids;
  ids.job_ids = {first, 999};
  claimed = jobs.claim("w", k_t0, 60s, ids);
  REQUIRE(claimed);
  CHECK(claimed->id == first);

  CHECK(jobs.complete(batch_job, "w", k_t0, {}));
  CHECK_FALSE(jobs.has_unfinished(social));
}

TEST_CASE("cancel: a pending job at once, a running one flagged until its worker stops") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  const auto user = add_user(db, "ann");
  const auto pending = jobs.enqueue(job_for(user), k_t0);
  const auto running = jobs.enqueue(job_for(user), k_t0 + 1);

  ClaimScope only_running;
  only_running.job_ids = {running};
  REQUIRE(jobs.claim("w", k_t0 + 2, 60s, only_running));

  CHECK(jobs.request_cancel(pending, k_t0 + 3));
  CHECK(jobs.find(pending)->status == JobStatus::cancelled);
  CHECK_FALSE(jobs.request_cancel(pending, k_t0 + 4)); // finished already

  CHECK_FALSE(jobs.cancel_requested(running));
  CHECK(jobs.request_cancel(running, k_t0 + 5));
  CHECK(jobs.cancel_requested(running));
  CHECK(jobs.find(running)->status == JobStatus::in_progress);
  CHECK_FALSE(jobs.complete(running, "w", k_t0 + 6, {})); // the cancel wins over a late result
  CHECK(jobs.acknowledge_cancel(running, "w", k_t0 + 7));
  CHECK(jobs.find(running)->status == JobStatus::cancelled);
}

TEST_CASE("a cancelled job whose worker died ends cancelled, not run again") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  const auto id = jobs.enqueue(job_for(add_user(db, "ann")), k_t0);
  REQUIRE(jobs.claim("dead", k_t0, 1s));
  REQUIRE(jobs.request_cancel(id, k_t0 + 10));
  CHECK_FALSE(jobs.claim("w", k_t0 + 5'000, 1s));
  CHECK(jobs.find(id)->status == JobStatus::cancelled);
}

TEST_CASE("cancel for a post or a batch") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  const auto user = add_user(db, "ann");
  blogen::store::sql(db).exec("INSERT INTO posts(id, user_id, created_at, updated_at) VALUES (5, 1, 0, 0)");
  NewJob for_post = job_for(user);
  for_post.post_id = 5;
  jobs.enqueue(for_post, k_t0);
  jobs.enqueue(for_post, k_t0);
  jobs.enqueue(job_for(user), k_t0);
  CHECK(jobs.cancel_for_post(5, k_t0 + 1) == 2);
  CHECK(jobs.cancel_for_post(5, k_t0 + 2) == 0);
  CHECK(jobs.cancel_for_batch(7, k_t0 + 2) == 0);
  CHECK(jobs.counts({}).cancelled == 2);
}

TEST_CASE("requeue restarts a failed or cancelled job with fresh attempts") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  const auto id = jobs.enqueue(job_for(add_user(db, "ann")), k_t0);
  CHECK_FALSE(jobs.requeue(id, k_t0)); // pending: nothing to retry
  REQUIRE(jobs.claim("w", k_t0, 60s));
  CHECK_FALSE(jobs.requeue(id, k_t0)); // running
  REQUIRE(jobs.fail(id, "w", k_t0 + 1, "model unknown", "model_not_found"));
  CHECK(jobs.find(id)->error_kind == "model_not_found");
  CHECK(jobs.requeue(id, k_t0 + 2));
  const auto job = jobs.find(id);
  CHECK(job->status == JobStatus::pending);
  CHECK(job->attempts == 0);
  CHECK(job->error.empty());
  CHECK_FALSE(job->finished_at);
  CHECK(job->run_after == k_t0 + 2);
}

TEST_CASE("list and counts filter by user, status, kind and ids") {
  TempStore store;
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  const auto ann = add_user(db, "ann");
  const auto bob = add_user(db, "bob");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(jobs.enqueue(job_for(ann), k_t0 + i));
  jobs.enqueue(job_for(bob, "generate_social"), k_t0);
  REQUIRE(jobs.claim("w", k_t0 + 10, 60s)); // ann's first
  REQUIRE(jobs.fail(ids[0], "w", k_t0 + 11, "x", "internal"));

  JobFilter annes;
  annes.user_id = ann;
  auto counts = jobs.counts(annes);
  CHECK(counts.total() == 5);
  CHECK(counts.failed == 1);
  CHECK(counts.pending == 4);

  annes.limit = 2;
  const auto page = jobs.list(annes);
  REQUIRE(page.size() == 2);
  CHECK(page[0].id == ids[4]); // newest first
  CHECK(page[1].id == ids[3]);

  JobFilter social;
  social.kind = "generate_social";
  CHECK(jobs.list(social).size() == 1);
  JobFilter failed;
  failed.status = JobStatus::failed;
  CHECK(jobs.list(failed).at(0).id == ids[0]);
  JobFilter chosen;
  chosen.ids = {ids[1], ids[2]};
  CHECK(jobs.counts(chosen).pending == 2);
  CHECK(jobs.counts({}).total() == 6);
}

TEST_CASE("8 threads with their own connections claim 200 jobs: each exactly once") {
  TempStore store;
  constexpr int k_jobs = 200;
  constexpr int k_threads = 8;
  {
    Database db = Database::open(store.file);
    JobRepository jobs(db);
    const auto user = add_user(db, "ann");
    blogen::store::WriteTransaction transaction(db);
    for (int i = 0; i < k_jobs; ++i)
      jobs.enqueue(job_for(user), k_t0);
    transaction.commit();
  }
  std::mutex mutex;
  std::map<std::int64_t, int> claims;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&, t] {
      try {
        Database db = Database::open(store.file);
        JobRepository jobs(db);
        const std::string me = "w" + std::to_string(t);
        while (auto job = jobs.claim(me, k_t0 + 1, 60s)) {
          {
            std::lock_guard lock(mutex);
            ++claims[job->id];
          }
          if (!jobs.complete(job->id, me, k_t0 + 2, {})) ++errors;
        }
      } catch (const std::exception&) {
        ++errors;
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  CHECK(errors == 0);
  CHECK(claims.size() == k_jobs);
  for (const auto& [id, n] : claims) {
    INFO("job " << id);
    CHECK(n == 1);
  }
  Database db = Database::open(store.file);
  JobRepository jobs(db);
  CHECK(jobs.counts({}).completed == k_jobs);
  JobFilter everything;
  everything.limit = 0;
  for (const auto& job : jobs.list(everything))
    CHECK(job.attempts == 1);
}
