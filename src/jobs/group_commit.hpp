#pragma once
// Group commit: the results that workers finish at about the same moment are recorded in ONE write transaction, on
// one connection the pool keeps for writing.
//
// Why: the store has one writer at a time, and at latency 0 a batch spent most of its wall time queued for it. Each
// worker's own turn paid a transaction's fixed costs (the lock, the WAL frame headers, the commit) and re-read the
// pages other connections had changed since its last turn, then wrote the same pages again (the job table's and the
// post table's last leaves, the batch's counts, the search index's structure). Recording the waiting results
// together writes each shared page once, and the writing connection's cache stays valid because it made the last
// change itself. Whoever arrives while no transaction is open leads: it takes every result waiting at that moment,
// including its own; the others wait for it, and the next group forms while it commits.

#include <blogen/core/clock.hpp>
#include <blogen/jobs/handler.hpp>
#include <blogen/store/database.hpp>
#include <blogen/store/job_repository.hpp>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace blogen::jobs::detail {

/// What a worker brings to the writer: one finished attempt (completed or failed) to record, and what recording it
/// found; or only a claim (a worker's first job, or its next one after it found none).
struct WriterRequest {
  WriterRequest(const store::Job& finished, JobOutcome& its_outcome, bool is_completed,
                std::vector<DeferredWrite>& its_journal, const std::string& lease_holder)
      : job(&finished), outcome(&its_outcome), completed(is_completed), journal(&its_journal), worker_id(lease_holder) {
  }
  /// Nothing to record: claims a job for `claimer` (take_next is set).
  explicit WriterRequest(const std::string& claimer) : take_next(true), worker_id(claimer) {}

  const store::Job* job = nullptr;               ///< null for a claim alone
  JobOutcome* outcome = nullptr;                 ///< null for a claim alone
  bool completed = true;                         ///< completed (outcome.result) or failed (outcome.error)
  std::vector<DeferredWrite>* journal = nullptr; ///< the deferred writes: they land with the job's new state
  bool take_next = false;                        ///< claim the worker's next job in the same transaction
  const std::string& worker_id;                  ///< the lease holder, who also claims the next job

  bool cancel_requested = false;  ///< a cancel request came first: not finished, only the journal was written
  bool held = false;              ///< the lease was held: the job is completed or failed and `apply` ran
  std::optional<store::Job> next; ///< the job claimed (none pending and due: empty)
  /// The claim for the next job ran and committed, so an empty `next` means there was none to take (false when the
  /// claim was not made: a cancel came first, the lease was lost, or the claim itself failed).
  bool claimed = false;
  /// Set when nothing was recorded: the store was busy (the whole group), or this request's own writes failed
  /// (only this one; the others were recorded without it).
  std::exception_ptr error;

private:
  friend class GroupCommit;
  bool m_done = false;             // guarded by GroupCommit's mutex
  std::condition_variable m_woken; // this request's turn: it is done, or it may lead the next group
};

class GroupCommit {
public:
  GroupCommit(std::filesystem::path store_path, Clock& clock, std::chrono::milliseconds lease, store::ClaimScope scope);

  /// Records `request` with whatever else is waiting; returns when it is committed or has failed (request.error).
  void record(WriterRequest& request);

  /// How many requests wait for the transaction under way to end (they form the next group).
  [[nodiscard]] std::size_t waiting() const;

private:
  void commit_group(std::vector<WriterRequest*> group) noexcept;
  void record_one(store::JobRepository& jobs, WriterRequest& request);

  std::filesystem::path m_store_path;
  Clock& m_clock;
  std::chrono::milliseconds m_lease;
  store::ClaimScope m_scope;

  mutable std::mutex m_mutex;
  std::vector<WriterRequest*> m_waiting;
  bool m_leading = false;
  std::optional<store::Database> m_db; // opened by the first leader; used only by the current one
};

} // namespace blogen::jobs::detail
