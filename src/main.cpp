#include <blogen/cli/run.hpp>

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace {

// Start-up (#18): a command's heap used to arrive one page fault at a time, 80 of the 300 faults of `blog show`, and
// a fault costs 15-35 us on the virtual machines measured: a read command spent more time faulting its heap in than
// SQLite spent finding the post. So the heap grows in 384 KB steps, and the first step is backed by the kernel in
// one call (MADV_POPULATE_WRITE, Linux 5.14; older kernels refuse it and the pages fault in as before): 1.5 us a
// page instead of a fault each. The price: half a MB of resident memory per process, and glibc no longer moves
// its 128 KB mmap threshold by itself (setting M_TOP_PAD or M_TRIM_THRESHOLD turns that off).
void populate_heap() {
  constexpr int k_heap_step = 384 * 1024;
  mallopt(M_TOP_PAD, k_heap_step); // NOLINT(concurrency-mt-unsafe): called before any thread starts
  // Freeing the probe below must not hand the populated pages straight back (glibc trims a free top over 128 KB).
  mallopt(M_TRIM_THRESHOLD, 2 * k_heap_step); // NOLINT(concurrency-mt-unsafe)
  // Below the mmap threshold, so it comes from the heap, and larger than what static initialisation left at its
  // top, so the heap grows by a whole step now.
  void* probe = std::malloc(120 * 1024); // NOLINT(cppcoreguidelines-no-malloc): malloc's own heap is the point
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto from = reinterpret_cast<std::uintptr_t>(probe) & ~(page - 1);
  const auto to = reinterpret_cast<std::uintptr_t>(sbrk(0));
  if (probe != nullptr && to > from) madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_WRITE);
  std::free(probe); // NOLINT(cppcoreguidelines-no-malloc)
}

} // namespace

int main(int argc, char** argv) {
  // Four malloc arenas for the whole process instead of up to eight per core: a batch's worker threads allocate and
  // free request and answer text all the time, and each arena keeps what its threads freed (a 10 000-post batch at
  // concurrency 64 peaked at 98 MB with glibc's default). One arena kept it at 52 MB but made every allocation of 64
  // threads take one lock: 15 of the 22 futex calls per post of a batch were that lock's waits and wakes. With four,
  // 10 000 posts at concurrency 64 took 5.7-5.95 s instead of 6.77 (CPU -14%), 1 000 at concurrency 8 0.61 s
  // instead of 0.70 (medians of 5), for 54-55 MB at the peak; eight arenas were no faster and took 58 MB.
  mallopt(M_ARENA_MAX, 4); // NOLINT(concurrency-mt-unsafe): called before any thread starts
  populate_heap();
  return blogen::cli::run(argc, argv);
}
