#include "migrations.hpp"

#include <array>

namespace blogen::store {
namespace {

// Timestamps are INTEGER milliseconds since the Unix epoch (UTC). JSON lists are TEXT holding a JSON array.
constexpr const char* k_initial_schema = R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL,
  username_key  TEXT NOT NULL UNIQUE,          -- lower-case, for case-insensitive uniqueness
  email         TEXT,
  email_key     TEXT UNIQUE,
  password_hash TEXT NOT NULL,                 -- argon2id string from crypto_pwhash_str
  is_admin      INTEGER NOT NULL DEFAULT 0,
  disabled      INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,    -- consecutive failures, drives the back-off
  next_login_at INTEGER NOT NULL DEFAULT 0,    -- no login attempt is checked before this time
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  last_login_at INTEGER
);

CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash   BLOB NOT NULL UNIQUE,           -- BLAKE2b of the token; the token itself is never stored
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  revoked_at   INTEGER
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE campaigns (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  brand       TEXT NOT NULL,
  audience    TEXT NOT NULL DEFAULT '',
  tone        TEXT NOT NULL DEFAULT 'friendly',
  description TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER
);
CREATE INDEX campaigns_user ON campaigns(user_id, deleted_at);

CREATE TABLE batches (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  platform    TEXT NOT NULL DEFAULT 'generic',
  images      INTEGER NOT NULL DEFAULT 0,
  concurrency INTEGER NOT NULL DEFAULT 0,
  cancelled_at INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX batches_campaign ON batches(campaign_id);

CREATE TABLE posts (
  id                INTEGER PRIMARY KEY,
  user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind              TEXT NOT NULL DEFAULT 'blog' CHECK (kind IN ('blog', 'social')),
  campaign_id       INTEGER REFERENCES campaigns(id) ON DELETE SET NULL,
  batch_id          INTEGER REFERENCES batches(id) ON DELETE SET NULL,
  title             TEXT NOT NULL DEFAULT '',
  topic             TEXT NOT NULL DEFAULT '',
  prompt            TEXT NOT NULL DEFAULT '',
  category          TEXT NOT NULL DEFAULT '',
  tone              TEXT NOT NULL DEFAULT '',
  keywords          TEXT NOT NULL DEFAULT '[]',
  target_words      INTEGER NOT NULL DEFAULT 0,
  template          TEXT NOT NULL DEFAULT '',
  audience          TEXT NOT NULL DEFAULT '',
  brand             TEXT NOT NULL DEFAULT '',
  platform          TEXT NOT NULL DEFAULT '',
  brief             TEXT NOT NULL DEFAULT '',
  content           TEXT NOT NULL DEFAULT '',
  hashtags          TEXT NOT NULL DEFAULT '[]',
  image_path        TEXT,
  status            TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('draft', 'pending', 'in_progress', 'completed', 'failed', 'cancelled')),
  error             TEXT,
  provider          TEXT NOT NULL DEFAULT '',
  model             TEXT NOT NULL DEFAULT '',
  prompt_tokens     INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  seed              INTEGER NOT NULL DEFAULT 0,
  revision          INTEGER NOT NULL DEFAULT 0,  -- number of the revision the content is
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  deleted_at        INTEGER
);
CREATE INDEX posts_user_created ON posts(user_id, created_at);
CREATE INDEX posts_user_updated ON posts(user_id, updated_at);
CREATE INDEX posts_batch ON posts(batch_id);
CREATE INDEX posts_campaign ON posts(campaign_id);

CREATE TABLE post_revisions (
  id         INTEGER PRIMARY KEY,
  post_id    INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  number     INTEGER NOT NULL,
  title      TEXT NOT NULL,
  content    TEXT NOT NULL,
  source     TEXT NOT NULL CHECK (source IN ('generated', 'edited', 'reverted', 'imported')),
  provider   TEXT NOT NULL DEFAULT '',
  model      TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  UNIQUE (post_id, number)
);

-- Full-text index over posts, kept in sync by triggers (external content: no second copy of the text).
CREATE VIRTUAL TABLE posts_fts USING fts5(
  title, topic, category, content,
  content = 'posts', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
  INSERT INTO posts_fts(rowid, title, topic, category, content)
  VALUES (new.id, new.title, new.topic, new.category, new.content);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
  INSERT INTO posts_fts(posts_fts, rowid, title, topic, category, content)
  VALUES ('delete', old.id, old.title, old.topic, old.category, old.content);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, topic, category, content ON posts BEGIN
  INSERT INTO posts_fts(posts_fts, rowid, title, topic, category, content)
  VALUES ('delete', old.id, old.title, old.topic, old.category, old.content);
  INSERT INTO posts_fts(rowid, title, topic, category, content)
  VALUES (new.id, new.title, new.topic, new.category, new.content);
END;

CREATE TABLE jobs (
  id                INTEGER PRIMARY KEY,
  user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind              TEXT NOT NULL,               -- generate_blog, generate_social, ...
  post_id           INTEGER REFERENCES posts(id) ON DELETE CASCADE,
  batch_id          INTEGER REFERENCES batches(id) ON DELETE SET NULL,
  payload           TEXT NOT NULL DEFAULT '{}',  -- JSON: what the job needs beyond the post row
  status            TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'in_progress', 'completed', 'failed', 'cancelled')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  max_attempts      INTEGER NOT NULL DEFAULT 5,
  run_after         INTEGER NOT NULL,
  lease_owner       TEXT,
  lease_until       INTEGER,
  cancel_requested  INTEGER NOT NULL DEFAULT 0,
  error             TEXT,
  error_kind        TEXT,
  provider          TEXT NOT NULL DEFAULT '',
  model             TEXT NOT NULL DEFAULT '',
  prompt_tokens     INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  started_at        INTEGER,
  finished_at       INTEGER
);
CREATE INDEX jobs_claim ON jobs(status, run_after);
CREATE INDEX jobs_user ON jobs(user_id, created_at);
CREATE INDEX jobs_post ON jobs(post_id);
CREATE INDEX jobs_batch ON jobs(batch_id, status);

CREATE TABLE generation_log (
  id                INTEGER PRIMARY KEY,
  user_id           INTEGER REFERENCES users(id) ON DELETE CASCADE,
  job_id            INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  post_id           INTEGER REFERENCES posts(id) ON DELETE SET NULL,
  provider          TEXT NOT NULL,
  model             TEXT NOT NULL DEFAULT '',
  call              TEXT NOT NULL DEFAULT 'chat',  -- chat, image, models
  attempt           INTEGER NOT NULL DEFAULT 1,
  prompt            TEXT NOT NULL DEFAULT '',
  response          TEXT NOT NULL DEFAULT '',
  status            TEXT NOT NULL,                 -- ok or an error kind
  error             TEXT,
  http_status       INTEGER NOT NULL DEFAULT 0,
  prompt_tokens     INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  latency_ms        INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL
);
CREATE INDEX generation_log_job ON generation_log(job_id);
CREATE INDEX generation_log_user ON generation_log(user_id, created_at);

CREATE TABLE schedules (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name          TEXT NOT NULL DEFAULT '',
  kind          TEXT NOT NULL CHECK (kind IN ('cron', 'once')),
  spec          TEXT NOT NULL,
  tz            TEXT NOT NULL DEFAULT 'UTC',
  payload       TEXT NOT NULL DEFAULT '{}',
  catch_up      INTEGER NOT NULL DEFAULT 0,
  enabled       INTEGER NOT NULL DEFAULT 1,
  topics_cursor INTEGER NOT NULL DEFAULT 0,
  next_run_at   INTEGER,
  last_run_at   INTEGER,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX schedules_due ON schedules(enabled, next_run_at);

CREATE TABLE schedule_runs (
  id            INTEGER PRIMARY KEY,
  schedule_id   INTEGER NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
  occurrence_at INTEGER NOT NULL,
  job_id        INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  status        TEXT NOT NULL,                    -- queued, skipped
  created_at    INTEGER NOT NULL,
  UNIQUE (schedule_id, occurrence_at)
);

CREATE TABLE providers (
  id                  INTEGER PRIMARY KEY,
  name                TEXT NOT NULL UNIQUE,
  kind                TEXT NOT NULL CHECK (kind IN ('openai', 'builtin')),
  base_url            TEXT NOT NULL DEFAULT '',
  model               TEXT NOT NULL DEFAULT '',
  image_model         TEXT NOT NULL DEFAULT '',
  api_key_env         TEXT NOT NULL DEFAULT '',  -- the NAME of an environment variable, never a key
  extra_headers       TEXT NOT NULL DEFAULT '{}',
  max_concurrency     INTEGER NOT NULL DEFAULT 4,
  requests_per_minute INTEGER NOT NULL DEFAULT 0,
  max_attempts        INTEGER NOT NULL DEFAULT 5,
  connect_timeout_ms  INTEGER NOT NULL DEFAULT 10000,
  request_timeout_ms  INTEGER NOT NULL DEFAULT 300000,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);

CREATE TABLE templates (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  system_prompt TEXT NOT NULL,
  user_prompt   TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// Post listings sorted by title and the admin's all-users listing read an index instead of sorting every post.
constexpr const char* k_post_listing_indexes = R"sql(
CREATE INDEX posts_user_title ON posts(user_id, title COLLATE NOCASE);
CREATE INDEX posts_created ON posts(created_at);
)sql";

// Credential headers name the variable holding their value (never the value); streams have a stall timeout; a
// provider's limits are shared by every process on the store through its slots and its calls of the last minute.
constexpr const char* k_provider_safety = R"sql(
ALTER TABLE providers ADD COLUMN header_env TEXT NOT NULL DEFAULT '{}';
ALTER TABLE providers ADD COLUMN stall_timeout_ms INTEGER NOT NULL DEFAULT 60000;

CREATE TABLE provider_slots (
  id          INTEGER PRIMARY KEY,
  provider    TEXT NOT NULL,
  owner       TEXT NOT NULL,      -- host:pid:start of the process holding it (freed at once when that process is gone)
  acquired_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL    -- past it the slot is free again (a process on another host, or one stopped)
);
CREATE INDEX provider_slots_provider ON provider_slots(provider, lease_until);
CREATE INDEX provider_slots_owner ON provider_slots(owner);

CREATE TABLE provider_calls (
  id         INTEGER PRIMARY KEY,
  provider   TEXT NOT NULL,
  started_at INTEGER NOT NULL     -- rows older than a minute are deleted by the next claim
);
CREATE INDEX provider_calls_window ON provider_calls(provider, started_at);
)sql";

// Schedules (#17): a run of a campaign schedule queues a batch, and a run that could not queue keeps its reason.
// Runner tokens are sessions of their own kind: no expiry, good only for `schedule run-due` and `worker` (cron).
constexpr const char* k_schedule_runs_and_runner_tokens = R"sql(
ALTER TABLE schedule_runs ADD COLUMN batch_id INTEGER REFERENCES batches(id) ON DELETE SET NULL;
ALTER TABLE schedule_runs ADD COLUMN error TEXT;
CREATE INDEX schedules_user ON schedules(user_id, created_at);
ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'login' CHECK (kind IN ('login', 'runner'));
)sql";

// The login back-off moves from the users table to one row per username tried, known or not, so an unknown name
// backs off exactly like an account (nothing tells which names exist). A streak is forgotten after a day.
constexpr const char* k_login_throttle = R"sql(
CREATE TABLE login_throttle (
  username_key    TEXT PRIMARY KEY,            -- lower-case username as typed, whether an account has it or not
  failures        INTEGER NOT NULL,            -- consecutive failed (or reserved, not yet checked) attempts
  next_attempt_at INTEGER NOT NULL,            -- no password is checked before this time
  updated_at      INTEGER NOT NULL
);
CREATE INDEX login_throttle_updated ON login_throttle(updated_at);
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN next_login_at;
)sql";

// Speed at scale (#18): a batch's claim reads its due jobs in order from one index instead of every job of the
// batch sorted; a listing's "N posts" (a user's or everyone's live posts of a kind) is counted from a partial index
// that covers it, instead of reading every row for its kind and deleted_at; a user's jobs list newest first without
// a sort.
constexpr const char* k_claim_and_listing_indexes = R"sql(
CREATE INDEX jobs_batch_due ON jobs(batch_id, status, run_after);
DROP INDEX jobs_batch;
CREATE INDEX jobs_user_newest ON jobs(user_id, id);
CREATE INDEX posts_user_live ON posts(user_id, kind, created_at, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX posts_live ON posts(kind, created_at, deleted_at) WHERE deleted_at IS NULL;
)sql";

// Costs (#21): prices per provider and model with the time they take effect, each call's cost stored with it (a
// later price never rewrites history), per-run and monthly budgets, and the reservations that make them hold across
// workers and processes. Money is INTEGER nano-dollars (1e-9 USD) throughout: exact sums, no floating point.
constexpr const char* k_costs = R"sql(
CREATE TABLE provider_prices (
  id                       INTEGER PRIMARY KEY,
  provider                 TEXT NOT NULL,
  model                    TEXT NOT NULL DEFAULT '',  -- '': every model of the provider without a price of its own
  input_nanos_per_million  INTEGER NOT NULL,          -- per million prompt tokens
  output_nanos_per_million INTEGER NOT NULL,          -- per million completion tokens
  image_nanos              INTEGER,                   -- per image; NULL: images unpriced
  effective_at             INTEGER NOT NULL,          -- the price applies to calls from this time on
  created_at               INTEGER NOT NULL
);
CREATE INDEX provider_prices_in_force ON provider_prices(provider, model, effective_at);

ALTER TABLE generation_log ADD COLUMN cost_nanos INTEGER;   -- NULL: unpriced
ALTER TABLE generation_log ADD COLUMN batch_id INTEGER;     -- plain ids, no foreign keys: history outlives them
ALTER TABLE generation_log ADD COLUMN campaign_id INTEGER;
CREATE INDEX generation_log_batch ON generation_log(batch_id);
CREATE INDEX generation_log_created ON generation_log(created_at);

ALTER TABLE batches ADD COLUMN max_cost_nanos INTEGER;      -- per-run budget (--max-cost); NULL: none
ALTER TABLE users ADD COLUMN monthly_budget_nanos INTEGER;  -- NULL: none

CREATE TABLE cost_reservations (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL,
  batch_id     INTEGER,
  job_id       INTEGER,
  amount_nanos INTEGER NOT NULL,  -- the estimate of the call in flight
  expires_at   INTEGER NOT NULL   -- past it the reservation no longer counts (its process is gone)
);
CREATE INDEX cost_reservations_user ON cost_reservations(user_id, expires_at);
CREATE INDEX cost_reservations_batch ON cost_reservations(batch_id);
)sql";

// Image prices by size: a JSON object {"1792x1024": nano-dollars, ...}; a size not in it costs image_nanos.
constexpr const char* k_image_size_prices = R"sql(
ALTER TABLE provider_prices ADD COLUMN image_size_nanos TEXT;  -- NULL: one price (image_nanos) for every size
)sql";

// `blog show` and `campaign show` total the cost of one post's or one campaign's calls: without these indexes each
// read every row of the log (14 000 pages, 78 ms, on a store of 100 000 posts).
constexpr const char* k_cost_lookup_indexes = R"sql(
CREATE INDEX generation_log_post ON generation_log(post_id);
CREATE INDEX generation_log_campaign ON generation_log(campaign_id);
)sql";

// The live (not deleted) posts of each user by kind, kept exact by triggers in the transaction that changes a post.
// `blog list` shows "20 of N": counting N in the posts' index read every entry, 14 ms of a 27 ms `blog list` on a
// store of 100 000 posts; reading it here is one row whatever the store's size. Derived data: `store copy` does not
// copy it (the copied posts' triggers rebuild it) and `store check` compares it with the posts.
constexpr const char* k_post_counts = R"sql(
CREATE TABLE post_counts (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind    TEXT NOT NULL,
  live    INTEGER NOT NULL,
  PRIMARY KEY (user_id, kind)
) WITHOUT ROWID;
INSERT INTO post_counts(user_id, kind, live)
  SELECT user_id, kind, count(*) FROM posts WHERE deleted_at IS NULL AND user_id IN (SELECT id FROM users)
  GROUP BY user_id, kind;

CREATE TRIGGER post_counts_insert AFTER INSERT ON posts WHEN new.deleted_at IS NULL BEGIN
  INSERT INTO post_counts(user_id, kind, live) VALUES (new.user_id, new.kind, 1)
    ON CONFLICT (user_id, kind) DO UPDATE SET live = live + 1;
END;
CREATE TRIGGER post_counts_delete AFTER DELETE ON posts WHEN old.deleted_at IS NULL BEGIN
  UPDATE post_counts SET live = live - 1 WHERE user_id = old.user_id AND kind = old.kind;
END;
CREATE TRIGGER post_counts_update AFTER UPDATE OF user_id, kind, deleted_at ON posts BEGIN
  UPDATE post_counts SET live = live - 1 WHERE old.deleted_at IS NULL AND user_id = old.user_id AND kind = old.kind;
  INSERT INTO post_counts(user_id, kind, live) SELECT new.user_id, new.kind, 1 WHERE new.deleted_at IS NULL
    ON CONFLICT (user_id, kind) DO UPDATE SET live = live + 1;
END;
)sql";

constexpr std::array k_migrations{
    Migration{1, "initial schema", k_initial_schema},
    Migration{2, "post listing indexes", k_post_listing_indexes},
    Migration{3, "provider credential headers, stall timeout and shared limits", k_provider_safety},
    Migration{5, "login back-off per username", k_login_throttle},
    Migration{6, "schedule runs with batches and errors, runner tokens", k_schedule_runs_and_runner_tokens},
    Migration{7, "prices, call costs, budgets and reservations", k_costs},
    Migration{8, "claim and listing indexes", k_claim_and_listing_indexes},
    Migration{9, "image prices by size", k_image_size_prices},
    Migration{10, "cost lookup indexes by post and campaign", k_cost_lookup_indexes},
    Migration{11, "live post counts per user and kind", k_post_counts},
};

} // namespace

std::span<const Migration> migrations() { return k_migrations; }

} // namespace blogen::store
