// StoreAdmission (issue 16 item 14): a provider's slots shared by connections, as by processes, on one store.
#include <blogen/core/clock.hpp>
#include <blogen/core/process.hpp>
#include <blogen/store/database.hpp>
#include <blogen/store/provider_slot_repository.hpp>

#include "app/store_admission.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <thread>

using namespace std::chrono_literals;
using blogen::SystemClock;
using blogen::app::StoreAdmission;
using blogen::store::Database;

namespace {

struct Store {
  blogen::testing::TempDir dir{"blogen-admission"};
  std::filesystem::path file = dir / "blogen.db";
  StoreAdmission admission(int concurrency, std::chrono::milliseconds linger = StoreAdmission::k_linger) {
    return StoreAdmission(Database::open(file), "fake", {concurrency, 0}, 600s, SystemClock::instance(), linger);
  }
};

} // namespace

TEST_CASE("store admission: two admissions on one store share the concurrency", "[admission]") {
  Store store;
  auto first = store.admission(2);
  auto second = store.admission(2);
  const auto a = first.acquire({});
  const auto b = second.acquire({});
  REQUIRE(a);
  REQUIRE(b);
  // The third waits for a release by the other admission (another process, in production).
  auto third = std::async(std::launch::async, [&] { return first.acquire({}); });
  CHECK(third.wait_for(200ms) == std::future_status::timeout);
  second.release(*b);
  CHECK(third.get().has_value());
}

TEST_CASE("store admission: a stop request ends the wait empty-handed", "[admission]") {
  Store store;
  auto only = store.admission(1);
  REQUIRE(only.acquire({}));
  std::stop_source stop;
  auto waiting = std::async(std::launch::async, [&] { return only.acquire(stop.get_token()); });
  stop.request_stop();
  CHECK_FALSE(waiting.get().has_value());
}

TEST_CASE("store admission: the slots of a process that is gone are taken over at once", "[admission]") {
  Store store;
  const auto self = blogen::process::self_tag();
  const auto dead = self.substr(0, self.find(':')) + ":999999999:5"; // this host, a pid that does not run
  auto db = Database::open(store.file);
  REQUIRE(blogen::store::ProviderSlotRepository(db)
              .claim("fake", dead, 1, 0, SystemClock::instance().now_ms(), SystemClock::instance().now_ms() + 3'600'000)
              .slot);
  auto admission = store.admission(1);
  CHECK(admission.acquire({}).has_value()); // without reclaiming, this waits for the hour-long lease
  CHECK(blogen::store::ProviderSlotRepository(db).owners("fake") == std::vector<std::string>{self});
}

TEST_CASE("store admission: a released slot is taken over by the next call of this process without a store write",
          "[admission]") {
  Store store;
  auto admission = store.admission(1, 1h); // parked until the admission ends
  const auto first = admission.acquire({});
  REQUIRE(first);
  admission.release(*first);
  auto db = Database::open(store.file);
  // Parked: still held in the store (no write freed it), and the next acquire takes the same slot.
  CHECK(blogen::store::ProviderSlotRepository(db).owners("fake") ==
        std::vector<std::string>{blogen::process::self_tag()});
  const auto second = admission.acquire({});
  REQUIRE(second);
  CHECK(*second == *first);
}

TEST_CASE("store admission: a parked slot is freed for other processes when the admission ends", "[admission]") {
  Store store;
  {
    auto admission = store.admission(1, 1h);
    const auto slot = admission.acquire({});
    REQUIRE(slot);
    admission.release(*slot);
  }
  auto db = Database::open(store.file);
  CHECK(blogen::store::ProviderSlotRepository(db).owners("fake").empty());
}

TEST_CASE("store admission: parked slots are freed for other processes once their linger passes, each of them",
          "[admission]") {
  Store store;
  auto admission = store.admission(2, 20ms);
  const auto first = admission.acquire({});
  const auto second = admission.acquire({});
  REQUIRE(first);
  REQUIRE(second);
  REQUIRE(*first != *second);
  // The second is parked while the reaper already waits for the first one's linger to end: it must be freed too.
  admission.release(*first);
  admission.release(*second);
  auto db = Database::open(store.file);
  blogen::store::ProviderSlotRepository slots(db);
  // Waits for the reaper (no timing is asserted: the deadline only keeps a broken reaper from hanging the test).
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!slots.owners("fake").empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  CHECK(slots.owners("fake").empty());
}
