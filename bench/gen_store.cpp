// Fills a blogen store with N realistic finished posts (about 800 words each, a revision, the FTS row a trigger
// writes, a completed job and a call-log row per post) for the read benchmarks of bench/run.sh. Writes rows as a
// finished `campaign run` leaves them, straight through SQLite in one transaction, because generating 100 000 posts
// through blogen would take longer than the whole bench may.
//
//   bench_gen_store STORE_FILE USER_ID N
//
// The store must exist with its schema (run `blogen init` first); deterministic: the same N gives the same posts.
#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

namespace {

constexpr std::array k_words{
    "the",     "a",        "bike",   "commute", "city",     "ride",   "battery", "folding",   "electric", "morning",
    "traffic", "route",    "lane",   "weather", "rain",     "light",  "frame",   "wheel",     "motor",    "range",
    "charge",  "station",  "train",  "office",  "park",     "street", "corner",  "coffee",    "habit",    "health",
    "minutes", "distance", "speed",  "safety",  "helmet",   "lock",   "storage", "apartment", "stairs",   "weight",
    "design",  "steel",    "carbon", "tyres",   "brakes",   "gears",  "hill",    "climb",     "descent",  "friends",
    "weekend", "trip",     "river",  "bridge",  "and",      "of",     "to",      "in",        "is",       "for",
    "with",    "on",       "that",   "your",    "every",    "more",   "less",    "better",    "simple",   "quiet",
    "fast",    "green",    "cost",   "money",   "time",     "year",   "plan",    "guide",     "tips",     "reasons",
    "why",     "how",      "urban",  "zephyr",  "thousand", "people", "choose",  "switch",    "enjoy",    "learn"};

std::string words(std::mt19937& random, int count) {
  std::uniform_int_distribution<std::size_t> pick(0, k_words.size() - 1);
  std::string text;
  text.reserve(static_cast<std::size_t>(count) * 7);
  for (int i = 0; i < count; ++i) {
    if (i > 0) text += (i % 120 == 0) ? "\n\n" : (i % 15 == 0 ? ". " : " ");
    text += k_words[pick(random)];
  }
  return text + ".";
}

void check(int code, sqlite3* db, const char* what) {
  if (code == SQLITE_OK || code == SQLITE_DONE || code == SQLITE_ROW) return;
  std::fprintf(stderr, "bench_gen_store: %s: %s\n", what, sqlite3_errmsg(db));
  std::exit(1);
}

struct Statement {
  Statement(sqlite3* connection, const char* sql) : db(connection) {
    check(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), db, sql);
  }
  ~Statement() { sqlite3_finalize(stmt); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  void text(int at, const std::string& value) {
    sqlite3_bind_text(stmt, at, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void integer(int at, std::int64_t value) { sqlite3_bind_int64(stmt, at, value); }
  void run(const char* what) {
    check(sqlite3_step(stmt), db, what);
    sqlite3_reset(stmt);
  }
  sqlite3* db;
  sqlite3_stmt* stmt = nullptr;
};

} // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: bench_gen_store STORE_FILE USER_ID N\n");
    return 2;
  }
  const std::int64_t user_id = std::strtoll(argv[2], nullptr, 10);
  const long count = std::strtol(argv[3], nullptr, 10);
  sqlite3* db = nullptr;
  check(sqlite3_open(argv[1], &db), db, "open");
  check(sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; BEGIN", nullptr, nullptr, nullptr), db,
        "begin");
  Statement post(db, "INSERT INTO posts(user_id, kind, title, topic, category, tone, content, status, provider, "
                     "model, prompt_tokens, completion_tokens, revision, created_at, updated_at) "
                     "VALUES (?1, 'blog', ?2, ?3, ?4, 'friendly', ?5, 'completed', 'fake', 'fake-gpt', 120, 1100, 1, "
                     "?6, ?6)");
  Statement revision(db, "INSERT INTO post_revisions(post_id, number, title, content, source, provider, model, "
                         "created_at) VALUES (?1, 1, ?2, ?3, 'generated', 'fake', 'fake-gpt', ?4)");
  Statement job(db, "INSERT INTO jobs(user_id, kind, post_id, status, attempts, run_after, provider, model, "
                    "prompt_tokens, completion_tokens, created_at, updated_at, started_at, finished_at) "
                    "VALUES (?1, 'generate_blog', ?2, 'completed', 1, ?3, 'fake', 'fake-gpt', 120, 1100, ?3, ?3, ?3, "
                    "?3)");
  Statement log(db, "INSERT INTO generation_log(user_id, job_id, post_id, provider, model, prompt, response, status, "
                    "http_status, prompt_tokens, completion_tokens, latency_ms, created_at) "
                    "VALUES (?1, ?2, ?3, 'fake', 'fake-gpt', ?4, ?5, 'ok', 200, 120, 1100, 100, ?6)");
  std::mt19937 random(18);
  const std::array<const char*, 4> categories{"guides", "news", "stories", "reviews"};
  const std::int64_t start = 1'700'000'000'000;
  for (long i = 0; i < count; ++i) {
    const std::int64_t at = start + i * 1000;
    const std::string title = words(random, 6);
    const std::string topic = words(random, 4);
    const std::string content = words(random, 800);
    const std::string category = categories[static_cast<std::size_t>(i) % categories.size()];
    post.integer(1, user_id);
    post.text(2, title);
    post.text(3, topic);
    post.text(4, category);
    post.text(5, content);
    post.integer(6, at);
    post.run("insert post");
    const std::int64_t post_id = sqlite3_last_insert_rowid(db);
    revision.integer(1, post_id);
    revision.text(2, title);
    revision.text(3, content);
    revision.integer(4, at);
    revision.run("insert revision");
    job.integer(1, user_id);
    job.integer(2, post_id);
    job.integer(3, at);
    job.run("insert job");
    const std::int64_t job_id = sqlite3_last_insert_rowid(db);
    log.integer(1, user_id);
    log.integer(2, job_id);
    log.integer(3, post_id);
    log.text(4, "Write a blog post about " + topic);
    log.text(5, content.substr(0, 400));
    log.integer(6, at);
    log.run("insert log");
  }
  check(sqlite3_exec(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr), db, "commit");
  sqlite3_close(db);
  return 0;
}
