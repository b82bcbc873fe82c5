#include <blogen/app/accounts.hpp>
#include <blogen/app/context.hpp>
#include <blogen/app/post_editing.hpp>
#include <blogen/app/post_export.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/core/clock.hpp>
#include <blogen/core/error.hpp>
#include <blogen/store/job_repository.hpp>
#include <blogen/store/post_repository.hpp>

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <functional>

using namespace blogen::app;
using blogen::Error;
using blogen::ErrorCode;

namespace {

ErrorCode code_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::failed;
}

} // namespace

TEST_CASE("slugify keeps ASCII letters and digits, folds accents and is safe as a file name") {
  CHECK(slugify("Hello, World!", 1) == "hello-world");
  CHECK(slugify("../../etc/passwd", 1) == "etc-passwd");
  CHECK(slugify("Crème Brûlée", 1) == "creme-brulee");
  CHECK(slugify("Łódź Street Art", 1) == "lodz-street-art");
  CHECK(slugify("Straße & Œuvre", 1) == "strasse-oeuvre");
  CHECK(slugify("Москва 2026", 4) == "2026");
  CHECK(slugify("Москва", 5) == "post-5");
  CHECK(slugify("🥐🥐", 7) == "post-7");
  CHECK(slugify("", 8) == "post-8");
  CHECK(slugify("CON", 1) == "con-post");
  CHECK(slugify("nul", 1) == "nul-post");
  CHECK(slugify("tab\there\x01nul", 1) == "tab-here-nul");
  CHECK(slugify("..", 3) == "post-3");
  const std::string long_slug = slugify(std::string(300, 'a'), 1);
  CHECK(long_slug.size() == k_max_slug_chars);
  const std::string words = slugify("word " + std::string(100, 'b'), 1);
  CHECK(words.size() <= k_max_slug_chars);
  CHECK(words.back() != '-');
}

TEST_CASE("unified_diff shows changed lines with context and hunk headers") {
  CHECK(unified_diff("a\nb\n", "a\nb\n", "x", "y").empty());
  CHECK(unified_diff("a\nb\nc\n", "a\nB\nc\n", "x", "y") == "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  CHECK(unified_diff("", "new\n", "x", "y") == "--- x\n+++ y\n@@ -0,0 +1 @@\n+new\n");
  std::string from;
  std::string to;
  for (int i = 0; i < 30; ++i) {
    from += "line " + std::to_string(i) + "\n";
    to += (i == 2 || i == 25 ? "changed " : "line ") + std::to_string(i) + "\n";
  }
  const std::string diff = unified_diff(from, to, "x", "y");
  CHECK(diff.find("@@ -1,6 +1,6 @@") != std::string::npos);
  CHECK(diff.find("@@ -23,7 +23,7 @@") != std::string::npos);
}

TEST_CASE("split_command splits like git, without a shell") {
  CHECK(split_command("vim") == std::vector<std::string>{"vim"});
  CHECK(split_command("  code   --wait ") == std::vector<std::string>{"code", "--wait"});
  CHECK(split_command("'/opt/My Editor/bin/ed' -n") == std::vector<std::string>{"/opt/My Editor/bin/ed", "-n"});
  CHECK(split_command(R"(emacs "-f" "a \"b\"")") == std::vector<std::string>{"emacs", "-f", "a \"b\""});
  CHECK(split_command(R"(ed a\ b)") == std::vector<std::string>{"ed", "a b"});
  CHECK(split_command("ed $(touch pwned); rm -rf x | y") ==
        std::vector<std::string>{"ed", "$(touch", "pwned);", "rm", "-rf", "x", "|", "y"});
  CHECK(split_command("").empty());
  CHECK(code_of([] { split_command("ed 'open"); }) == ErrorCode::usage);
  CHECK(code_of([] { split_command("ed \"open"); }) == ErrorCode::usage);
}

TEST_CASE("the editable text round-trips and bad front matter is refused with its line") {
  blogen::store::Post post;
  post.title = "My title";
  post.category = "Food";
  post.tone = "casual";
  post.content = "Body text.\n\n## Part\n\nMore.";
  const std::string text = editable_text(post);
  const EditableFields fields = parse_editable_text(text);
  CHECK(fields.title == post.title);
  CHECK(fields.category == post.category);
  CHECK(fields.tone == post.tone);
  CHECK(fields.content == post.content);
  CHECK(parse_editable_text("---\r\ntitle: T\r\n---\r\nx\r\n").title == "T");
  for (const char* bad : {"title: x\n\nbody", "---\ntitle: x\nbody", "---\ntitle: x\nmood: happy\n---\nbody",
                          "---\ntitle:\n---\nbody", "---\ntitle: x\ntone: grumpy\n---\nbody",
                          "---\ncategory: c\n---\nb", "---\ntitle: x\n---\n   \n", "---\njust text\n---\nbody"}) {
    INFO(bad);
    CHECK(code_of([&] { parse_editable_text(bad); }) == ErrorCode::bad_input);
  }
  try {
    parse_editable_text("---\ntitle: x\nmood: happy\n---\nbody");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("line 3"));
  }
}

TEST_CASE("fts_query quotes every token so FTS syntax is inert") {
  using blogen::store::fts_query;
  CHECK(fts_query("sourdough starter") == R"("sourdough" "starter")");
  CHECK(fts_query("\"") == "");
  CHECK(fts_query("*") == "");
  CHECK(fts_query("-") == "");
  CHECK(fts_query("NEAR(") == R"("NEAR(")");
  CHECK(fts_query("AND OR") == R"("AND" "OR")");
  CHECK(fts_query("say\"hi") == R"("say""hi")");
  CHECK(fts_query("日本語 café") == "\"日本語\" \"café\"");
}

TEST_CASE("markdown_to_html renders Markdown and suppresses raw HTML and unsafe links") {
  const std::string html =
      markdown_to_html("# T\n\n**b** <b>raw</b>\n\n<script>x</script>\n\n[l](javascript:alert(1))\n");
  CHECK(html.find("<h1>T</h1>") != std::string::npos);
  CHECK(html.find("<strong>b</strong>") != std::string::npos);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("<b>raw</b>") == std::string::npos);
  CHECK(html.find("javascript:") == std::string::npos);
}

TEST_CASE("export formats and front matter styles parse, others are usage errors naming the flag") {
  CHECK(parse_export_format("html") == ExportFormat::html);
  CHECK(parse_front_matter("jekyll") == FrontMatter::jekyll);
  CHECK(code_of([] { parse_export_format("pdf"); }) == ErrorCode::usage);
  CHECK(code_of([] { parse_front_matter("zola"); }) == ErrorCode::usage);
}

TEST_CASE("the tone list has the documented tones, friendly first") {
  const auto& tones = post_tones();
  CHECK(tones.front() == "friendly");
  for (const char* tone :
       {"casual", "professional", "humorous", "enthusiastic", "formal", "informative", "persuasive"}) {
    CHECK(std::find(tones.begin(), tones.end(), tone) != tones.end());
  }
}

namespace {

// A clock that lets a generation commit (on its own connection) every time the use case asks for the time, standing
// in for a worker that finishes while `blog update` runs. Up to 10 generations, numbered.
class GeneratingClock final : public blogen::Clock {
public:
  std::filesystem::path store;
  std::int64_t post_id = 0;
  mutable int generated = 0;

  [[nodiscard]] blogen::TimestampMs now_ms() const override {
    if (post_id > 0 && generated < 10) {
      try {
        blogen::store::Database db = blogen::store::Database::open(store);
        blogen::store::GeneratedPost result;
        result.title = "Tea";
        result.content = "generated " + std::to_string(generated + 1);
        blogen::store::PostRepository(db).write_generated(post_id, result, 1'700'000'000'000);
        ++generated;
      } catch (const std::exception&) { // NOLINT(bugprone-empty-catch): the store is locked by the use case itself
      }
    }
    return 1'700'000'000'000;
  }
  void sleep_for(std::chrono::milliseconds) override {}
};

} // namespace

TEST_CASE("blog update reads the post under its write lock: a generation landing meanwhile is kept (issue 16 #11)") {
  blogen::testing::TempDir dir{"blogen-update"};
  ::setenv("BLOGEN_BUSY_TIMEOUT_MS", "20", 1); // the clock's writes give up at once while the use case writes
  GeneratingClock clock;
  clock.store = dir / "blogen.db";
  Context context{clock.store, clock};
  register_user(context, {"ann", std::nullopt, "correct horse battery"});
  ::setenv("BLOGEN_TOKEN", login(context, {"ann", "correct horse battery"}).token.c_str(), 1);
  blogen::store::NewPost new_post;
  new_post.user_id = 1;
  new_post.topic = "Tea";
  clock.post_id = blogen::store::PostRepository(context.db()).insert(new_post, 1);

  UpdatePostRequest request;
  request.post_id = clock.post_id;
  request.title = "Tea, retitled";
  const UpdateResult result = update_post(context, request);
  ::unsetenv("BLOGEN_TOKEN");
  ::unsetenv("BLOGEN_BUSY_TIMEOUT_MS");

  REQUIRE(clock.generated > 0);
  blogen::store::PostRepository posts(context.db());
  const auto history = posts.revisions(clock.post_id);
  REQUIRE(history.size() >= 2);
  REQUIRE(result.revision == history.back().number);
  const auto& newest_generation = history[history.size() - 2];
  CHECK(newest_generation.source == blogen::store::RevisionSource::generated);
  CHECK(history.back().title == "Tea, retitled");
  CHECK(history.back().content == newest_generation.content); // not the older text read before it landed
  CHECK(posts.find_any(clock.post_id)->content == newest_generation.content);
}

namespace {

// A fresh store with ann logged in (BLOGEN_TOKEN) on a manual clock, for the post use cases.
struct LoggedIn {
  blogen::testing::TempDir dir{"blogen-app-posts"};
  blogen::ManualClock clock{1'700'000'000'000};
  Context context{dir / "blogen.db", clock};
  LoggedIn() {
    register_user(context, {"ann", std::nullopt, "correct horse battery"});
    ::setenv("BLOGEN_TOKEN", login(context, {"ann", "correct horse battery"}).token.c_str(), 1);
  }
  LoggedIn(const LoggedIn&) = delete;
  LoggedIn& operator=(const LoggedIn&) = delete;
  ~LoggedIn() { ::unsetenv("BLOGEN_TOKEN"); }
};

} // namespace

TEST_CASE("create_post refuses text fields that are not valid UTF-8, naming the field, and writes nothing") {
  // The CLI refuses bad flags before any command runs; a schedule run or another app caller does not pass there.
  LoggedIn ann;
  Context& context = ann.context;
  const std::string overlong = "Caf\xe0\x80\x80 culture";
  const std::vector<std::pair<std::string, std::function<void(CreatePostRequest&)>>> fields{
      {"--topic", [&](CreatePostRequest& r) { r.topic = overlong; }},
      {"--prompt", [&](CreatePostRequest& r) { r.prompt = overlong; }},
      {"--title", [&](CreatePostRequest& r) { r.title = overlong; }},
      {"--category", [&](CreatePostRequest& r) { r.options.category = overlong; }},
      {"--tone", [&](CreatePostRequest& r) { r.options.tone = overlong; }},
      {"--keyword", [&](CreatePostRequest& r) { r.options.keywords = {overlong}; }},
      {"--model", [&](CreatePostRequest& r) { r.options.model = overlong; }},
  };
  for (const auto& [flag, spoil] : fields) {
    INFO(flag);
    CreatePostRequest request;
    request.topic = "Tea";
    spoil(request);
    try {
      (void)create_post(context, request);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::usage);
      CHECK_THAT(e.what(), Catch::StartsWith(flag + ": is not valid UTF-8"));
    }
  }
  CreatePostRequest nul;
  nul.topic = std::string("Tea\0time", 8);
  CHECK(code_of([&] { (void)create_post(context, nul); }) == ErrorCode::usage);
  CHECK(blogen::store::PostRepository(context.db()).count(blogen::store::PostFilter{}) == 0);
}

TEST_CASE("hand-written text makes a failed or cancelled post a draft, other statuses stay as their job says") {
  LoggedIn ann;
  Context& context = ann.context;
  const blogen::ManualClock& clock = ann.clock;
  CreatePostRequest create;
  create.topic = "Tea";
  const QueuedPost failed = create_post(context, create);
  const QueuedPost cancelled = create_post(context, create);
  const QueuedPost pending = create_post(context, create);
  blogen::store::JobRepository jobs(context.db());
  blogen::store::ClaimScope scope;
  scope.job_ids = {failed.job_id};
  REQUIRE(jobs.claim("w", clock.now_ms(), std::chrono::minutes(1), scope));
  REQUIRE(jobs.fail(failed.job_id, "w", clock.now_ms(), "the provider said no", "auth"));
  REQUIRE(jobs.request_cancel(cancelled.job_id, clock.now_ms()));
  for (const QueuedPost& queued : {failed, cancelled, pending}) {
    UpdatePostRequest update;
    update.post_id = queued.post_id;
    update.content = "# Tea\n\nWritten by hand.\n";
    (void)update_post(context, update);
  }
  blogen::store::PostRepository posts(context.db());
  CHECK(posts.find_any(failed.post_id)->status == blogen::store::PostStatus::draft);
  CHECK(jobs.find(failed.job_id)->status == blogen::store::JobStatus::failed); // the job's history stays true
  CHECK(posts.find_any(cancelled.post_id)->status == blogen::store::PostStatus::draft);
  CHECK(jobs.find(cancelled.job_id)->status == blogen::store::JobStatus::cancelled);
  // A generation still to come lands over it: the post keeps following its job.
  CHECK(posts.find_any(pending.post_id)->status == blogen::store::PostStatus::pending);
  CHECK_THAT(posts.find_any(pending.post_id)->content, Catch::Contains("Written by hand."));
}
