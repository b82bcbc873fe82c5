// The governor: the concurrency limit under real parallel load against the fake server, the per-minute window on
// a manual clock, cancellation, and the process-wide registry.

#include <blogen/core/clock.hpp>
#include <blogen/gen/builtin_provider.hpp>
#include <blogen/gen/governor.hpp>
#include <blogen/gen/guarded_call.hpp>
#include <blogen/gen/openai_provider.hpp>

#include "support/fake_openai.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

using blogen::ManualClock;
using blogen::gen::Governor;
using blogen::gen::GovernorLimits;
using blogen::testing::FakeOpenAi;
using namespace std::chrono_literals;

namespace {

// Waits (no deadline: ctest's timeout is the backstop) for the condition; no assertion depends on how long it took.
template <typename Condition> void wait_until(Condition condition) {
  while (!condition())
    std::this_thread::sleep_for(1ms);
}

} // namespace

TEST_CASE("governor: 50 parallel requests never exceed the limit, on the server or in the governor", "[governor]") {
  FakeOpenAi fake;
  fake.start();
  fake.set_latency(20ms); // requests overlap, so a broken limit would show
  blogen::gen::ProviderConfig config;
  config.name = "fake";
  config.base_url = fake.base_url();
  config.model = "fake-gpt";
  config.api_key_env = ""; // the fake needs no key
  blogen::gen::OpenAiProvider provider(config);
  Governor governor({4, 0});

  std::atomic<int> ok{0};
  std::atomic<int> no_permit{0};
  std::atomic<int> inside{0};
  std::atomic<int> inside_peak{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 50; ++i)
    workers.emplace_back([&, i] {
      blogen::gen::ChatRequest request;
      request.messages = {{"user", "Topic: post " + std::to_string(i)}};
      const auto permit = governor.acquire();
      if (!permit) ++no_permit; // Catch2 assertions are not thread-safe: count, assert after the join
      const int now = ++inside;
      int peak = inside_peak.load();
      while (now > peak && !inside_peak.compare_exchange_weak(peak, now)) {}
      if (provider.chat(request, {}, {}).ok) ++ok;
      --inside;
    });
  for (auto& worker : workers)
    worker.join();

  CHECK(no_permit == 0);
  CHECK(ok == 50);
  CHECK(fake.stats().count("chat") == 50);
  CHECK(fake.stats().max_in_flight <= 4);
  CHECK(governor.peak_in_flight() <= 4);
  CHECK(inside_peak <= 4);
  CHECK(governor.in_flight() == 0);
  CHECK(governor.granted() == 50);
}

TEST_CASE("governor: try_acquire fails when full and succeeds after a release", "[governor]") {
  Governor governor({2, 0});
  auto first = governor.try_acquire();
  auto second = governor.try_acquire();
  REQUIRE(first);
  REQUIRE(second);
  CHECK_FALSE(governor.try_acquire());
  CHECK(governor.in_flight() == 2);
  first.release();
  first.release(); // idempotent
  CHECK(governor.in_flight() == 1);
  auto third = governor.try_acquire();
  CHECK(third);
  auto moved = std::move(third);
  CHECK_FALSE(third); // NOLINT(bugprone-use-after-move): moved-from permits are empty by contract
  CHECK(moved);
  CHECK(governor.in_flight() == 2);
  { const auto scoped = std::move(moved); }
  CHECK(governor.in_flight() == 1);
}

TEST_CASE("governor: a blocked acquisition gives up when stop is requested", "[governor]") {
  Governor governor({1, 0});
  const auto held = governor.acquire();
  REQUIRE(held);
  std::stop_source stop;
  std::atomic<bool> got{true};
  std::thread waiter([&] { got = static_cast<bool>(governor.acquire(stop.get_token())); });
  stop.request_stop();
  waiter.join();
  CHECK_FALSE(got);
  CHECK(governor.in_flight() == 1);
}

TEST_CASE("governor: a release wakes a waiter even after another waiter was cancelled", "[governor]") {
  Governor governor({1, 0});
  auto held = governor.acquire();
  std::stop_source cancelled;
  std::atomic<bool> first_got{true};
  std::atomic<bool> second_got{false};
  std::thread first([&] { first_got = static_cast<bool>(governor.acquire(cancelled.get_token())); });
  std::thread second([&] { second_got = static_cast<bool>(governor.acquire()); });
  cancelled.request_stop();
  first.join();
  held.release();
  second.join(); // would hang if the release had woken only the cancelled waiter
  CHECK_FALSE(first_got);
  CHECK(second_got);
}

TEST_CASE("governor: raising the limit lets a waiter in", "[governor]") {
  Governor governor({1, 0});
  const auto held = governor.acquire();
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    const auto permit = governor.acquire();
    got = static_cast<bool>(permit);
  });
  governor.set_limits({2, 0});
  waiter.join();
  CHECK(got);
  CHECK(governor.peak_in_flight() == 2);
}

TEST_CASE("governor: requests per minute form a sliding window on the clock", "[governor]") {
  ManualClock clock;
  Governor governor({10, 3}, clock);
  const auto start = clock.now_ms();
  governor.acquire().release();
  clock.advance(20s);
  governor.acquire().release();
  clock.advance(20s);
  governor.acquire().release();
  CHECK(clock.total_slept() == 0ms);
  CHECK_FALSE(governor.try_acquire()); // three starts in the last 40 s

  governor.acquire().release(); // must wait until the first start leaves the window at start + 60 s
  CHECK(clock.total_slept() == 20s);
  CHECK(clock.now_ms() - start == 60'000);
  governor.acquire().release(); // the second start leaves at start + 80 s
  CHECK(clock.now_ms() - start == 80'000);
  CHECK(governor.granted() == 5);
}

TEST_CASE("governor: without a per-minute limit nothing waits", "[governor]") {
  ManualClock clock;
  Governor governor({4, 0}, clock);
  for (int i = 0; i < 1000; ++i)
    governor.acquire().release();
  CHECK(clock.total_slept() == 0ms);
}

// A clock that never moves on its own: its sleep asks the waiting caller to stop, as Ctrl-C would mid-wait.
class StoppingClock final : public blogen::Clock {
public:
  explicit StoppingClock(std::stop_source& stop) : m_stop(stop) {}
  [[nodiscard]] blogen::TimestampMs now_ms() const override { return 1'000'000; }
  void sleep_for(std::chrono::milliseconds) override {
    ++m_sleeps;
    m_stop.request_stop();
  }
  int m_sleeps = 0;

private:
  std::stop_source& m_stop;
};

TEST_CASE("governor: a stop request ends a wait for the minute window", "[governor]") {
  std::stop_source stop;
  StoppingClock clock(stop);
  Governor governor({4, 1}, clock);
  governor.acquire().release();
  CHECK_FALSE(governor.acquire(stop.get_token()));
  CHECK(clock.m_sleeps == 1);
  CHECK(governor.granted() == 1);
}

TEST_CASE("governor: concurrent acquirers on a full window each wait their turn", "[governor]") {
  ManualClock manual;
  Governor governor({8, 2}, manual);
  std::vector<std::thread> threads;
  std::atomic<int> granted{0};
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      if (governor.acquire()) ++granted;
    });
  for (auto& thread : threads)
    thread.join();
  CHECK(granted == 4);
  // Four starts at two per minute: the last two began at least a minute after the first two.
  CHECK(manual.total_slept() >= 60s);
  CHECK(governor.granted() == 4);
}

TEST_CASE("a guarded provider owns its governor and takes limits and attempts from its configuration", "[governor]") {
  auto config = blogen::gen::builtin_provider_config();
  config.max_concurrency = 3;
  config.requests_per_minute = 100;
  ManualClock clock;
  blogen::gen::GuardedProvider first(std::make_shared<blogen::gen::BuiltinProvider>(config), clock);
  blogen::gen::GuardedProvider second(std::make_shared<blogen::gen::BuiltinProvider>(config), clock);
  CHECK(first.governor().limits().max_concurrency == 3);
  CHECK(first.governor().limits().requests_per_minute == 100);
  CHECK(&first.governor() != &second.governor()); // no process-wide registry: each owner has its own

  blogen::gen::ChatRequest request;
  request.messages = {{"user", "Topic: Guarded builtin"}};
  int observed = 0;
  const auto result =
      first.chat(request, {}, {}, [&](const blogen::gen::ChatResult&, const blogen::gen::AttemptInfo& info) {
        ++observed;
        CHECK(info.max_attempts == 1); // the builtin config never retries
      });
  CHECK(result.ok);
  CHECK(observed == 1);
  CHECK(first.governor().granted() == 1);
  CHECK(second.governor().granted() == 0);
  blogen::gen::ImageRequest image;
  image.prompt = "a card";
  CHECK(first.image(image, {}).ok);
  CHECK(first.governor().granted() == 2);

  const auto held = first.governor().acquire();
  const auto held_more = first.governor().acquire();
  const auto held_last = first.governor().acquire(); // all three slots taken: the next call waits until stopped
  std::stop_source stop;
  stop.request_stop();
  CHECK(first.chat(request, {}, stop.get_token()).error == blogen::gen::ErrorKind::cancelled);
}

TEST_CASE("guarded calls retry through the governor and hold a permit only while an attempt runs", "[governor]") {
  FakeOpenAi fake;
  fake.start();
  fake.enqueue(blogen::testing::ScriptedReply::error_reply(500, "try again"));
  fake.enqueue(blogen::testing::ScriptedReply::rate_limited(1));
  blogen::gen::ProviderConfig config;
  config.name = "fake";
  config.base_url = fake.base_url();
  config.model = "fake-gpt";
  config.image_model = "fake-image";
  config.api_key_env = ""; // the fake needs no key
  blogen::gen::OpenAiProvider provider(config);
  ManualClock clock;
  Governor governor({1, 0});
  auto retry = blogen::gen::RetryPolicy::from_config(config);
  retry.jitter_seed = 3;
  const blogen::gen::CallGuards guards{governor, retry, clock};

  std::vector<int> in_flight_seen;
  blogen::gen::ChatRequest request;
  request.messages = {{"user", "Topic: Guarded"}};
  const auto result = blogen::gen::guarded_chat(
      provider, guards, request, {}, {}, [&](const blogen::gen::ChatResult&, const blogen::gen::AttemptInfo&) {
        in_flight_seen.push_back(governor.in_flight()); // observed between attempts: the permit is back
      });
  REQUIRE(result.ok);
  CHECK(result.attempts == 3);
  CHECK(governor.granted() == 3);
  CHECK(in_flight_seen == std::vector<int>{0, 0, 0});
  CHECK(clock.total_slept() >= 1s);

  blogen::gen::ImageRequest image;
  image.prompt = "a guarded image";
  CHECK(blogen::gen::guarded_image(provider, guards, image, {}).ok);

  const auto held = governor.acquire(); // no slot left: the next call waits until stopped
  std::stop_source stop;
  stop.request_stop();
  const auto cancelled = blogen::gen::guarded_chat(provider, guards, request, {}, stop.get_token());
  CHECK(cancelled.error == blogen::gen::ErrorKind::cancelled);
  CHECK(fake.stats().count("chat") == 3);
}
