#include "group_commit.hpp"

#include <utility>

namespace blogen::jobs::detail {
namespace {

bool is_busy(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return store::is_busy(e);
  } catch (...) {
    return false;
  }
}

void forget_outcome(WriterRequest& request) {
  request.cancel_requested = false;
  request.held = false;
  request.next.reset();
  request.claimed = false;
}

} // namespace

GroupCommit::GroupCommit(std::filesystem::path store_path, Clock& clock, std::chrono::milliseconds lease,
                         store::ClaimScope scope)
    : m_store_path(std::move(store_path)), m_clock(clock), m_lease(lease), m_scope(std::move(scope)) {}

void GroupCommit::record(WriterRequest& request) {
  std::unique_lock lock(m_mutex);
  request.m_done = false;
  m_waiting.push_back(&request);
  while (!request.m_done) {
    if (m_leading) {
      request.m_woken.wait(lock);
      continue;
    }
    // No transaction is open, so nobody has taken this request: lead a group of everything waiting.
    m_leading = true;
    std::vector<WriterRequest*> group;
    group.swap(m_waiting);
    lock.unlock();
    commit_group(group);
    lock.lock();
    // Only the threads with something to do are woken: the group's members, and one waiting request to lead the
    // next group (it takes all the others along). Waking every waiting worker at each commit sent each through the
    // scheduler only to find its request still waiting (3 000 posts at concurrency 64: 33 000 voluntary context
    // switches, 30 000 now). Notified under the lock: a woken request cannot return, and take its condition
    // variable with it, before the notification is over.
    for (WriterRequest* member : group) {
      member->m_done = true;
      member->m_woken.notify_one();
    }
    m_leading = false;
    if (!m_waiting.empty()) m_waiting.front()->m_woken.notify_one();
  }
}

std::size_t GroupCommit::waiting() const {
  std::lock_guard lock(m_mutex);
  return m_waiting.size();
}

// Every member is recorded or carries its error. A member whose own writes fail is taken out and the transaction is
// run again without it (its writes may have broken the transaction as a whole, so a savepoint is not trusted to
// undo them): one bad result never costs the others theirs.
void GroupCommit::commit_group(std::vector<WriterRequest*> group) noexcept {
  while (!group.empty()) {
    std::optional<std::size_t> failing;
    try {
      if (!m_db) m_db.emplace(store::Database::open(m_store_path));
      store::JobRepository jobs(*m_db);
      store::WriteTransaction transaction(*m_db);
      for (std::size_t at = 0; at < group.size(); ++at) {
        failing = at;
        record_one(jobs, *group[at]);
      }
      failing.reset();
      transaction.commit();
      return;
    } catch (...) {
      const bool one_member = failing && !is_busy(std::current_exception());
      for (WriterRequest* member : group)
        forget_outcome(*member);
      if (!one_member) {
        // The store was busy past its timeout, or the transaction itself failed: nothing of the group landed.
        for (WriterRequest* member : group)
          member->error = std::current_exception();
        return;
      }
      group[*failing]->error = std::current_exception();
      group.erase(group.begin() + static_cast<std::ptrdiff_t>(*failing));
    }
  }
}

void GroupCommit::record_one(store::JobRepository& jobs, WriterRequest& request) {
  store::Database& db = *m_db;
  const TimestampMs now = m_clock.now_ms();
  if (request.job == nullptr) {
    // A claim alone: its failure is this request's (the worker decides), not the group's.
    request.next = jobs.claim(request.worker_id, now, m_lease, m_scope);
    request.claimed = true;
    return;
  }
  // A cancel request wins over a result that arrives after it; the calls the attempt made are recorded all the same.
  if (jobs.cancel_requested(request.job->id)) {
    for (const auto& write : *request.journal)
      write(db);
    request.cancel_requested = true;
    return;
  }
  for (const auto& write : *request.journal)
    write(db);
  JobOutcome& outcome = *request.outcome;
  request.held = request.completed
                     ? jobs.complete(request.job->id, request.worker_id, now, outcome.result)
                     : jobs.fail(request.job->id, request.worker_id, now, outcome.error, outcome.error_kind);
  if (request.held && outcome.apply) outcome.apply(db);
  if (!request.held || !request.take_next) return;
  // A failed claim must never cost the finished job its result: it rolls back to its own savepoint, and the worker
  // claims again on its own.
  try {
    request.next = jobs.claim(request.worker_id, now, m_lease, m_scope);
    request.claimed = true;
  } catch (...) { // NOLINT(bugprone-empty-catch): see above
  }
}

} // namespace blogen::jobs::detail
