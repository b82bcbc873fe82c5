#include <blogen/store/database.hpp>
#include <blogen/store/post_repository.hpp>

#include "../../src/store/connection.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

using namespace blogen::store;

namespace {

struct TempStore {
  blogen::testing::TempDir dir{"blogen-posts"};
  Database db = Database::open(dir / "blogen.db");
  TempStore() {
    sql(db).exec("INSERT INTO users(id, username, username_key, password_hash, created_at, updated_at) VALUES "
                 "(1, 'ann', 'ann', 'x', 0, 0), (2, 'bob', 'bob', 'x', 0, 0)");
  }
};

NewPost new_post(std::int64_t user, std::string topic, std::string category = "") {
  NewPost post;
  post.user_id = user;
  post.topic = std::move(topic);
  post.title = post.topic;
  post.category = std::move(category);
  post.tone = "friendly";
  post.keywords = {"a", "b"};
  post.target_words = 300;
  post.template_name = "blog-post";
  return post;
}

std::vector<std::int64_t> ids_of(const std::vector<Post>& posts) {
  std::vector<std::int64_t> ids;
  for (const auto& post : posts)
    ids.push_back(post.id);
  return ids;
}

template <typename F> PostFilter filter(F tweak) {
  PostFilter f;
  tweak(f);
  return f;
}

} // namespace

TEST_CASE("a post is found only by its owner, with every field read back") {
  TempStore store;
  PostRepository posts(store.db);
  NewPost input = new_post(1, "Sourdough", "Baking");
  input.seed = 42;
  input.provider = "builtin";
  const auto id = posts.insert(input, 1000);
  const auto found = posts.find(id, 1);
  REQUIRE(found);
  CHECK(found->topic == "Sourdough");
  CHECK(found->category == "Baking");
  CHECK(found->keywords == std::vector<std::string>{"a", "b"});
  CHECK(found->seed == 42);
  CHECK(found->status == PostStatus::pending);
  CHECK(found->created_at == 1000);
  CHECK(found->revision == 0);
  CHECK_FALSE(posts.find(id, 2));
  CHECK(posts.find_any(id));
  CHECK_FALSE(posts.find(id + 1, 1));
}

TEST_CASE("a partial update changes only the given fields") {
  TempStore store;
  PostRepository posts(store.db);
  const auto id = posts.insert(new_post(1, "Tea", "Drinks"), 1);
  posts.add_revision(id, {"Tea", "body", RevisionSource::generated, "builtin", "builtin-drafter"}, 2);
  PostChanges changes;
  changes.title = "Green tea";
  REQUIRE(posts.update(id, changes, 3));
  const auto post = posts.find(id, 1);
  CHECK(post->title == "Green tea");
  CHECK(post->category == "Drinks");
  CHECK(post->content == "body");
  CHECK(post->updated_at == 3);
  CHECK_FALSE(posts.update(999, changes, 3));
}

TEST_CASE("soft delete, restore and purge") {
  TempStore store;
  PostRepository posts(store.db);
  const auto id = posts.insert(new_post(1, "Tea"), 1);
  posts.add_revision(id, {"Tea", "body", RevisionSource::edited, "", ""}, 2);
  CHECK(posts.soft_delete(id, 5));
  CHECK_FALSE(posts.soft_delete(id, 6));
  CHECK(posts.find(id, 1)->deleted_at == 5);
  CHECK(posts.list(filter([](PostFilter& f) { f.user_id = 1; })).empty());
  CHECK(posts
            .list(filter([](PostFilter& f) {
              f.user_id = 1;
              f.deleted = DeletedFilter::only;
            }))
            .size() == 1);
  CHECK(posts.restore(id, 7));
  CHECK_FALSE(posts.restore(id, 8));
  CHECK(posts.list(filter([](PostFilter& f) { f.user_id = 1; })).size() == 1);
  CHECK(posts.purge(id));
  CHECK_FALSE(posts.purge(id));
  CHECK(posts.revisions(id).empty());
  CHECK(sql(store.db).execAndGet("SELECT count(*) FROM post_revisions").getInt() == 0);
}

TEST_CASE("list filters, sorts, pages and counts") {
  TempStore store;
  PostRepository posts(store.db);
  const auto a = posts.insert(new_post(1, "banana bread", "Baking"), 10);
  const auto b = posts.insert(new_post(1, "Apple pie", "baking"), 20);
  const auto c = posts.insert(new_post(1, "cold brew", "Drinks"), 30);
  const auto other = posts.insert(new_post(2, "not mine", "Baking"), 40);
  posts.set_status(c, PostStatus::failed, "boom", 50);

  CHECK(ids_of(posts.list(filter([](PostFilter& f) { f.user_id = 1; }))) == std::vector<std::int64_t>{c, b, a});
  CHECK(ids_of(posts.list(filter([](PostFilter& f) {
          f.user_id = 1;
          f.sort = PostSort::created;
        }))) == std::vector<std::int64_t>{a, b, c});
  CHECK(ids_of(posts.list(filter([](PostFilter& f) {
          f.user_id = 1;
          f.sort = PostSort::title;
        }))) == std::vector<std::int64_t>{b, a, c});
  CHECK(ids_of(posts.list(filter([](PostFilter& f) {
          f.user_id = 1;
          f.sort = PostSort::updated;
        }))) == std::vector<std::int64_t>{c, b, a});
  CHECK(ids_of(posts.list(filter([](PostFilter& f) {
          f.user_id = 1;
          f.category = "BAKING";
        }))) == std::vector<std::int64_t>{b, a});
  CHECK(ids_of(posts.list(filter([](PostFilter& f) {
          f.user_id = 1;
          f.status = PostStatus::failed;
        }))) == std::vector<std::int64_t>{c});
  CHECK(posts.find(c, 1)->error == "boom");
  CHECK(ids_of(posts.list(filter([](PostFilter& f) {
          f.user_id = 1;
          f.limit = 2;
          f.offset = 2;
        }))) == std::vector<std::int64_t>{a});
  CHECK(posts.count(filter([](PostFilter& f) {
    f.user_id = 1;
    f.limit = 1;
  })) == 3);
  CHECK(posts.count(PostFilter{}) == 4);
  CHECK(ids_of(posts.list(filter([](PostFilter& f) { f.category = "baking"; }))) ==
        std::vector<std::int64_t>{other, b, a});
  CHECK(ids_of(posts.list(filter([](PostFilter& f) {
          f.user_id = 1;
          f.search = "bread";
        }))) == std::vector<std::int64_t>{a});
  CHECK(posts
            .list(filter([](PostFilter& f) {
              f.user_id = 1;
              f.search = "\" * -";
            }))
            .empty());
}

// `blog list` reads its "of N" from post_counts (schema step 11), which triggers keep in step with the posts.
TEST_CASE("the live posts counted per user and kind stay exact through insert, delete, restore, purge and removal") {
  TempStore store;
  PostRepository posts(store.db);
  // What counting the posts themselves gives: the kept count must always equal it.
  const auto counted = [&](std::optional<std::int64_t> user, std::optional<std::string> kind) {
    PostFilter f;
    f.user_id = user;
    f.kind = std::move(kind);
    return posts.count(f);
  };
  const auto actual = [&](const std::string& where) {
    return sql(store.db).execAndGet("SELECT count(*) FROM posts WHERE deleted_at IS NULL" + where).getInt64();
  };
  const auto a = posts.insert(new_post(1, "one"), 1);
  const auto b = posts.insert(new_post(1, "two"), 2);
  posts.insert(new_post(1, "three"), 3);
  NewPost social = new_post(1, "caption");
  social.kind = "social";
  posts.insert(social, 4);
  posts.insert(new_post(2, "theirs"), 5);
  posts.insert(new_post(2, "theirs too"), 6);
  CHECK(counted(1, "blog") == 3);
  CHECK(counted(1, "social") == 1);
  CHECK(counted(1, std::nullopt) == 4);
  CHECK(counted(2, "social") == 0);
  CHECK(counted(std::nullopt, std::nullopt) == 6);
  CHECK(counted(std::nullopt, "blog") == 5);

  CHECK(posts.soft_delete(a, 10));
  CHECK_FALSE(posts.soft_delete(a, 11)); // already deleted: counted once
  CHECK(counted(1, "blog") == 2);
  CHECK(counted(1, "blog") == actual(" AND user_id = 1 AND kind = 'blog'"));
  CHECK(posts.purge(a)); // a deleted post purged was not counted any more
  CHECK(counted(1, "blog") == 2);
  CHECK(posts.purge(b)); // a live one purged leaves the count
  CHECK(counted(1, "blog") == 1);
  const auto c = posts.insert(new_post(1, "four"), 12);
  CHECK(posts.soft_delete(c, 13));
  CHECK(posts.restore(c, 14));
  CHECK(counted(1, "blog") == 2);
  CHECK(counted(std::nullopt, std::nullopt) == actual(""));
  // A post moved to another kind or owner leaves one count and joins the other.
  sql(store.db).exec("UPDATE posts SET kind = 'social' WHERE id = " + std::to_string(c));
  CHECK(counted(1, "blog") == 1);
  CHECK(counted(1, "social") == 2);
  sql(store.db).exec("UPDATE posts SET user_id = 2 WHERE id = " + std::to_string(c));
  CHECK(counted(1, "social") == 1);
  CHECK(counted(2, "social") == 1);
  CHECK(counted(std::nullopt, std::nullopt) == actual(""));

  // The other filters still count the posts themselves.
  CHECK(posts.count(filter([](PostFilter& f) {
    f.user_id = 1;
    f.deleted = DeletedFilter::only;
  })) == 0);
  CHECK(posts.count(filter([](PostFilter& f) {
    f.user_id = 2;
    f.search = "theirs";
  })) == 2);

  // The count is the kept one (a change made outside blogen shows through), and a removed user's counts go too.
  sql(store.db).exec("UPDATE post_counts SET live = 99 WHERE user_id = 2 AND kind = 'blog'");
  CHECK(counted(2, "blog") == 99);
  sql(store.db).exec("DELETE FROM users WHERE id = 1");
  CHECK(sql(store.db).execAndGet("SELECT count(*) FROM post_counts WHERE user_id = 1").getInt() == 0);
  CHECK(counted(std::nullopt, std::nullopt) == 99 + 1); // user 2's 99 blog posts (as edited) and 1 social
}

TEST_CASE("a store made before post counts gets them from the posts it holds when it is opened") {
  blogen::testing::TempDir dir{"blogen-post-counts"};
  {
    Database db = Database::open(dir / "blogen.db");
    sql(db).exec("INSERT INTO users(id, username, username_key, password_hash, created_at, updated_at) VALUES "
                 "(1, 'ann', 'ann', 'x', 0, 0)");
    PostRepository posts(db);
    posts.insert(new_post(1, "one"), 1);
    posts.insert(new_post(1, "two"), 2);
    posts.soft_delete(posts.insert(new_post(1, "gone"), 3), 4);
    // Back to the schema of step 10: no table, no triggers.
    sql(db).exec("DROP TRIGGER post_counts_insert; DROP TRIGGER post_counts_delete; DROP TRIGGER post_counts_update; "
                 "DROP TABLE post_counts; PRAGMA user_version = 10");
  }
  Database db = Database::open(dir / "blogen.db");
  CHECK(db.info().schema_version == 11);
  PostRepository posts(db);
  CHECK(posts.count(filter([](PostFilter& f) { f.user_id = 1; })) == 2);
  posts.insert(new_post(1, "three"), 5);
  CHECK(posts.count(filter([](PostFilter& f) { f.user_id = 1; })) == 3);
}

TEST_CASE("revisions are numbered per post and the generated result lands in one piece") {
  TempStore store;
  PostRepository posts(store.db);
  const auto id = posts.insert(new_post(1, "Tea"), 1);
  const auto other = posts.insert(new_post(1, "Coffee"), 1);
  GeneratedPost result{"Tea time", "# Tea time\n\nbody", {"#tea"}, "builtin", "builtin-drafter", 10, 20, "new prompt"};
  CHECK(posts.write_generated(id, result, 5) == 1);
  CHECK(posts.add_revision(other, {"Coffee", "x", RevisionSource::edited, "", ""}, 6) == 1);
  CHECK(posts.add_revision(id, {"Tea 2", "edited body", RevisionSource::edited, "", ""}, 7) == 2);
  const auto post = posts.find(id, 1);
  CHECK(post->status == PostStatus::pending); // the status follows the post's job, never its text
  CHECK(post->title == "Tea 2");
  CHECK(post->content == "edited body");
  CHECK(post->revision == 2);
  CHECK(post->provider == "builtin");
  CHECK(post->model == "builtin-drafter");
  CHECK(post->prompt == "new prompt");
  CHECK(post->completion_tokens == 20);
  CHECK(post->hashtags == std::vector<std::string>{"#tea"});
  const auto history = posts.revisions(id);
  REQUIRE(history.size() == 2);
  CHECK(history[0].source == RevisionSource::generated);
  CHECK(history[0].content == "# Tea time\n\nbody");
  CHECK(history[1].source == RevisionSource::edited);
  CHECK(posts.revision(id, 1)->title == "Tea time");
  CHECK_FALSE(posts.revision(id, 3));
}

TEST_CASE("fts_query quotes every word so FTS syntax is searched as text") {
  CHECK(fts_query("") == "");
  CHECK(fts_query("   ") == "");
  CHECK(fts_query("tea time") == R"("tea" "time")");
  CHECK(fts_query(R"(say "hi")") == R"("say" """hi""")");
  CHECK(fts_query("NEAR( a") == R"("NEAR(" "a")");
  CHECK(fts_query("- * \"") == "");
  CHECK(fts_query("café") == "\"café\"");
}

TEST_CASE("search ranks matches, highlights them and ignores hostile syntax") {
  TempStore store;
  PostRepository posts(store.db);
  const auto body_only = posts.insert(new_post(1, "Cooking"), 1);
  posts.add_revision(body_only, {"Cooking", "We talk about sourdough once here.", RevisionSource::edited, "", ""}, 2);
  const auto titled = posts.insert(new_post(1, "Sourdough basics"), 3);
  const auto deleted = posts.insert(new_post(1, "Sourdough trash"), 4);
  posts.soft_delete(deleted, 5);
  posts.insert(new_post(2, "Sourdough of bob"), 6);
  const auto accented = posts.insert(new_post(1, "Café culture"), 7);

  const auto hits = posts.search(1, "sourdough", 10);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].post.id == titled);
  CHECK(hits[1].post.id == body_only);
  CHECK(hits[0].snippet.find(std::string{k_match_open} + "Sourdough" + k_match_close) != std::string::npos);
  CHECK(posts.search(std::nullopt, "sourdough", 10).size() == 3);
  CHECK(posts.search(1, "cafe", 10).at(0).post.id == accented);
  CHECK(posts.search(1, "CAFÉ", 10).size() == 1);
  for (const char* hostile : {"\"", "*", "NEAR(", "-", "AND OR", "sourdough NOT", "a:b", "(", "^", "\"\"\"", "title:x",
                              "{title}: x", "🥖", "NEAR(sourdough basics, 2)"}) {
    INFO(hostile);
    CHECK_NOTHROW(posts.search(1, hostile, 10));
    CHECK_NOTHROW(posts.list(filter([&](PostFilter& f) {
      f.user_id = 1;
      f.search = std::string(hostile);
    })));
  }
  CHECK(posts.search(1, "AND OR", 10).empty());
}

TEST_CASE("listing, counting and searching stay fast on 100k posts and use the indexes") {
  TempStore store;
  PostRepository posts(store.db);
  // One statement: inserting row by row through the repository would dominate the test's time.
  sql(store.db).exec(R"sql(
    INSERT INTO posts(user_id, title, topic, category, created_at, updated_at)
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999)
    SELECT 1 + i % 2, 'topic number ' || i || iif(i % 1000 = 0, ' zebra', ''),
           'topic number ' || i || iif(i % 1000 = 0, ' zebra', ''), iif(i % 3 = 0, 'Baking', 'Drinks'),
           1000 + i, 1000 + i FROM n)sql");
  const auto plan_of = [&](const std::string& query) {
    SQLite::Statement explain(sql(store.db), "EXPLAIN QUERY PLAN " + query);
    std::string plan;
    while (explain.executeStep())
      plan += explain.getColumn(3).getString() + "\n";
    return plan;
  };
  const std::string where = " FROM posts p WHERE p.user_id = 1 AND p.deleted_at IS NULL ";
  CHECK_THAT(plan_of("SELECT p.id" + where + "ORDER BY p.created_at DESC, p.id DESC LIMIT 20"),
             Catch::Contains("posts_user_created") && !Catch::Contains("TEMP B-TREE"));
  CHECK_THAT(plan_of("SELECT p.id" + where + "ORDER BY p.updated_at DESC, p.id DESC LIMIT 20"),
             Catch::Contains("posts_user_updated") && !Catch::Contains("TEMP B-TREE"));
  CHECK_THAT(plan_of("SELECT p.id" + where + "ORDER BY p.title COLLATE NOCASE, p.id LIMIT 20"),
             Catch::Contains("posts_user_title") && !Catch::Contains("TEMP B-TREE"));
  CHECK_THAT(plan_of("SELECT p.id FROM posts p WHERE p.deleted_at IS NULL ORDER BY p.created_at DESC, p.id DESC "
                     "LIMIT 20"),
             Catch::Contains("posts_created") && !Catch::Contains("TEMP B-TREE"));

  const auto started = std::chrono::steady_clock::now();
  CHECK(posts
            .list(filter([](PostFilter& f) {
              f.user_id = 1;
              f.limit = 20;
              f.offset = 2000;
            }))
            .size() == 20);
  CHECK(posts
            .list(filter([](PostFilter& f) {
              f.user_id = 1;
              f.sort = PostSort::title;
            }))
            .size() == 20);
  CHECK(posts.list(filter([](PostFilter& f) { f.sort = PostSort::created_desc; })).size() == 20);
  CHECK(posts.count(filter([](PostFilter& f) { f.user_id = 1; })) == 50'000);
  CHECK(posts.search(1, "zebra", 500).size() == 100);
  CHECK(posts
            .list(filter([](PostFilter& f) {
              f.user_id = 1;
              f.search = "zebra";
            }))
            .size() == 20);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  // Generous for Debug and sanitizer builds; a release build takes a few milliseconds.
  CHECK(elapsed < std::chrono::seconds(3));
  WARN("queries on 100k posts took " << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()
                                     << " ms");
}
