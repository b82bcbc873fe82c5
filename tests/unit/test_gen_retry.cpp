// Retry policy: back-off arithmetic, the retry loop on a manual clock (never a real sleep), and the loop driving
// the real openai provider against the fake server.

#include <blogen/core/clock.hpp>
#include <blogen/gen/openai_provider.hpp>
#include <blogen/gen/rate_limit_headers.hpp>
#include <blogen/gen/retry.hpp>

#include "support/fake_openai.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <vector>

using blogen::ManualClock;
using blogen::gen::AttemptInfo;
using blogen::gen::ChatResult;
using blogen::gen::ErrorKind;
using blogen::gen::ImageResult;
using blogen::gen::RetryPolicy;
using blogen::gen::run_with_retry;
using blogen::testing::FakeOpenAi;
using blogen::testing::ScriptedReply;
using namespace std::chrono_literals;

namespace {

ChatResult failure(ErrorKind kind, std::optional<std::chrono::milliseconds> retry_after = std::nullopt) {
  ChatResult result;
  result.error = kind;
  result.error_message = std::string(blogen::gen::to_string(kind));
  result.retry_after = retry_after;
  return result;
}

ChatResult success() {
  ChatResult result;
  result.ok = true;
  result.text = "# Done";
  return result;
}

RetryPolicy seeded(int max_attempts = 5) {
  RetryPolicy policy;
  policy.max_attempts = max_attempts;
  policy.jitter_seed = 42;
  return policy;
}

struct Recorded {
  std::vector<AttemptInfo> infos;
  std::vector<ErrorKind> kinds;
};

} // namespace

TEST_CASE("retry: back-off grows exponentially with full jitter and stops at the cap", "[retry]") {
  RetryPolicy policy;
  policy.base_delay = 1000ms;
  policy.max_delay = 60'000ms;
  std::mt19937_64 rng(7);
  bool saw_above_half_ceiling = false;
  for (int retry = 1; retry <= 12; ++retry) {
    const auto ceiling = std::min<std::int64_t>(60'000, 1000LL << (retry - 1));
    for (int sample = 0; sample < 200; ++sample) {
      const auto delay = policy.delay_before_retry(retry, std::nullopt, rng).count();
      REQUIRE(delay >= 0);
      REQUIRE(delay <= ceiling);
      if (retry == 6 && delay > ceiling / 2) saw_above_half_ceiling = true;
    }
  }
  CHECK(saw_above_half_ceiling); // jitter spreads over the whole range, not just the bottom
  CHECK(policy.delay_before_retry(1000, std::nullopt, rng) <= 60'000ms); // no overflow for huge retry numbers
}

TEST_CASE("retry: the same seed gives the same delays", "[retry]") {
  const auto policy = seeded();
  std::mt19937_64 first(policy.jitter_seed);
  std::mt19937_64 second(policy.jitter_seed);
  for (int retry = 1; retry < 6; ++retry)
    CHECK(policy.delay_before_retry(retry, std::nullopt, first) ==
          policy.delay_before_retry(retry, std::nullopt, second));
}

TEST_CASE("retry: Retry-After is a floor, itself capped", "[retry]") {
  RetryPolicy policy;
  policy.max_delay = 10'000ms;
  std::mt19937_64 rng(1);
  for (int i = 0; i < 100; ++i) {
    REQUIRE(policy.delay_before_retry(1, 2000ms, rng) >= 2000ms);
    REQUIRE(policy.delay_before_retry(1, 2000ms, rng) <= 2000ms); // base 1 s: jitter never beats the hint
    REQUIRE(policy.delay_before_retry(3, 3600'000ms, rng) == 10'000ms);
  }
}

TEST_CASE("retry: transient failures are retried until success, sleeping on the clock", "[retry]") {
  ManualClock clock;
  const auto start = clock.now_ms();
  Recorded recorded;
  int calls = 0;
  const auto result = run_with_retry(
      seeded(), clock, {},
      [&](int attempt) {
        REQUIRE(attempt == ++calls);
        if (attempt == 1) return failure(ErrorKind::server);
        if (attempt == 2) return failure(ErrorKind::timeout);
        if (attempt == 3) return failure(ErrorKind::malformed_response);
        return success();
      },
      [&](const ChatResult& attempt_result, const AttemptInfo& info) {
        recorded.infos.push_back(info);
        recorded.kinds.push_back(attempt_result.error);
      });
  REQUIRE(result.ok);
  CHECK(result.attempts == 4);
  CHECK(calls == 4);
  REQUIRE(recorded.infos.size() == 4);
  std::chrono::milliseconds announced{0};
  for (int i = 0; i < 3; ++i) {
    CHECK(recorded.infos[i].attempt == i + 1);
    CHECK(recorded.infos[i].will_retry);
    announced += recorded.infos[i].delay;
  }
  CHECK_FALSE(recorded.infos[3].will_retry);
  CHECK(recorded.infos[3].delay == 0ms);
  CHECK(clock.total_slept() == announced); // it slept exactly what it announced, on the injected clock
  CHECK(clock.now_ms() - start == announced.count());
}

TEST_CASE("retry: permanent failures stop at once", "[retry]") {
  for (const auto kind :
       {ErrorKind::auth, ErrorKind::bad_request, ErrorKind::not_found_model, ErrorKind::quota, ErrorKind::cancelled}) {
    ManualClock clock;
    int calls = 0;
    const auto result = run_with_retry(seeded(), clock, {}, [&](int) {
      ++calls;
      return failure(kind);
    });
    CHECK(calls == 1);
    CHECK(result.attempts == 1);
    CHECK(result.error == kind);
    CHECK(clock.total_slept() == 0ms);
  }
}

TEST_CASE("retry: attempts run out and the last failure is returned", "[retry]") {
  ManualClock clock;
  int calls = 0;
  const auto result = run_with_retry(seeded(3), clock, {}, [&](int) {
    ++calls;
    return failure(ErrorKind::rate_limited);
  });
  CHECK(calls == 3);
  CHECK(result.attempts == 3);
  CHECK(result.error == ErrorKind::rate_limited);
}

TEST_CASE("retry: a stop request ends the waiting and reports cancelled", "[retry]") {
  ManualClock clock;
  std::stop_source stop;
  int calls = 0;
  const auto result = run_with_retry(
      seeded(), clock, stop.get_token(),
      [&](int) {
        ++calls;
        return failure(ErrorKind::server, 30'000ms);
      },
      [&](const ChatResult&, const AttemptInfo&) { stop.request_stop(); });
  CHECK(calls == 1);
  CHECK(result.error == ErrorKind::cancelled);
  CHECK_THAT(result.error_message, Catch::Contains("server"));
  CHECK(clock.total_slept() < 30'000ms);
}

TEST_CASE("retry: the image overload retries the same way", "[retry]") {
  ManualClock clock;
  int calls = 0;
  const auto result = run_with_retry(seeded(), clock, {}, [&](int) {
    ImageResult image;
    if (++calls < 3) {
      image.error = ErrorKind::connection;
      return image;
    }
    image.ok = true;
    image.bytes = "png";
    return image;
  });
  CHECK(result.ok);
  CHECK(result.attempts == 3);
}

TEST_CASE("rate-limit headers: Retry-After seconds and HTTP dates", "[retry]") {
  using blogen::gen::parse_retry_after;
  const blogen::TimestampMs now = 1'445'412'480'000; // Wed, 21 Oct 2015 07:28:00 GMT
  CHECK(parse_retry_after("2", now) == 2000ms);
  CHECK(parse_retry_after(" 1.5 ", now) == 1500ms);
  CHECK(parse_retry_after("0", now) == 0ms);
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now) == 30'000ms);
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now) == 0ms); // in the past: retry now
  CHECK_FALSE(parse_retry_after("soon", now));
  CHECK_FALSE(parse_retry_after("-3", now));
  CHECK_FALSE(parse_retry_after("", now));
}

TEST_CASE("rate-limit headers: Go durations from x-ratelimit-reset-*", "[retry]") {
  using blogen::gen::parse_reset_duration;
  CHECK(parse_reset_duration("1s") == 1000ms);
  CHECK(parse_reset_duration("6m0s") == 360'000ms);
  CHECK(parse_reset_duration("20ms") == 20ms);
  CHECK(parse_reset_duration("12m3.5s") == 723'500ms);
  CHECK(parse_reset_duration("0.5s") == 500ms);
  CHECK(parse_reset_duration("250us") == 1ms); // rounded up: never retry early
  CHECK(parse_reset_duration("7") == 7000ms);
  CHECK_FALSE(parse_reset_duration("1m5"));
  CHECK_FALSE(parse_reset_duration("abc"));
  CHECK_FALSE(parse_reset_duration("5d"));
}

TEST_CASE("rate-limit headers: precedence of the hints", "[retry]") {
  using blogen::gen::retry_after_from_headers;
  CHECK(retry_after_from_headers({{"retry-after-ms", "120"}, {"retry-after", "9"}}, 0) == 120ms);
  CHECK(retry_after_from_headers({{"retry-after", "9"}, {"x-ratelimit-reset-requests", "1s"}}, 0) == 9000ms);
  CHECK(retry_after_from_headers({{"x-ratelimit-reset-requests", "1s"}, {"x-ratelimit-reset-tokens", "20ms"}}, 0) ==
        1000ms);
  CHECK(retry_after_from_headers({{"x-ratelimit-reset-requests", "1s"},
                                  {"x-ratelimit-reset-tokens", "20ms"},
                                  {"x-ratelimit-remaining-tokens", "0"}},
                                 0) == 20ms);
  CHECK_FALSE(retry_after_from_headers({}, 0));
}

TEST_CASE("rate-limit headers: absurd waits are capped at 15 minutes, negative and non-numbers ignored", "[retry]") {
  // Issue 16 item 9: these once reached an undefined double-to-integer cast (or a wait of days).
  using blogen::gen::k_max_server_wait;
  using blogen::gen::parse_reset_duration;
  using blogen::gen::parse_retry_after;
  using blogen::gen::retry_after_from_headers;
  REQUIRE(k_max_server_wait == 900'000ms);
  const std::string huge(400, '9'); // 1e400 seconds: infinity as a double
  CHECK(parse_retry_after(huge, 0) == k_max_server_wait);
  CHECK(parse_retry_after("86400", 0) == k_max_server_wait);
  CHECK(parse_retry_after("899.5", 0) == 899'500ms);
  CHECK(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", 0) == k_max_server_wait);
  CHECK(parse_reset_duration(huge + "h") == k_max_server_wait);
  CHECK(parse_reset_duration("20000h") == k_max_server_wait);
  CHECK(retry_after_from_headers({{"retry-after-ms", huge}}, 0) == k_max_server_wait);
  CHECK(retry_after_from_headers({{"retry-after-ms", "1e9"}, {"retry-after", "3"}}, 0) == 3000ms); // not a number
  CHECK(retry_after_from_headers({{"x-ratelimit-reset-tokens", huge + "s"}}, 0) == k_max_server_wait);
  CHECK_FALSE(retry_after_from_headers({{"retry-after", "-5"}}, 0));
  CHECK_FALSE(retry_after_from_headers({{"retry-after", "inf"}, {"retry-after-ms", "nan"}}, 0));
}

// The loop and the real provider together, over HTTP.
namespace {

struct ProviderFixture {
  ProviderFixture() {
    fake.start();
    config.name = "fake";
    config.kind = "openai";
    config.base_url = fake.base_url();
    config.model = "fake-gpt";
    config.api_key_env = ""; // the fake needs no key
  }
  ChatResult generate(ManualClock& clock, Recorded* recorded = nullptr) {
    blogen::gen::OpenAiProvider provider(config);
    blogen::gen::ChatRequest request;
    request.messages = {{"user", "Topic: Retries"}};
    request.timeout = 20s;
    return run_with_retry(
        seeded(), clock, {}, [&](int) { return provider.chat(request, {}, {}); },
        [&](const ChatResult& result, const AttemptInfo& info) {
          if (!recorded) return;
          recorded->infos.push_back(info);
          recorded->kinds.push_back(result.error);
        });
  }
  FakeOpenAi fake;
  blogen::gen::ProviderConfig config;
};

} // namespace

TEST_CASE_METHOD(ProviderFixture, "retry + openai: 500, 500, 200 succeeds on the third attempt", "[retry]") {
  fake.enqueue(ScriptedReply::error_reply(500, "oops"));
  fake.enqueue(ScriptedReply::error_reply(500, "oops again"));
  ManualClock clock;
  Recorded recorded;
  const auto result = generate(clock, &recorded);
  REQUIRE(result.ok);
  CHECK(result.attempts == 3);
  CHECK(result.text.rfind("# Retries", 0) == 0);
  CHECK(fake.stats().count("chat") == 3);
  CHECK(recorded.kinds == std::vector<ErrorKind>{ErrorKind::server, ErrorKind::server, ErrorKind::none});
}

TEST_CASE_METHOD(ProviderFixture, "retry + openai: 429 with Retry-After: 2 waits at least two seconds", "[retry]") {
  fake.enqueue(ScriptedReply::rate_limited(2));
  ManualClock clock;
  Recorded recorded;
  const auto result = generate(clock, &recorded);
  REQUIRE(result.ok);
  CHECK(result.attempts == 2);
  REQUIRE(recorded.infos.size() == 2);
  CHECK(recorded.infos[0].delay >= 2000ms);
  CHECK(clock.total_slept() >= 2000ms);
  CHECK(clock.total_slept() == recorded.infos[0].delay);
}

TEST_CASE_METHOD(ProviderFixture, "retry + openai: 401 and 400 fail after one attempt", "[retry]") {
  for (const auto& reply : {ScriptedReply::error_reply(401, "bad key"), ScriptedReply::error_reply(400, "bad")}) {
    fake.reset();
    fake.enqueue(reply);
    ManualClock clock;
    const auto result = generate(clock);
    CHECK_FALSE(result.ok);
    CHECK(result.attempts == 1);
    CHECK(result.error_message == reply.message);
    CHECK(fake.stats().count("chat") == 1);
    CHECK(clock.total_slept() == 0ms);
  }
}

TEST_CASE_METHOD(ProviderFixture, "retry + openai: persistent 503 gives up after max_attempts", "[retry]") {
  fake.fail_when_prompt_contains("Retries", ScriptedReply::error_reply(503, "down"));
  ManualClock clock;
  const auto result = generate(clock);
  CHECK(result.error == ErrorKind::server);
  CHECK(result.attempts == 5);
  CHECK(fake.stats().count("chat") == 5);
}
