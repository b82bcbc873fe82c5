#pragma once
// Admission shared beyond this process. The Governor caps a provider's calls among the threads of one process; a
// SharedAdmission caps them among every process using the same store (app implements it over a store table, so
// gen needs no store). A call takes the process's permit first, then a shared slot.

#include <cstdint>
#include <optional>
#include <stop_token>
#include <utility>

namespace blogen::gen {

/// Slots of one provider that several processes draw from.
class SharedAdmission {
public:
  virtual ~SharedAdmission() = default;
  /// Blocks (sleeping, never spinning) until the shared limits allow one more call; the slot's id, or nullopt when
  /// `stop` is requested first.
  virtual std::optional<std::int64_t> acquire(std::stop_token stop) = 0;
  /// Gives a slot back. Never throws: a slot it cannot free ends with its lease.
  virtual void release(std::int64_t slot) noexcept = 0;
};

/// A held shared slot, released when destroyed.
class SharedSlot {
public:
  SharedSlot() = default;
  SharedSlot(SharedAdmission& admission, std::int64_t slot) : m_admission(&admission), m_slot(slot) {}
  SharedSlot(SharedSlot&& other) noexcept
      : m_admission(std::exchange(other.m_admission, nullptr)), m_slot(other.m_slot) {}
  SharedSlot& operator=(SharedSlot&&) = delete;
  SharedSlot(const SharedSlot&) = delete;
  SharedSlot& operator=(const SharedSlot&) = delete;
  ~SharedSlot() {
    if (m_admission) m_admission->release(m_slot);
  }

private:
  SharedAdmission* m_admission = nullptr;
  std::int64_t m_slot = 0;
};

} // namespace blogen::gen
