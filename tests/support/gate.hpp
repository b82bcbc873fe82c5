#pragma once
// A one-way gate between test threads: one thread waits until another opens it. No deadline: a test that never
// opens it hangs under ctest's timeout instead of passing or failing by timing.

#include <condition_variable>
#include <mutex>

namespace blogen::testing {

class Gate {
public:
  void release() {
    std::lock_guard lock(m_mutex);
    m_open = true;
    m_changed.notify_all();
  }
  void wait() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_open; });
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_changed;
  bool m_open = false;
};

} // namespace blogen::testing
