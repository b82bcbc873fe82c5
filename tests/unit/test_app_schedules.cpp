#include <blogen/app/accounts.hpp>
#include <blogen/app/batches.hpp>
#include <blogen/app/campaigns.hpp>
#include <blogen/app/generation_handler.hpp>
#include <blogen/app/runner_tokens.hpp>
#include <blogen/app/schedules.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/time_zone.hpp>
#include <blogen/store/cost_repository.hpp>
#include <blogen/store/job_repository.hpp>
#include <blogen/store/post_repository.hpp>
#include <blogen/store/schedule_repository.hpp>

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <stop_token>
#include <thread>

using namespace blogen::app;
using blogen::Error;
using blogen::ErrorCode;
using blogen::ManualClock;
using blogen::TimestampMs;

namespace {

TimestampMs utc(const std::string& text) { return blogen::parse_local_time(text, "UTC"); }

constexpr TimestampMs k_minute = 60'000;

struct Thrown {
  ErrorCode code = ErrorCode::failed;
  std::string message;
};

Thrown thrown_by(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return {e.code(), e.what()};
  }
  FAIL("no blogen::Error was thrown");
  return {};
}

class ScopedEnv {
public:
  ScopedEnv(const char* name, const std::string& value) : m_name(name) { ::setenv(name, value.c_str(), 1); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() { ::unsetenv(m_name); }

private:
  const char* m_name;
};

// A store with two users, ann logged in (BLOGEN_TOKEN) on a manual clock.
struct World {
  blogen::testing::TempDir dir{"blogen-app-schedules"};
  ManualClock clock;
  Context context;
  std::string ann;
  std::string bob;
  std::unique_ptr<ScopedEnv> token;

  explicit World(const std::string& start = "2026-01-05 07:00") : clock(utc(start)), context(dir / "blogen.db", clock) {
    ::unsetenv("BLOGEN_TOKEN_FILE");
    (void)register_user(context, {"ann", std::nullopt, "correct horse battery"});
    (void)register_user(context, {"bob", std::nullopt, "correct horse battery"});
    ann = login(context, {"ann", "correct horse battery", std::chrono::hours(24 * 365)}).token;
    bob = login(context, {"bob", "correct horse battery", std::chrono::hours(24 * 365)}).token;
    as(ann);
  }
  void as(const std::string& who) {
    token.reset();
    token = std::make_unique<ScopedEnv>("BLOGEN_TOKEN", who);
  }
  void at(const std::string& when) { clock.advance(std::chrono::milliseconds(utc(when) - clock.now_ms())); }

  std::vector<blogen::store::Job> jobs() {
    blogen::store::JobFilter filter;
    return blogen::store::JobRepository(context.db()).list(filter);
  }
  RunDueResult run(DryRun dry_run = DryRun::no) {
    blogen::NullProgressSink progress;
    return run_due(context, dry_run, progress, std::stop_token());
  }
};

AddScheduleRequest cron(const std::string& expression, const std::string& tz, const std::string& topic = "Bread") {
  AddScheduleRequest request;
  request.cron = expression;
  request.tz = tz;
  request.topic = topic;
  return request;
}

blogen::store::Schedule schedule_at(const std::string& next_utc, bool catch_up = false) {
  blogen::store::Schedule schedule;
  schedule.id = 1;
  schedule.spec = "0 * * * *";
  schedule.tz = "UTC";
  schedule.catch_up = catch_up;
  schedule.next_run_at = utc(next_utc);
  return schedule;
}

} // namespace

TEST_CASE("plan_due fires an on-time occurrence and records missed ones as skipped", "[schedules]") {
  SECTION("on time") {
    const DuePlan plan = plan_due(schedule_at("2026-01-05 09:00"), utc("2026-01-05 09:01"));
    CHECK(plan.fire == utc("2026-01-05 09:00"));
    CHECK(plan.skipped.empty());
    CHECK(plan.next == utc("2026-01-05 10:00"));
  }
  SECTION("not yet due") {
    const DuePlan plan = plan_due(schedule_at("2026-01-05 09:00"), utc("2026-01-05 08:59"));
    CHECK_FALSE(plan.fire);
    CHECK(plan.next == utc("2026-01-05 09:00"));
  }
  SECTION("machine off for three hours, without catch-up: all skipped") {
    const DuePlan plan = plan_due(schedule_at("2026-01-05 09:00"), utc("2026-01-05 11:30"));
    CHECK_FALSE(plan.fire);
    CHECK(plan.skipped == std::vector{utc("2026-01-05 09:00"), utc("2026-01-05 10:00"), utc("2026-01-05 11:00")});
    CHECK(plan.skipped_total == 3);
    CHECK(plan.next == utc("2026-01-05 12:00"));
  }
  SECTION("with catch-up: the most recent fires once, the others skipped") {
    const DuePlan plan = plan_due(schedule_at("2026-01-05 09:00", true), utc("2026-01-05 11:30"));
    CHECK(plan.fire == utc("2026-01-05 11:00"));
    CHECK(plan.skipped == std::vector{utc("2026-01-05 09:00"), utc("2026-01-05 10:00")});
  }
  SECTION("a late latest occurrence within the window still fires, older ones are skipped") {
    const DuePlan plan = plan_due(schedule_at("2026-01-05 09:00"), utc("2026-01-05 10:10"));
    CHECK(plan.fire == utc("2026-01-05 10:00"));
    CHECK(plan.skipped == std::vector{utc("2026-01-05 09:00")});
  }
  SECTION("a minute schedule off for a month records only the most recent skips") {
    auto schedule = schedule_at("2026-01-01 00:00");
    schedule.spec = "* * * * *";
    const DuePlan plan = plan_due(schedule, utc("2026-02-01 00:00") + 30 * k_minute);
    CHECK(plan.skipped.size() == k_max_recorded_skips);
    CHECK(plan.skipped_total > 40'000);
    CHECK(plan.skipped.back() == utc("2026-02-01 00:00") + 29 * k_minute);
  }
  SECTION("a one-shot fires once and has no next occurrence") {
    auto schedule = schedule_at("2026-01-05 09:00");
    schedule.kind = blogen::store::ScheduleKind::once;
    const DuePlan plan = plan_due(schedule, utc("2026-01-05 09:05"));
    CHECK(plan.fire == utc("2026-01-05 09:00"));
    CHECK_FALSE(plan.next);
    schedule.next_run_at = utc("2026-01-05 07:00");
    CHECK_FALSE(plan_due(schedule, utc("2026-01-05 09:05")).fire); // missed, no catch-up
  }
}

TEST_CASE("a Berlin Monday 9:00 schedule fires at 08:00Z in winter and 07:00Z in summer", "[schedules]") {
  World world("2026-01-05 07:00"); // a Monday
  const ScheduleView view = add_schedule(world.context, cron("0 9 * * 1", "Europe/Berlin"));
  CHECK(view.schedule.next_run_at == utc("2026-01-05 08:00"));
  CHECK(view.schedule.spec == "0 9 * * 1");
  REQUIRE(view.upcoming.size() == k_shown_occurrences);
  CHECK(view.upcoming[1] == utc("2026-01-12 08:00"));
  world.at("2026-03-20 12:00");
  (void)pause_schedule(world.context, view.schedule.id);
  const ScheduleView resumed = resume_schedule(world.context, view.schedule.id);
  CHECK(resumed.schedule.next_run_at == utc("2026-03-23 08:00"));
  CHECK(resumed.upcoming[1] == utc("2026-03-30 07:00")); // CEST from March 29
}

TEST_CASE("add_schedule rejects bad input naming the flag and writes nothing", "[schedules]") {
  World world;
  auto bad_cron = cron("61 * * * *", "UTC");
  const Thrown cron_error = thrown_by([&] { (void)add_schedule(world.context, bad_cron); });
  CHECK(cron_error.code == ErrorCode::bad_input);
  CHECK_THAT(cron_error.message, Catch::Contains("--cron") && Catch::Contains("minute"));
  const Thrown zone_error = thrown_by([&] { (void)add_schedule(world.context, cron("0 9 * * *", "Mars/Olympus")); });
  CHECK(zone_error.code == ErrorCode::bad_input);
  CHECK_THAT(zone_error.message, Catch::Contains("--tz") && Catch::Contains("Mars/Olympus"));
  AddScheduleRequest past;
  past.at = "2026-01-05 07:30";
  past.tz = "Europe/Berlin"; // 06:30Z, before the clock's 07:00Z
  past.topic = "Bread";
  const Thrown past_error = thrown_by([&] { (void)add_schedule(world.context, past); });
  CHECK(past_error.code == ErrorCode::usage);
  CHECK_THAT(past_error.message, Catch::Contains("--at") && Catch::Contains("past"));
  auto bad_tone = cron("0 9 * * *", "UTC");
  bad_tone.post.tone = "grumpy";
  CHECK(thrown_by([&] { (void)add_schedule(world.context, bad_tone); }).code == ErrorCode::usage);
  auto both = cron("0 9 * * *", "UTC");
  both.at = "2026-02-01 09:00";
  CHECK(thrown_by([&] { (void)add_schedule(world.context, both); }).code == ErrorCode::usage);
  CHECK(list_schedules(world.context).empty());
  CHECK(world.jobs().empty()); // the probe that validated the post options was rolled back
}

TEST_CASE("an America/New_York one-shot fires once and then disables itself", "[schedules]") {
  World world("2026-06-01 12:00");
  AddScheduleRequest request;
  request.at = "2026-06-01 09:00";
  request.tz = "America/New_York";
  request.topic = "Bagels";
  const ScheduleView view = add_schedule(world.context, request);
  CHECK(view.schedule.next_run_at == utc("2026-06-01 13:00")); // EDT, UTC-4
  CHECK(world.run().runs.empty());
  world.at("2026-06-01 13:00");
  const RunDueResult first = world.run();
  REQUIRE(first.runs.size() == 1);
  CHECK(first.runs[0].status == blogen::store::RunStatus::queued);
  CHECK_FALSE(first.failed());
  CHECK(world.run().runs.empty());
  const ScheduleDetails details = show_schedule(world.context, view.schedule.id);
  CHECK_FALSE(details.view.schedule.enabled);
  CHECK(details.view.upcoming.empty());
  REQUIRE(details.runs.size() == 1);
  REQUIRE(details.runs[0].job);
  CHECK(details.runs[0].job->status == blogen::store::JobStatus::completed); // run-due processed it
  CHECK(world.jobs().size() == 1);
  CHECK(thrown_by([&] { (void)resume_schedule(world.context, view.schedule.id); }).code == ErrorCode::usage);
}

TEST_CASE("a --now one-shot fires at the next run-due however late that is", "[schedules]") {
  World world("2026-01-05 08:00");
  AddScheduleRequest request;
  request.now = true;
  request.tz = "UTC";
  request.topic = "Right away";
  const ScheduleView view = add_schedule(world.context, request);
  world.at("2026-01-05 08:30"); // cron called run-due half an hour later: past the on-time window
  const RunDueResult result = world.run();
  REQUIRE(result.runs.size() == 1);
  CHECK(result.runs[0].status == blogen::store::RunStatus::queued);
  CHECK(result.runs[0].skipped == 0);
  REQUIRE(result.runs[0].job_id);
  CHECK(world.jobs().size() == 1);
  CHECK_FALSE(show_schedule(world.context, view.schedule.id).view.schedule.enabled); // finished
}

TEST_CASE("a topics file is used round-robin, one post per occurrence", "[schedules]") {
  World world("2026-01-05 08:30");
  const auto file = world.dir / "topics.txt";
  std::ofstream(file) << "# weekly topics\nSourdough\n\nRye\n";
  AddScheduleRequest request;
  request.cron = "0 * * * *";
  request.tz = "UTC";
  request.topics_file = file.string();
  request.post.words = 300;
  (void)add_schedule(world.context, request);
  std::vector<std::string> topics;
  for (const char* hour : {"2026-01-05 09:00", "2026-01-05 10:00", "2026-01-05 11:00"}) {
    world.at(hour);
    const RunDueResult result = world.run();
    REQUIRE(result.runs.size() == 1);
    REQUIRE(result.runs[0].job_id);
    const auto job = blogen::store::JobRepository(world.context.db()).find(*result.runs[0].job_id);
    topics.push_back(blogen::store::PostRepository(world.context.db()).find(*job->post_id, job->user_id)->topic);
  }
  CHECK(topics == std::vector<std::string>{"Sourdough", "Rye", "Sourdough"});
}

TEST_CASE("missed occurrences are skipped, or caught up once", "[schedules]") {
  World world("2026-01-05 08:30");
  const ScheduleView plain = add_schedule(world.context, cron("0 * * * *", "UTC", "Plain"));
  auto catching = cron("0 * * * *", "UTC", "Catching");
  catching.catch_up = CatchUp::yes;
  const ScheduleView caught = add_schedule(world.context, catching);
  world.at("2026-01-05 12:30"); // off since 08:30: 09, 10, 11 and 12 missed
  const RunDueResult result = world.run();
  REQUIRE(result.runs.size() == 2);
  CHECK(world.jobs().size() == 1);
  const auto plain_runs = show_schedule(world.context, plain.schedule.id).runs;
  CHECK(plain_runs.size() == 4);
  for (const auto& run : plain_runs)
    CHECK(run.run.status == blogen::store::RunStatus::skipped);
  const auto caught_runs = show_schedule(world.context, caught.schedule.id).runs;
  REQUIRE(caught_runs.size() == 4);
  CHECK(caught_runs[0].run.status == blogen::store::RunStatus::queued);
  CHECK(caught_runs[0].run.occurrence_at == utc("2026-01-05 12:00"));
  CHECK(show_schedule(world.context, plain.schedule.id).view.schedule.next_run_at == utc("2026-01-05 13:00"));
}

TEST_CASE("a paused schedule does not fire, and resuming does not catch up", "[schedules]") {
  World world("2026-01-05 08:30");
  const ScheduleView view = add_schedule(world.context, cron("0 9 * * *", "UTC"));
  (void)pause_schedule(world.context, view.schedule.id);
  CHECK(thrown_by([&] { (void)pause_schedule(world.context, view.schedule.id); }).code == ErrorCode::usage);
  world.at("2026-01-05 09:00");
  CHECK(world.run().runs.empty());
  world.at("2026-01-05 09:30");
  const ScheduleView resumed = resume_schedule(world.context, view.schedule.id);
  CHECK(resumed.schedule.next_run_at == utc("2026-01-06 09:00"));
  CHECK(world.jobs().empty());
}

TEST_CASE("another user's schedule is not found and never run", "[schedules]") {
  World world("2026-01-05 08:30");
  const ScheduleView view = add_schedule(world.context, cron("0 9 * * *", "UTC"));
  world.as(world.bob);
  CHECK(list_schedules(world.context).empty());
  CHECK(thrown_by([&] { (void)show_schedule(world.context, view.schedule.id); }).code == ErrorCode::not_found);
  CHECK(thrown_by([&] { (void)pause_schedule(world.context, view.schedule.id); }).code == ErrorCode::not_found);
  CHECK(thrown_by([&] { remove_schedule(world.context, view.schedule.id); }).code == ErrorCode::not_found);
  world.at("2026-01-05 09:00");
  CHECK(world.run().runs.empty());
  world.as(world.ann);
  CHECK(world.run().runs.size() == 1);
}

TEST_CASE("a campaign schedule queues one batch per occurrence", "[schedules]") {
  World world("2026-01-05 08:30");
  CampaignInput campaign;
  campaign.name = "Launch";
  campaign.brand = "Acme";
  const auto id = create_campaign(world.context, campaign).id;
  AddScheduleRequest request;
  request.cron = "0 9 * * *";
  request.tz = "UTC";
  request.campaign_id = id;
  request.count = 3;
  request.name = "daily social";
  (void)add_schedule(world.context, request);
  world.at("2026-01-05 09:00");
  const RunDueResult result = world.run();
  REQUIRE(result.runs.size() == 1);
  REQUIRE(result.runs[0].batch_id);
  CHECK_FALSE(result.failed());
  const BatchView batch = get_batch(world.context, *result.runs[0].batch_id);
  CHECK(batch.counts.total == 3);
  CHECK(batch.counts.completed == 3);
  CHECK(batch.batch.name == "daily social 2026-01-05 09:00");
  request.campaign_id = 999;
  CHECK(thrown_by([&] { (void)add_schedule(world.context, request); }).code == ErrorCode::not_found);
}

TEST_CASE("a run whose work cannot be queued is recorded as failed and not fired again", "[schedules]") {
  World world("2026-01-05 08:30");
  CampaignInput campaign;
  campaign.name = "Launch";
  campaign.brand = "Acme";
  const auto id = create_campaign(world.context, campaign).id;
  AddScheduleRequest request;
  request.cron = "0 * * * *";
  request.tz = "UTC";
  request.campaign_id = id;
  request.count = 1;
  const ScheduleView view = add_schedule(world.context, request);
  (void)delete_campaign(world.context, id);
  world.at("2026-01-05 09:00");
  const RunDueResult result = world.run();
  REQUIRE(result.runs.size() == 1);
  CHECK(result.runs[0].status == blogen::store::RunStatus::failed);
  CHECK(result.failed());
  CHECK(world.run().runs.empty());
  const ScheduleDetails details = show_schedule(world.context, view.schedule.id);
  CHECK(details.view.schedule.enabled); // the schedule stays active
  REQUIRE(details.runs.size() == 1);
  CHECK_THAT(details.runs[0].run.error, Catch::Contains("not found"));
}

TEST_CASE("two run-due at once fire each occurrence exactly once", "[schedules]") {
  World world("2026-01-05 08:30");
  for (int i = 0; i < 5; ++i)
    (void)add_schedule(world.context, cron("0 9 * * *", "UTC", "Topic " + std::to_string(i)));
  world.at("2026-01-05 09:00");
  std::vector<std::size_t> fired(4);
  {
    std::vector<std::jthread> threads;
    for (std::size_t t = 0; t < fired.size(); ++t) {
      threads.emplace_back([&, t] {
        Context own(world.dir / "blogen.db", world.clock);
        blogen::NullProgressSink progress;
        fired[t] = run_due(own, DryRun::no, progress, std::stop_token()).runs.size();
      });
    }
  }
  std::size_t total = 0;
  for (const std::size_t count : fired)
    total += count;
  CHECK(total == 5);
  CHECK(world.jobs().size() == 5);
}

TEST_CASE("a runner token runs due schedules only, and a revoked one is refused", "[schedules]") {
  World world("2026-01-05 08:30");
  ScopedEnv config("XDG_CONFIG_HOME", (world.dir / "config").string());
  (void)add_schedule(world.context, cron("0 9 * * *", "UTC"));
  const RunnerSetup setup = setup_runner(world.context, "/usr/local/bin/blogen");
  CHECK(setup.crontab_line.rfind("* * * * * BLOGEN_DB='", 0) == 0);
  CHECK_THAT(setup.crontab_line, Catch::EndsWith("'/usr/local/bin/blogen' schedule run-due"));
  std::ifstream in(setup.token_file);
  std::string token;
  in >> token;
  CHECK(setup.crontab_line.find(token) == std::string::npos);
  CHECK((std::filesystem::status(setup.token_file).permissions() & std::filesystem::perms::group_all) ==
        std::filesystem::perms::none);

  world.token.reset();
  ScopedEnv from_file("BLOGEN_TOKEN_FILE", setup.token_file.string());
  CHECK(thrown_by([&] { (void)list_schedules(world.context); }).code == ErrorCode::auth);
  world.context.accept_runner_tokens();
  CHECK(thrown_by([&] { (void)setup_runner(world.context, "/bin/blogen"); }).code == ErrorCode::auth);
  world.at("2026-01-06 09:00"); // a runner token never expires
  CHECK(world.run().runs.size() == 1);

  world.as(world.ann); // a second crontab set-up replaces (revokes) the token in the file
  Context login_context(world.dir / "blogen.db", world.clock);
  const RunnerSetup again = setup_runner(login_context, "/usr/local/bin/blogen");
  CHECK(again.replaced == 1);
  world.token.reset();
  ScopedEnv old_token("BLOGEN_TOKEN", token);
  const Thrown revoked = thrown_by([&] { (void)world.run(); });
  CHECK(revoked.code == ErrorCode::auth);
  CHECK_THAT(revoked.message, Catch::Contains("revoked"));
}

TEST_CASE("a schedule's --max-cost caps each run's post and batch, and a payload stored before it existed still runs",
          "[schedules]") {
  World world("2026-01-05 08:30");
  auto post = cron("0 9 * * *", "UTC", "Bread");
  post.post.max_cost = "0.25";
  post.post.words = 300;
  const ScheduleView post_view = add_schedule(world.context, post);
  CHECK_THAT(schedule_target(post_view.schedule), Catch::Contains("at most $0.25 a run"));
  CampaignInput campaign;
  campaign.name = "Launch";
  campaign.brand = "Acme";
  AddScheduleRequest batch;
  batch.cron = "0 9 * * *";
  batch.tz = "UTC";
  batch.campaign_id = create_campaign(world.context, campaign).id;
  batch.count = 2;
  batch.post.max_cost = "1.5";
  (void)add_schedule(world.context, batch);
  auto bad = cron("0 9 * * *", "UTC");
  bad.post.max_cost = "lots";
  const Thrown refused = thrown_by([&] { (void)add_schedule(world.context, bad); });
  CHECK(refused.code == ErrorCode::usage);
  CHECK_THAT(refused.message, Catch::Contains("--max-cost"));
  // A schedule added by an older blogen: its payload has no max_cost key.
  blogen::store::NewSchedule legacy;
  legacy.user_id = post_view.schedule.user_id;
  legacy.spec = "0 9 * * *";
  legacy.tz = "UTC";
  legacy.payload = R"({"topics":["Rye"],"words":300,"tone":"casual"})";
  legacy.next_run_at = utc("2026-01-05 09:00");
  {
    blogen::store::WriteTransaction transaction(world.context.db());
    (void)blogen::store::ScheduleRepository(world.context.db()).insert(legacy, world.clock.now_ms());
    transaction.commit();
  }

  world.at("2026-01-05 09:00");
  const RunDueResult result = world.run();
  REQUIRE(result.runs.size() == 3);
  CHECK_FALSE(result.failed());
  for (const DueRun& run : result.runs) {
    if (run.batch_id) {
      CHECK(blogen::store::CostRepository(world.context.db()).batch_budget(*run.batch_id) == 1'500'000'000);
      continue;
    }
    REQUIRE(run.job_id);
    const auto job = blogen::store::JobRepository(world.context.db()).find(*run.job_id);
    REQUIRE(job);
    const auto cap = GenerationPayload::parse(job->payload).max_cost_nanos;
    const auto written = blogen::store::PostRepository(world.context.db()).find(*job->post_id, job->user_id);
    REQUIRE(written);
    CHECK(written->target_words == 300);
    if (written->topic == "Bread") {
      CHECK(cap == 250'000'000);
    } else {
      CHECK(written->topic == "Rye");
      CHECK(written->tone == "casual");
      CHECK_FALSE(cap);
    }
  }
}
