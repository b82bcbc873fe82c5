// The JSON shapes that --json prints: absent values are null, times ISO 8601, and the facts derived for batches.
#include <blogen/app/view_json.hpp>

#include <catch2/catch.hpp>

using namespace blogen::app;

namespace {

constexpr blogen::TimestampMs k_start = 1'700'000'000'000;

BatchView batch_with(std::int64_t pending, std::int64_t completed) {
  BatchView view;
  view.batch.id = 3;
  view.counts.total = pending + completed;
  view.counts.pending = pending;
  view.counts.completed = completed;
  view.counts.first_started_at = k_start;
  view.counts.last_finished_at = k_start + 1000;
  view.status = derive_batch_status(view.counts);
  return view;
}

} // namespace

TEST_CASE("a batch has a finish time only once nothing is left to write") {
  const auto running = batch_json(batch_with(2, 1));
  CHECK(running["finished_at"].is_null());
  CHECK(running["started_at"] == blogen::format_iso8601(k_start));
  CHECK(running["status"] == "running");
  const auto done = batch_json(batch_with(0, 3));
  CHECK(done["finished_at"] == blogen::format_iso8601(k_start + 1000));
  CHECK(done["counts"]["completed"] == 3);
  CHECK(done["cancelled_at"].is_null());
}

TEST_CASE("a batch post's error is its own, else its failed job's, else none") {
  BatchPost row;
  row.job_error = "the job broke";
  row.job_status = JobStatus::in_progress;
  CHECK(batch_post_error(row).empty());
  row.job_status = JobStatus::failed;
  CHECK(batch_post_error(row) == "the job broke");
  row.post.error = "the caption was empty";
  CHECK(batch_post_error(row) == "the caption was empty");
  CHECK(batch_posts_json({row})[0]["error"] == "the caption was empty");
}

TEST_CASE("accounts show null for an absent email and a login that never happened") {
  UserView user;
  user.id = 1;
  user.username = "ann";
  const auto json = user_json(user);
  CHECK(json["email"].is_null());
  CHECK(json["last_login_at"].is_null());
  user.email = "ann@example.org";
  user.last_login_at = k_start;
  CHECK(user_json(user)["email"] == "ann@example.org");
  CHECK(user_json(user)["last_login_at"] == blogen::format_iso8601(k_start));
}

TEST_CASE("a provider call without error is null in a job's calls and empty in the call log") {
  CallLogEntry entry;
  entry.job_id = 7;
  CHECK(job_call_json(entry)["error"].is_null());
  CHECK_FALSE(job_call_json(entry).contains("job_id"));
  CHECK(call_json(entry)["error"] == "");
  CHECK(call_json(entry)["job_id"] == 7);
  CHECK(call_json(entry)["post_id"].is_null());
}

TEST_CASE("a job's duration is known only once it started and finished") {
  Job job;
  CHECK(job_json(job)["duration_ms"].is_null());
  job.started_at = k_start;
  job.finished_at = k_start + 2500;
  CHECK(job_json(job)["duration_ms"] == 2500);
  CHECK(job_json(job)["error"].is_null());
}
