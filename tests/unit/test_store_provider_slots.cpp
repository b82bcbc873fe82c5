// Provider limits kept in the store (issue 16 item 14): slots for calls in flight and the minute window of call
// starts, shared by every connection (so every process) on the store; a vanished process's slots come back.
#include <blogen/core/process.hpp>
#include <blogen/store/database.hpp>
#include <blogen/store/provider_slot_repository.hpp>

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace std::chrono_literals;
using blogen::store::Database;
using blogen::store::ProviderSlotRepository;

namespace {

constexpr blogen::TimestampMs k_t0 = 1'700'000'000'000;
constexpr blogen::TimestampMs k_lease = 600'000;

struct TwoConnections {
  blogen::testing::TempDir dir{"blogen-slots"};
  Database a = Database::open(dir / "blogen.db");
  Database b = Database::open(dir / "blogen.db");
};

} // namespace

TEST_CASE("provider slots: concurrency is shared by every connection and freed on release", "[slots]") {
  TwoConnections store;
  ProviderSlotRepository a(store.a);
  ProviderSlotRepository b(store.b);
  const auto first = a.claim("fake", "host:1:1", 2, 0, k_t0, k_t0 + k_lease);
  const auto second = b.claim("fake", "host:2:1", 2, 0, k_t0, k_t0 + k_lease);
  REQUIRE(first.slot);
  REQUIRE(second.slot);
  const auto third = a.claim("fake", "host:1:1", 2, 0, k_t0, k_t0 + k_lease);
  CHECK_FALSE(third.slot);
  CHECK(third.window_wait == 0ms); // full for concurrency: nobody knows when a slot frees
  CHECK(b.claim("other", "host:2:1", 2, 0, k_t0, k_t0 + k_lease).slot); // limits are per provider
  b.release(*first.slot);
  CHECK(b.claim("fake", "host:2:1", 2, 0, k_t0, k_t0 + k_lease).slot);
}

TEST_CASE("provider slots: one claim takes as many slots as wanted and free, one only under a minute limit",
          "[slots]") {
  TwoConnections store;
  ProviderSlotRepository a(store.a);
  ProviderSlotRepository b(store.b);
  REQUIRE(b.claim("fake", "host:2:1", 5, 0, k_t0, k_t0 + k_lease).slot);
  const auto three = a.claim("fake", "host:1:1", 5, 0, k_t0, k_t0 + k_lease, 3);
  REQUIRE(three.slot);
  CHECK(three.more.size() == 2);
  const auto rest = a.claim("fake", "host:1:1", 5, 0, k_t0, k_t0 + k_lease, 8); // only one is left
  REQUIRE(rest.slot);
  CHECK(rest.more.empty());
  CHECK_FALSE(b.claim("fake", "host:2:1", 5, 0, k_t0, k_t0 + k_lease).slot); // the five are taken
  for (const auto slot : three.more)
    a.release(slot);
  const auto again = b.claim("fake", "host:2:1", 5, 0, k_t0, k_t0 + k_lease, 4);
  REQUIRE(again.slot);
  CHECK(again.more.size() == 1); // the two released ones

  const auto limited = a.claim("rated", "host:1:1", 5, 10, k_t0, k_t0 + k_lease, 4);
  REQUIRE(limited.slot);
  CHECK(limited.more.empty()); // each start is recorded by a claim of its own
}

TEST_CASE("provider slots: the minute window counts starts across connections", "[slots]") {
  TwoConnections store;
  ProviderSlotRepository a(store.a);
  ProviderSlotRepository b(store.b);
  for (int i = 0; i < 3; ++i) {
    const auto claim = (i % 2 == 0 ? a : b).claim("fake", "host:1:1", 10, 3, k_t0 + i * 1000, k_t0 + k_lease);
    REQUIRE(claim.slot);
    (i % 2 == 0 ? a : b).release(*claim.slot); // released at once: only the window can refuse now
  }
  const auto refused = a.claim("fake", "host:1:1", 10, 3, k_t0 + 10'000, k_t0 + k_lease);
  CHECK_FALSE(refused.slot);
  CHECK(refused.window_wait == 50'000ms); // the first start leaves the window at k_t0 + 60 s
  CHECK_FALSE(b.claim("fake", "host:1:1", 10, 3, k_t0 + 59'999, k_t0 + k_lease).slot);
  CHECK(b.claim("fake", "host:1:1", 10, 3, k_t0 + 60'000, k_t0 + k_lease).slot);
}

TEST_CASE("provider slots: a slot past its lease is free again, a gone owner's slots can be released", "[slots]") {
  TwoConnections store;
  ProviderSlotRepository a(store.a);
  REQUIRE(a.claim("fake", "elsewhere:7:7", 1, 0, k_t0, k_t0 + 1000).slot);
  CHECK_FALSE(a.claim("fake", "here:8:8", 1, 0, k_t0 + 999, k_t0 + k_lease).slot);
  CHECK(a.claim("fake", "here:8:8", 1, 0, k_t0 + 1000, k_t0 + k_lease).slot); // the lease ended
  CHECK(a.owners("fake") == std::vector<std::string>{"here:8:8"});
  CHECK(a.release_owner("here:8:8") == 1);
  CHECK(a.owners("fake").empty());
}

TEST_CASE("process tags: this process is alive, a dead pid or another host's process is told apart", "[slots]") {
  const auto self = blogen::process::self_tag();
  CHECK_FALSE(blogen::process::is_gone(self));
  const auto host = self.substr(0, self.find(':'));
  const auto pid_end = self.rfind(':');
  const auto mine = self.substr(0, pid_end);
  CHECK(blogen::process::is_gone(mine + ":1")); // same pid, another start time: the pid was reused
  CHECK(blogen::process::is_gone(host + ":999999999:5"));
  CHECK_FALSE(blogen::process::is_gone("some-other-host:999999999:5")); // only its lease can tell
  CHECK_FALSE(blogen::process::is_gone("garbage"));
}
