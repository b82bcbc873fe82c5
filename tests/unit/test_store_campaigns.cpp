#include <blogen/store/batch_repository.hpp>
#include <blogen/store/campaign_repository.hpp>
#include <blogen/store/database.hpp>
#include <blogen/store/job_repository.hpp>
#include <blogen/store/post_repository.hpp>

#include "../../src/store/connection.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include <chrono>
#include <filesystem>
#include <string>

using namespace blogen::store;

namespace {

struct TempStore {
  blogen::testing::TempDir dir{"blogen-campaigns"};
  Database db = Database::open(dir / "blogen.db");
  TempStore() {
    sql(db).exec("INSERT INTO users(id, username, username_key, password_hash, created_at, updated_at) VALUES "
                 "(1, 'ann', 'ann', 'x', 0, 0), (2, 'bob', 'bob', 'x', 0, 0)");
  }
};

NewCampaign new_campaign(std::int64_t user, std::string name) {
  NewCampaign campaign;
  campaign.user_id = user;
  campaign.name = std::move(name);
  campaign.brand = "Acme";
  campaign.audience = "bakers";
  campaign.tone = "witty";
  campaign.description = "Bread.";
  return campaign;
}

std::vector<NewPost> social_posts(std::int64_t user, std::int64_t campaign, int count) {
  std::vector<NewPost> posts;
  for (int i = 0; i < count; ++i) {
    NewPost post;
    post.user_id = user;
    post.kind = "social";
    post.campaign_id = campaign;
    post.topic = "topic " + std::to_string(i);
    post.tone = "witty";
    post.brand = "Acme";
    post.platform = "twitter";
    post.template_name = "social-caption";
    posts.push_back(post);
  }
  return posts;
}

NewJob social_job(std::int64_t user) {
  NewJob job;
  job.user_id = user;
  job.kind = "generate_social";
  job.payload = R"({"images":true})";
  return job;
}

// A batch of user 1's in `campaign`, named `name`, with the defaults for everything else.
NewBatch batch_of(std::int64_t campaign, std::string name) {
  NewBatch batch;
  batch.user_id = 1;
  batch.campaign_id = campaign;
  batch.name = std::move(name);
  return batch;
}

} // namespace

TEST_CASE("campaigns: found only by their owner, every field read back") {
  TempStore store;
  CampaignRepository campaigns(store.db);
  const auto id = campaigns.insert(new_campaign(1, "Spring"), 1000);
  const auto found = campaigns.find(id, 1);
  REQUIRE(found);
  CHECK(found->name == "Spring");
  CHECK(found->brand == "Acme");
  CHECK(found->audience == "bakers");
  CHECK(found->tone == "witty");
  CHECK(found->description == "Bread.");
  CHECK(found->status == CampaignStatus::draft);
  CHECK(found->created_at == 1000);
  CHECK_FALSE(found->deleted_at);
  CHECK_FALSE(campaigns.find(id, 2));
  CHECK(campaigns.list(2).empty());
}

TEST_CASE("campaigns: partial updates, status names") {
  TempStore store;
  CampaignRepository campaigns(store.db);
  const auto id = campaigns.insert(new_campaign(1, "Spring"), 1000);
  CampaignChanges changes;
  changes.tone = "formal";
  changes.status = CampaignStatus::active;
  CHECK(campaigns.update(id, changes, 2000));
  const auto updated = campaigns.find(id, 1);
  CHECK(updated->tone == "formal");
  CHECK(updated->status == CampaignStatus::active);
  CHECK(updated->name == "Spring");
  CHECK(updated->updated_at == 2000);
  CHECK_FALSE(campaigns.update(999, changes, 2000));
  CHECK(parse_campaign_status("archived") == CampaignStatus::archived);
  CHECK_FALSE(parse_campaign_status("deleted"));
  CHECK(to_string(CampaignStatus::active) == "active");
}

TEST_CASE("campaigns: soft delete hides from the list until restored") {
  TempStore store;
  CampaignRepository campaigns(store.db);
  const auto a = campaigns.insert(new_campaign(1, "A"), 1000);
  const auto b = campaigns.insert(new_campaign(1, "B"), 2000);
  CHECK(campaigns.list(1).size() == 2);
  CHECK(campaigns.list(1).front().id == b); // newest first
  CHECK(campaigns.soft_delete(a, 3000));
  CHECK_FALSE(campaigns.soft_delete(a, 3000));
  CHECK(campaigns.list(1).size() == 1);
  CHECK(campaigns.find(a, 1)->deleted_at == 3000);
  CHECK(campaigns.restore(a, 4000));
  CHECK_FALSE(campaigns.restore(a, 4000));
  CHECK(campaigns.list(1).size() == 2);
}

TEST_CASE("batches: posts and jobs inserted together, counts derived from the jobs") {
  TempStore store;
  const auto campaign = CampaignRepository(store.db).insert(new_campaign(1, "Spring"), 1000);
  BatchRepository batches(store.db);
  NewBatch batch = batch_of(campaign, "Batch one");
  batch.platform = "twitter";
  batch.images = true;
  batch.concurrency = 3;
  const auto batch_id = batches.insert(batch, 1000);
  const auto ids = batches.insert_posts(batch_id, social_posts(1, campaign, 5), social_job(1), 1000);
  REQUIRE(ids.size() == 5);

  const auto found = batches.find(batch_id, 1);
  REQUIRE(found);
  CHECK(found->name == "Batch one");
  CHECK(found->images);
  CHECK(found->concurrency == 3);
  CHECK_FALSE(batches.find(batch_id, 2));

  auto counts = batches.counts(batch_id);
  CHECK(counts.total == 5);
  CHECK(counts.pending == 5);
  CHECK_FALSE(counts.first_started_at);

  JobRepository jobs(store.db);
  const auto job_ids = batches.job_ids(batch_id, JobStatus::pending);
  REQUIRE(job_ids.size() == 5);
  const auto job = jobs.find(job_ids.front());
  CHECK(job->kind == "generate_social");
  CHECK(job->payload == R"({"images":true})");
  CHECK(job->post_id == ids.front());
  CHECK(job->batch_id == batch_id);

  ClaimScope scope;
  scope.batch_id = batch_id;
  auto claimed = jobs.claim("w", 2000, std::chrono::seconds(60), scope);
  REQUIRE(claimed);
  CHECK(jobs.complete(claimed->id, "w", 3000, {}));
  claimed = jobs.claim("w", 2500, std::chrono::seconds(60), scope);
  REQUIRE(claimed);
  CHECK(jobs.fail(claimed->id, "w", 4000, "boom", "server"));
  claimed = jobs.claim("w", 2600, std::chrono::seconds(60), scope);
  REQUIRE(claimed);

  counts = batches.counts(batch_id);
  CHECK(counts.total == 5);
  CHECK(counts.completed == 1);
  CHECK(counts.failed == 1);
  CHECK(counts.running == 1);
  CHECK(counts.pending == 2);
  CHECK(counts.first_started_at == 2000);
  CHECK(counts.last_finished_at == 4000);

  const auto listed = batches.list_for_campaign(campaign, 1);
  REQUIRE(listed.size() == 1);
  CHECK(listed.front().counts.completed == 1);
  CHECK(listed.front().counts.failed == 1);
  CHECK(batches.list_for_campaign(campaign, 2).empty());

  const auto rows = batches.posts(batch_id);
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].post.kind == "social");
  CHECK(rows[0].post.batch_id == batch_id);
  CHECK(rows[0].job_status == JobStatus::completed);
  CHECK(rows[1].job_status == JobStatus::failed);
  CHECK(rows[1].job_error.find("boom") != std::string::npos);
}

TEST_CASE("batches: cancelling marks waiting posts, images are recorded") {
  TempStore store;
  const auto campaign = CampaignRepository(store.db).insert(new_campaign(1, "Spring"), 1000);
  BatchRepository batches(store.db);
  const NewBatch batch = batch_of(campaign, "b");
  const auto batch_id = batches.insert(batch, 1000);
  const auto ids = batches.insert_posts(batch_id, social_posts(1, campaign, 3), social_job(1), 1000);
  CHECK(batches.ids_for_campaign(campaign) == std::vector<std::int64_t>{batch_id});

  JobRepository jobs(store.db);
  CHECK(jobs.cancel_for_batch(batch_id, 2000) == 3);
  batches.mark_cancelled(batch_id, 2000);
  CHECK(batches.find(batch_id, 1)->cancelled_at == 2000);
  CHECK(batches.counts(batch_id).cancelled == 3);
  PostRepository posts(store.db);
  CHECK(posts.find(ids[0], 1)->status == PostStatus::cancelled);

  batches.set_post_image(ids[1], "/tmp/x.png", 3000);
  CHECK(posts.find(ids[1], 1)->image_path == "/tmp/x.png");
}

// Posts go in many to a statement (64): every row, across the statements' boundaries, keeps its fields and its
// place, and gets exactly one job pointing at it, claimed in the rows' order.
TEST_CASE("batches: posts inserted many to a statement keep their order, fields and one job each") {
  TempStore store;
  const auto campaign = CampaignRepository(store.db).insert(new_campaign(1, "Order"), 1000);
  BatchRepository batches(store.db);
  const NewBatch batch = batch_of(campaign, "order");
  const auto batch_id = batches.insert(batch, 1000);
  auto rows = social_posts(1, campaign, 130);
  rows[64].brief = "the first row of the second statement";
  rows[129].keywords = {"last", "row"};
  NewJob shape = social_job(1);
  shape.max_attempts = 3;
  shape.run_after = 1500; // not due before
  const auto ids = batches.insert_posts(batch_id, rows, shape, 1000);
  REQUIRE(ids.size() == 130);
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  PostRepository posts(store.db);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto post = posts.find(ids[i], 1);
    REQUIRE(post);
    CHECK(post->topic == rows[i].topic);
    CHECK(post->batch_id == batch_id);
    CHECK(post->brief == rows[i].brief);
    CHECK(post->keywords == rows[i].keywords);
  }
  JobRepository jobs(store.db);
  ClaimScope scope;
  scope.batch_id = batch_id;
  CHECK_FALSE(jobs.claim("w", 1499, std::chrono::seconds(60), scope));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto claimed = jobs.claim("w", 2000, std::chrono::seconds(60), scope);
    REQUIRE(claimed);
    CHECK(claimed->post_id == ids[i]);
    CHECK(claimed->payload == R"({"images":true})");
    CHECK(claimed->max_attempts == 3);
  }
  CHECK_FALSE(jobs.claim("w", 2000, std::chrono::seconds(60), scope));

  // More posts for the same batch: only they are returned, and only they get a job.
  const auto more = batches.insert_posts(batch_id, social_posts(1, campaign, 2), social_job(1), 3000);
  REQUIRE(more.size() == 2);
  CHECK(more.front() > ids.back());
  CHECK(batches.counts(batch_id).total == 132);
  for (const auto id : more) {
    const auto claimed = jobs.claim("w", 4000, std::chrono::seconds(60), scope);
    REQUIRE(claimed);
    CHECK(claimed->post_id == id);
  }
  CHECK_FALSE(jobs.claim("w", 4000, std::chrono::seconds(60), scope));
}

TEST_CASE("batches: fifty thousand rows in one transaction are quick") {
  TempStore store;
  const auto campaign = CampaignRepository(store.db).insert(new_campaign(1, "Big"), 1000);
  BatchRepository batches(store.db);
  const NewBatch batch = batch_of(campaign, "big");
  const auto posts = social_posts(1, campaign, 50'000);
  const auto started = std::chrono::steady_clock::now();
  WriteTransaction transaction(store.db);
  const auto batch_id = batches.insert(batch, 1000);
  batches.insert_posts(batch_id, posts, social_job(1), 1000);
  transaction.commit();
  const auto elapsed = std::chrono::steady_clock::now() - started;
  CHECK(batches.counts(batch_id).total == 50'000);
  // Generous for sanitizer builds on a shared machine; the plain build takes a fraction of this.
  CHECK(elapsed < std::chrono::seconds(30));
}
