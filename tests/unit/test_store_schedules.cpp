#include <blogen/store/database.hpp>
#include <blogen/store/schedule_repository.hpp>
#include <blogen/store/session_repository.hpp>

#include "../../src/store/connection.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace blogen::store;

namespace {

struct TempStore {
  blogen::testing::TempDir dir{"blogen-schedules"};
  Database db = Database::open(dir / "blogen.db");
  TempStore() {
    sql(db).exec("INSERT INTO users(id, username, username_key, password_hash, created_at, updated_at) VALUES "
                 "(1, 'ann', 'ann', 'x', 0, 0), (2, 'bob', 'bob', 'x', 0, 0)");
  }
};

NewSchedule daily(std::int64_t user, std::int64_t next) {
  NewSchedule schedule;
  schedule.user_id = user;
  schedule.name = "morning";
  schedule.kind = ScheduleKind::cron;
  schedule.spec = "0 9 * * *";
  schedule.tz = "Europe/Berlin";
  schedule.payload = R"({"topics":["Bread"]})";
  schedule.next_run_at = next;
  return schedule;
}

} // namespace

TEST_CASE("a schedule is stored and read back by its owner only", "[schedules]") {
  TempStore store;
  ScheduleRepository schedules(store.db);
  const auto id = schedules.insert(daily(1, 5000), 1000);
  const auto found = schedules.find(id, 1);
  REQUIRE(found);
  CHECK(found->name == "morning");
  CHECK(found->kind == ScheduleKind::cron);
  CHECK(found->spec == "0 9 * * *");
  CHECK(found->tz == "Europe/Berlin");
  CHECK(found->payload == R"({"topics":["Bread"]})");
  CHECK(found->enabled);
  CHECK_FALSE(found->catch_up);
  CHECK(found->next_run_at == 5000);
  CHECK_FALSE(found->last_run_at);
  CHECK(found->created_at == 1000);
  CHECK_FALSE(schedules.find(id, 2));
  CHECK(schedules.list(1).size() == 1);
  CHECK(schedules.list(2).empty());
}

TEST_CASE("due lists the owner's enabled schedules whose time has come, earliest first", "[schedules]") {
  TempStore store;
  ScheduleRepository schedules(store.db);
  const auto later = schedules.insert(daily(1, 3000), 0);
  const auto sooner = schedules.insert(daily(1, 2000), 0);
  (void)schedules.insert(daily(1, 9000), 0); // not yet
  (void)schedules.insert(daily(2, 1000), 0); // bob's
  const auto paused = schedules.insert(daily(1, 1000), 0);
  REQUIRE(schedules.set_enabled(paused, false, 1000, 0));
  const auto due = schedules.due(1, 3000);
  REQUIRE(due.size() == 2);
  CHECK(due[0].id == sooner);
  CHECK(due[1].id == later);
}

TEST_CASE("an occurrence is claimed once, also through a second connection", "[schedules]") {
  TempStore store;
  ScheduleRepository schedules(store.db);
  const auto id = schedules.insert(daily(1, 5000), 0);
  CHECK(schedules.claim(id, 5000, RunStatus::queued, 10));
  CHECK_FALSE(schedules.claim(id, 5000, RunStatus::queued, 11));
  Database other = Database::open(store.dir / "blogen.db");
  CHECK_FALSE(ScheduleRepository(other).claim(id, 5000, RunStatus::skipped, 12));
  CHECK(schedules.claim(id, 6000, RunStatus::skipped, 13));
  schedules.record(id, 5000, RunStatus::failed, std::nullopt, std::nullopt, "provider gone");
  const auto runs = schedules.runs(id, 10);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].occurrence_at == 6000); // newest first
  CHECK(runs[0].status == RunStatus::skipped);
  CHECK(runs[1].status == RunStatus::failed);
  CHECK(runs[1].error == "provider gone");
  CHECK_FALSE(runs[1].job_id);
}

TEST_CASE("advance moves a schedule on only from the next occurrence it expects", "[schedules]") {
  TempStore store;
  ScheduleRepository schedules(store.db);
  const auto id = schedules.insert(daily(1, 5000), 0);
  ScheduleAdvance advance;
  advance.next_run_at = 9000;
  advance.last_run_at = 5000;
  advance.topics_cursor = 1;
  CHECK(schedules.advance(id, 5000, advance, 100));
  CHECK_FALSE(schedules.advance(id, 5000, advance, 101)); // a second process read the old next_run_at
  auto found = schedules.find(id, 1);
  CHECK(found->next_run_at == 9000);
  CHECK(found->last_run_at == 5000);
  CHECK(found->topics_cursor == 1);
  ScheduleAdvance done;
  done.enabled = false;
  done.topics_cursor = 2;
  CHECK(schedules.advance(id, 9000, done, 102)); // a one-shot: no next occurrence
  found = schedules.find(id, 1);
  CHECK_FALSE(found->enabled);
  CHECK_FALSE(found->next_run_at);
  CHECK(found->last_run_at == 5000); // kept when not given
  CHECK(schedules.advance(id, std::nullopt, done, 103));
}

TEST_CASE("removing a schedule removes its runs", "[schedules]") {
  TempStore store;
  ScheduleRepository schedules(store.db);
  const auto id = schedules.insert(daily(1, 5000), 0);
  REQUIRE(schedules.claim(id, 5000, RunStatus::queued, 1));
  CHECK(schedules.remove(id));
  CHECK_FALSE(schedules.remove(id));
  CHECK(schedules.runs(id, 10).empty());
}

TEST_CASE("runner sessions never expire and are listed with the user's active sessions", "[sessions]") {
  TempStore store;
  SessionRepository sessions(store.db);
  TokenHash login{};
  login.fill(1);
  TokenHash runner{};
  runner.fill(2);
  (void)sessions.insert(1, login, 10, 1000);
  const auto runner_id = sessions.insert(1, runner, 20, k_never_expires, SessionKind::runner);
  CHECK(sessions.find_by_hash(runner)->kind == SessionKind::runner);
  CHECK(sessions.find_by_hash(login)->kind == SessionKind::login);
  CHECK(sessions.active_of_user(1, 500).size() == 2);
  const auto later = sessions.active_of_user(1, 5'000'000'000'000);
  REQUIRE(later.size() == 1);
  CHECK(later[0].id == runner_id);
  CHECK(sessions.revoke(runner_id, 30));
  CHECK(sessions.active_of_user(1, 500).size() == 1);
}
