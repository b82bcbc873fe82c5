#include "dialect.hpp"
#include "sql.hpp"

#include <blogen/store/schedule_repository.hpp>

#include <array>

namespace blogen::store {
namespace {

constexpr std::array k_kind_names{"cron", "once"};
constexpr std::array k_run_status_names{"queued", "skipped", "failed"};

template <typename Enum, typename Names> Enum parse_name(const Names& names, std::string_view text, Enum fallback) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (text == names[i]) return static_cast<Enum>(i);
  }
  return fallback;
}

constexpr Columns k_columns{"id, user_id, name, kind, spec, tz, payload, catch_up, enabled, topics_cursor, "
                            "next_run_at, last_run_at, created_at, updated_at"};

Schedule read_schedule(Row& row) {
  return row.read(k_columns, [](Row& r) {
    Schedule schedule;
    schedule.id = r.get<std::int64_t>();
    schedule.user_id = r.get<std::int64_t>();
    schedule.name = r.get<std::string>();
    schedule.kind = parse_name(k_kind_names, r.get<std::string>(), ScheduleKind::cron);
    schedule.spec = r.get<std::string>();
    schedule.tz = r.get<std::string>();
    schedule.payload = r.get<std::string>();
    schedule.catch_up = r.get<bool>();
    schedule.enabled = r.get<bool>();
    schedule.topics_cursor = r.get<std::int64_t>();
    schedule.next_run_at = r.get<std::optional<std::int64_t>>();
    schedule.last_run_at = r.get<std::optional<std::int64_t>>();
    schedule.created_at = r.get<std::int64_t>();
    schedule.updated_at = r.get<std::int64_t>();
    return schedule;
  });
}

constexpr Columns k_run_columns{"id, schedule_id, occurrence_at, status, job_id, batch_id, error, created_at"};

ScheduleRun read_run(Row& row) {
  return row.read(k_run_columns, [](Row& r) {
    ScheduleRun run;
    run.id = r.get<std::int64_t>();
    run.schedule_id = r.get<std::int64_t>();
    run.occurrence_at = r.get<std::int64_t>();
    run.status = parse_name(k_run_status_names, r.get<std::string>(), RunStatus::failed);
    run.job_id = r.get<std::optional<std::int64_t>>();
    run.batch_id = r.get<std::optional<std::int64_t>>();
    run.error = r.get<std::optional<std::string>>().value_or("");
    run.created_at = r.get<std::int64_t>();
    return run;
  });
}

} // namespace

std::string_view to_string(ScheduleKind kind) { return k_kind_names.at(static_cast<std::size_t>(kind)); }

std::string_view to_string(RunStatus status) { return k_run_status_names.at(static_cast<std::size_t>(status)); }

std::int64_t ScheduleRepository::insert(const NewSchedule& schedule, TimestampMs now) {
  Statement insert(m_db, R"sql(
    INSERT INTO schedules(user_id, name, kind, spec, tz, payload, catch_up, next_run_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  bind_all(insert, schedule.user_id, schedule.name, to_string(schedule.kind), schedule.spec, schedule.tz,
           schedule.payload, schedule.catch_up, schedule.next_run_at, now, now);
  insert.exec();
  return dialect::last_insert_id(m_db);
}

std::optional<Schedule> ScheduleRepository::find(std::int64_t schedule_id, std::int64_t user_id) {
  Statement query(m_db, "SELECT " + k_columns.text() + " FROM schedules WHERE id = ? AND user_id = ?");
  bind_all(query, schedule_id, user_id);
  return first_row(query, read_schedule);
}

std::vector<Schedule> ScheduleRepository::list(std::int64_t user_id) {
  Statement query(m_db, "SELECT " + k_columns.text() + " FROM schedules WHERE user_id = ? ORDER BY created_at, id");
  bind_all(query, user_id);
  return all_rows(query, read_schedule);
}

std::vector<Schedule> ScheduleRepository::due(std::int64_t user_id, TimestampMs now) {
  Statement query(m_db, "SELECT " + k_columns.text() +
                            " FROM schedules WHERE user_id = ? AND enabled = 1 AND next_run_at <= ?"
                            " ORDER BY next_run_at, id");
  bind_all(query, user_id, now);
  return all_rows(query, read_schedule);
}

bool ScheduleRepository::set_enabled(std::int64_t schedule_id, bool enabled, std::optional<TimestampMs> next_run_at,
                                     TimestampMs now) {
  Statement update(m_db, "UPDATE schedules SET enabled = ?, next_run_at = ?, updated_at = ? WHERE id = ?");
  bind_all(update, enabled, next_run_at, now, schedule_id);
  return update.exec() == 1;
}

bool ScheduleRepository::remove(std::int64_t schedule_id) {
  Statement remove(m_db, "DELETE FROM schedules WHERE id = ?");
  bind_all(remove, schedule_id);
  return remove.exec() == 1;
}

bool ScheduleRepository::advance(std::int64_t schedule_id, std::optional<TimestampMs> expected_next,
                                 const ScheduleAdvance& advance, TimestampMs now) {
  // `IS` compares NULL with NULL as equal, so a one-shot that already fired (next_run_at NULL) compares too.
  Statement update(m_db, R"sql(
    UPDATE schedules SET next_run_at = ?, last_run_at = coalesce(?, last_run_at), topics_cursor = ?, enabled = ?,
      updated_at = ? WHERE id = ? AND next_run_at IS NOT DISTINCT FROM ?)sql");
  bind_all(update, advance.next_run_at, advance.last_run_at, advance.topics_cursor, advance.enabled, now, schedule_id,
           expected_next);
  return update.exec() == 1;
}

bool ScheduleRepository::claim(std::int64_t schedule_id, TimestampMs occurrence_at, RunStatus status, TimestampMs now) {
  Statement insert(m_db, R"sql(
    INSERT INTO schedule_runs(schedule_id, occurrence_at, status, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (schedule_id, occurrence_at) DO NOTHING)sql");
  bind_all(insert, schedule_id, occurrence_at, to_string(status), now);
  return insert.exec() == 1;
}

void ScheduleRepository::record(std::int64_t schedule_id, TimestampMs occurrence_at, RunStatus status,
                                std::optional<std::int64_t> job_id, std::optional<std::int64_t> batch_id,
                                std::string_view error) {
  Statement update(m_db, R"sql(
    UPDATE schedule_runs SET status = ?, job_id = ?, batch_id = ?, error = ?
    WHERE schedule_id = ? AND occurrence_at = ?)sql");
  bind_all(update, to_string(status), job_id, batch_id, null_if_empty(error), schedule_id, occurrence_at);
  update.exec();
}

std::vector<ScheduleRun> ScheduleRepository::runs(std::int64_t schedule_id, int limit) {
  Statement query(m_db, "SELECT " + k_run_columns.text() +
                            " FROM schedule_runs WHERE schedule_id = ?"
                            " ORDER BY occurrence_at DESC LIMIT ?");
  bind_all(query, schedule_id, limit);
  return all_rows(query, read_run);
}

} // namespace blogen::store
