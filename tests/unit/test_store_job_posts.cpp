// A post tells the truth about its job: every state change of the job (claim, fail, retry, release, cancel, the
// claim's clean-up of dead workers, requeue) moves the post in the same transaction, under the lease when a worker
// makes it, and only the post's newest job speaks for it. Issue 16, items 1, 2 and 12.
#include <blogen/store/database.hpp>
#include <blogen/store/job_repository.hpp>
#include <blogen/store/post_repository.hpp>

#include "../../src/store/connection.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace std::chrono_literals;
using blogen::store::Database;
using blogen::store::JobRepository;
using blogen::store::JobStatus;
using blogen::store::NewJob;
using blogen::store::PostRepository;
using blogen::store::PostStatus;

namespace {

constexpr blogen::TimestampMs k_t0 = 1'700'000'000'000;

// A store with one user and one post; jobs are queued for that post.
struct Fixture {
  blogen::testing::TempDir dir{"blogen-job-posts"};
  Database db = Database::open(dir / "blogen.db");
  JobRepository jobs{db};
  PostRepository posts{db};
  std::int64_t user = 0;
  std::int64_t post = 0;

  Fixture() {
    blogen::store::sql(db).exec("INSERT INTO users(username, username_key, password_hash, created_at, updated_at) "
                                "VALUES ('ann', 'ann', 'x', 0, 0)");
    user = blogen::store::sql(db).getLastInsertRowid();
    blogen::store::NewPost new_post;
    new_post.user_id = user;
    new_post.topic = "Tea";
    post = posts.insert(new_post, k_t0);
  }

  std::int64_t enqueue(std::optional<std::int64_t> batch = std::nullopt, int max_attempts = 5) {
    NewJob job;
    job.user_id = user;
    job.kind = "generate_blog";
    job.post_id = post;
    job.batch_id = batch;
    job.max_attempts = max_attempts;
    return jobs.enqueue(job, k_t0);
  }
  PostStatus status() { return posts.find_any(post)->status; }
  std::string error() { return posts.find_any(post)->error; }
  JobStatus job_status(std::int64_t id) { return jobs.find(id)->status; }
};

} // namespace

TEST_CASE("the post follows its job: claimed, failed, requeued, completed") {
  Fixture f;
  const auto id = f.enqueue();
  CHECK(f.status() == PostStatus::pending);
  REQUIRE(f.jobs.claim("w1", k_t0, 60s));
  CHECK(f.status() == PostStatus::in_progress);
  REQUIRE(f.jobs.fail(id, "w1", k_t0 + 1, "provider said no", "auth"));
  CHECK(f.status() == PostStatus::failed);
  CHECK(f.error() == "provider said no");
  REQUIRE(f.jobs.requeue(id, k_t0 + 2)); // `job retry`, `batch retry`
  CHECK(f.status() == PostStatus::pending);
  CHECK(f.error().empty());
  REQUIRE(f.jobs.claim("w2", k_t0 + 3, 60s));
  REQUIRE(f.jobs.complete(id, "w2", k_t0 + 4, {}));
  CHECK(f.status() == PostStatus::completed);
  CHECK(f.job_status(id) == JobStatus::completed);
}

TEST_CASE("a transient failure puts the post back to pending, and giving up fails it") {
  Fixture f;
  const auto id = f.enqueue(std::nullopt, 2);
  REQUIRE(f.jobs.claim("w1", k_t0, 60s));
  REQUIRE(f.jobs.retry_later(id, "w1", k_t0, k_t0 + 10, "rate limited", "rate_limited"));
  CHECK(f.status() == PostStatus::pending);
  REQUIRE(f.jobs.claim("w1", k_t0 + 10, 60s));
  REQUIRE(f.jobs.retry_later(id, "w1", k_t0 + 11, k_t0 + 20, "rate limited", "rate_limited"));
  CHECK(f.job_status(id) == JobStatus::failed);
  CHECK(f.status() == PostStatus::failed);
  CHECK(f.error() == "gave up after 2 attempts: rate limited");
}

TEST_CASE("cancel: a pending job's post is cancelled at once, a running one's when its worker acknowledges") {
  Fixture f;
  const auto pending = f.enqueue();
  REQUIRE(f.jobs.request_cancel(pending, k_t0 + 1)); // `job cancel` of a queued job
  CHECK(f.status() == PostStatus::cancelled);

  const auto running = f.enqueue();
  CHECK(f.status() == PostStatus::pending); // the newest job speaks for the post
  REQUIRE(f.jobs.claim("w1", k_t0 + 2, 60s));
  REQUIRE(f.jobs.request_cancel(running, k_t0 + 3));
  CHECK(f.status() == PostStatus::in_progress); // still running until its worker stops
  REQUIRE(f.jobs.acknowledge_cancel(running, "w1", k_t0 + 4));
  CHECK(f.status() == PostStatus::cancelled);
}

TEST_CASE("batch cancel moves the batch's posts with their jobs") {
  Fixture f;
  blogen::store::sql(f.db).exec(
      "INSERT INTO campaigns(user_id, name, brand, created_at, updated_at) VALUES (1, 'c', 'b', 0, 0)");
  blogen::store::sql(f.db).exec(
      "INSERT INTO batches(user_id, campaign_id, name, created_at, updated_at) VALUES (1, 1, 'b1', 0, 0)");
  const auto id = f.enqueue(1);
  CHECK(f.jobs.cancel_for_batch(1, k_t0 + 1) == 1);
  CHECK(f.job_status(id) == JobStatus::cancelled);
  CHECK(f.status() == PostStatus::cancelled);
}

TEST_CASE("a stopping worker's release puts the post back to pending") {
  Fixture f;
  const auto id = f.enqueue();
  REQUIRE(f.jobs.claim("w1", k_t0, 60s));
  REQUIRE(f.jobs.release(id, "w1", k_t0 + 1)); // SIGINT
  CHECK(f.status() == PostStatus::pending);
  CHECK(f.job_status(id) == JobStatus::pending);
}

TEST_CASE("the claim's clean-up of dead workers settles their posts: failed after the attempts, or cancelled") {
  SECTION("attempts used up") {
    Fixture f;
    const auto id = f.enqueue(std::nullopt, 1);
    REQUIRE(f.jobs.claim("dead", k_t0, 1s)); // its process dies; the lease runs out
    CHECK_FALSE(f.jobs.claim("w2", k_t0 + 2'000, 60s));
    CHECK(f.job_status(id) == JobStatus::failed);
    CHECK(f.status() == PostStatus::failed);
    CHECK_THAT(f.error(), Catch::StartsWith("gave up after 1 attempts"));
  }
  SECTION("cancel requested before the worker died") {
    Fixture f;
    const auto id = f.enqueue();
    REQUIRE(f.jobs.claim("dead", k_t0, 1s));
    REQUIRE(f.jobs.request_cancel(id, k_t0 + 1));
    CHECK_FALSE(f.jobs.claim("w2", k_t0 + 2'000, 60s));
    CHECK(f.job_status(id) == JobStatus::cancelled);
    CHECK(f.status() == PostStatus::cancelled);
  }
}

TEST_CASE("a worker that lost its lease changes neither the job nor the post") {
  Fixture f;
  const auto id = f.enqueue();
  REQUIRE(f.jobs.claim("slow", k_t0, 1s));
  REQUIRE(f.jobs.claim("fast", k_t0 + 2'000, 60s)); // the lease passed on
  REQUIRE(f.jobs.complete(id, "fast", k_t0 + 3'000, {}));
  CHECK_FALSE(f.jobs.release(id, "slow", k_t0 + 4'000));
  CHECK_FALSE(f.jobs.acknowledge_cancel(id, "slow", k_t0 + 4'000));
  CHECK_FALSE(f.jobs.fail(id, "slow", k_t0 + 4'000, "late", "internal"));
  CHECK_FALSE(f.jobs.retry_later(id, "slow", k_t0 + 4'000, k_t0 + 5'000, "late", "internal"));
  CHECK(f.job_status(id) == JobStatus::completed);
  CHECK(f.status() == PostStatus::completed);
}

TEST_CASE("an old job settled late does not speak for a post that has a newer job") {
  Fixture f;
  const auto old_job = f.enqueue(std::nullopt, 1);
  REQUIRE(f.jobs.claim("dead", k_t0, 1s));
  const auto regeneration = f.enqueue(); // `blog update --regenerate` while the old job's worker is gone
  CHECK(f.status() == PostStatus::pending);
  REQUIRE(f.jobs.fail(old_job, "dead", k_t0 + 1, "late failure", "internal"));
  CHECK(f.status() == PostStatus::pending);
  CHECK(f.job_status(regeneration) == JobStatus::pending);
}

TEST_CASE("a disabled or deleted owner's queued jobs are cancelled at the next claim, saying why, not run") {
  Fixture f;
  const auto id = f.enqueue();
  blogen::store::sql(f.db).exec("UPDATE users SET disabled = 1");
  CHECK_FALSE(f.jobs.claim("w1", k_t0 + 1, 60s));
  const auto job = f.jobs.find(id);
  CHECK(job->status == JobStatus::cancelled);
  CHECK(job->error_kind == "owner_disabled");
  CHECK_THAT(job->error, Catch::Contains("disabled or deleted"));
  CHECK(f.status() == PostStatus::cancelled);
  CHECK_THAT(f.error(), Catch::Contains("disabled or deleted"));
}
