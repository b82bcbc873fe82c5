// Progress displays: plain lines without escapes off a terminal, throttled in-place redraws on one, NDJSON.
#include <blogen/term/progress.hpp>

#include <support/text_lines.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace std::chrono_literals;
using blogen::ManualClock;
using blogen::ProgressEvent;
using blogen::ProgressKind;
using blogen::term::LiveProgress;
using blogen::term::ProgressLook;

using blogen::testing::lines_of;

namespace {

ProgressEvent event(ProgressKind kind, std::int64_t job, std::int64_t post = 0, std::string text = {}) {
  ProgressEvent e;
  e.kind = kind;
  e.job_id = job;
  e.post_id = post;
  e.text = std::move(text);
  e.at = 1'700'000'000'000;
  return e;
}

} // namespace

TEST_CASE("without a terminal only started, completed and failed lines are printed, with no escapes") {
  std::ostringstream err;
  blogen::term::LineProgress progress(err);
  progress.on_event(event(ProgressKind::started, 12, 7));
  progress.on_event(event(ProgressKind::delta, 12, 7, "\x1b[2Jtext"));
  progress.on_event(event(ProgressKind::completed, 12, 7));
  progress.on_event(event(ProgressKind::failed, 13, 0, "bad \x1b]0;title\x07 answer\nsecond line"));
  progress.on_event(event(ProgressKind::retrying, 14));
  progress.finish();
  const auto lines = lines_of(err.str());
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "job 12 started (post 7)");
  CHECK(lines[1] == "job 12 completed (post 7)");
  CHECK_THAT(lines[2], Catch::StartsWith("job 13 failed: bad"));
  CHECK(err.str().find('\x1b') == std::string::npos);
  CHECK(err.str().find('\r') == std::string::npos);
}

TEST_CASE("a live bar is redrawn in place at most ten times a second and shows done/total") {
  std::ostringstream err;
  ManualClock clock;
  LiveProgress bar(err, ProgressLook::bar, 50, clock);
  for (int i = 1; i <= 30; ++i)
    bar.on_event(event(ProgressKind::completed, i)); // all in the same instant
  CHECK(bar.redraws() == 1);
  clock.advance(99ms);
  bar.on_event(event(ProgressKind::failed, 31, 0, "x"));
  CHECK(bar.redraws() == 1);
  clock.advance(1ms);
  bar.on_event(event(ProgressKind::completed, 32));
  CHECK(bar.redraws() == 2);
  const std::string drawn = err.str();
  CHECK_THAT(drawn, Catch::Contains("\r\x1b[2K"));
  CHECK_THAT(drawn, Catch::Contains("32/50"));
  CHECK_THAT(drawn, Catch::Contains("failed 1"));
  CHECK_THAT(drawn, Catch::Contains("ETA"));
  CHECK(drawn.find('\n') == std::string::npos); // in place until finished
  bar.finish();
  CHECK_THAT(err.str(), Catch::EndsWith("32/50 done, 1 failed in 0:00\n"));
  bar.finish(); // idempotent
  CHECK(lines_of(err.str()).size() == 1);
}

TEST_CASE("a bar can be fed counts polled from the store") {
  std::ostringstream err;
  ManualClock clock;
  LiveProgress bar(err, ProgressLook::bar, 0, clock);
  blogen::term::ProgressCounts counts;
  counts.total = 8;
  counts.completed = 2;
  counts.running = 3;
  bar.set_counts(counts);
  CHECK_THAT(err.str(), Catch::Contains("[######------------------] 2/8"));
}

TEST_CASE("a spinner shows elapsed time and streamed tokens, sanitising its label") {
  std::ostringstream err;
  ManualClock clock;
  LiveProgress spinner(err, ProgressLook::spinner, 1, clock, "post 7 \x1b[31mred");
  spinner.on_event(event(ProgressKind::started, 3, 7));
  clock.advance(65s);
  auto delta = event(ProgressKind::delta, 3, 7, "Hello");
  delta.tokens = 42;
  spinner.on_event(delta);
  CHECK_THAT(err.str(), Catch::Contains("1:05") && Catch::Contains("42 tokens"));
  CHECK(err.str().find("\x1b[31m") == std::string::npos);
  spinner.finish();
  CHECK_THAT(err.str(), Catch::EndsWith("finished in 1:05 (42 tokens)\n"));
}

TEST_CASE("json progress is one parseable JSON object per line") {
  std::ostringstream err;
  blogen::term::JsonProgress progress(err);
  progress.on_event(event(ProgressKind::started, 1, 2));
  auto delta = event(ProgressKind::delta, 1, 2, "chunk \"quoted\"\n");
  delta.tokens = 3;
  progress.on_event(delta);
  progress.on_event(event(ProgressKind::failed, 1, 2, "boom"));
  const auto lines = lines_of(err.str());
  REQUIRE(lines.size() == 3);
  const auto first = nlohmann::json::parse(lines[0]);
  CHECK(first["event"] == "started");
  CHECK(first["job_id"] == 1);
  CHECK(first["post_id"] == 2);
  CHECK(first["at"] == "2023-11-14T22:13:20Z");
  const auto second = nlohmann::json::parse(lines[1]);
  CHECK(second["text"] == "chunk \"quoted\"\n");
  CHECK(second["tokens"] == 3);
  CHECK(nlohmann::json::parse(lines[2])["text"] == "boom");
}

TEST_CASE("the output settings choose the display") {
  std::ostringstream out;
  std::ostringstream err;
  ManualClock clock;
  auto make = [&](blogen::term::OutputOptions options, bool tty) {
    blogen::term::Output output(options, out, err, tty, tty, 80);
    return blogen::term::make_progress(output, ProgressLook::bar, 1, clock);
  };
  CHECK(dynamic_cast<LiveProgress*>(make({}, true).get()) != nullptr);
  CHECK(dynamic_cast<blogen::term::LineProgress*>(make({}, false).get()) != nullptr);
  CHECK(dynamic_cast<blogen::term::JsonProgress*>(make({.json = true}, true).get()) != nullptr);
  CHECK(dynamic_cast<blogen::term::SilentProgress*>(make({.no_progress = true}, true).get()) != nullptr);
  CHECK(dynamic_cast<blogen::term::SilentProgress*>(make({.no_progress = true}, false).get()) != nullptr);
  CHECK(dynamic_cast<blogen::term::SilentProgress*>(make({.quiet = true}, false).get()) != nullptr);
}
