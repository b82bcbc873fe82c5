#pragma once
// Posts (blog and social) and their numbered revisions, plus full-text search over them (FTS5, ranked by bm25).
// Every read that serves a user takes the owner, so another user's post is indistinguishable from a missing one.

#include <blogen/core/clock.hpp>
#include <blogen/store/database.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::store {

/// Where a post is in its life.
enum class PostStatus { draft, pending, in_progress, completed, failed, cancelled };
/// Stable lower-case name ("in_progress").
std::string_view to_string(PostStatus status);
/// Parses a status name; nullopt when unknown.
std::optional<PostStatus> parse_post_status(std::string_view text);
/// Every status name, in the enum's order (for help texts and completion).
std::vector<std::string> post_status_names();

/// Where a revision's text came from.
enum class RevisionSource { generated, edited, reverted, imported };
/// Stable lower-case name ("generated").
std::string_view to_string(RevisionSource source);

/// One row of the posts table.
struct Post {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string kind = "blog"; ///< "blog" or "social"
  std::optional<std::int64_t> campaign_id;
  std::optional<std::int64_t> batch_id;
  std::string title;
  std::string topic;
  std::string prompt;
  std::string category;
  std::string tone;
  std::vector<std::string> keywords;
  int target_words = 0;
  std::string template_name;
  std::string audience;
  std::string brand;
  std::string platform;
  std::string brief;
  std::string content;
  std::vector<std::string> hashtags;
  std::optional<std::string> image_path;
  PostStatus status = PostStatus::pending;
  std::string error;
  std::string provider;
  std::string model;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::uint64_t seed = 0;
  int revision = 0; ///< number of the revision the content is (0: no text yet)
  TimestampMs created_at = 0;
  TimestampMs updated_at = 0;
  std::optional<TimestampMs> deleted_at;
};

/// What is needed to insert a post: every field of Post but ids, results and timestamps.
struct NewPost {
  std::int64_t user_id = 0;
  std::string kind = "blog";
  std::optional<std::int64_t> campaign_id;
  std::optional<std::int64_t> batch_id;
  std::string title;
  std::string topic;
  std::string prompt;
  std::string category;
  std::string tone;
  std::vector<std::string> keywords;
  int target_words = 0;
  std::string template_name;
  std::string audience;
  std::string brand;
  std::string platform;
  std::string brief;
  PostStatus status = PostStatus::pending;
  std::string provider; ///< the provider asked for ("" = the default at generation time)
  std::string model;    ///< the model asked for ("" = the provider's)
  std::uint64_t seed = 0;
};

/// A partial update of a post's metadata: only the fields that are set change.
struct PostChanges {
  std::optional<std::string> title;
  std::optional<std::string> category;
  std::optional<std::string> tone;
  std::optional<std::string> prompt;
  std::optional<std::string> provider;
  std::optional<std::string> model;
};

/// Which posts a listing shows with respect to the trash.
enum class DeletedFilter { exclude, only, include };
/// The order of a listing: `created` (oldest first), `-created` (newest first), `updated` (latest change first),
/// `title` (alphabetical, case-insensitive).
enum class PostSort { created, created_desc, updated, title };

/// Filters for listing and counting posts.
struct PostFilter {
  std::optional<std::int64_t> user_id; ///< nullopt: every user (admin --all-users)
  std::optional<std::string> kind;     ///< "blog", "social", nullopt: both
  std::optional<PostStatus> status;
  std::optional<std::string> category; ///< exact, case-insensitive
  std::optional<std::int64_t> campaign_id;
  std::optional<std::int64_t> batch_id;
  std::optional<std::string> search; ///< user words (see fts_query); matching posts only
  DeletedFilter deleted = DeletedFilter::exclude;
  PostSort sort = PostSort::created_desc;
  int limit = 20; ///< negative: no limit
  int offset = 0;
};

/// One numbered revision of a post's text.
struct PostRevision {
  std::int64_t id = 0;
  std::int64_t post_id = 0;
  int number = 0;
  std::string title;
  std::string content;
  RevisionSource source = RevisionSource::generated;
  std::string provider;
  std::string model;
  TimestampMs created_at = 0;
};

/// A new revision: its text and where it came from.
struct NewRevision {
  std::string title;
  std::string content;
  RevisionSource source = RevisionSource::edited;
  std::string provider;
  std::string model;
};

/// A generation's result, written in one transaction with a new `generated` revision.
struct GeneratedPost {
  std::string title;
  std::string content;
  std::vector<std::string> hashtags;
  std::string provider;
  std::string model;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::optional<std::string> prompt; ///< set: the prompt the text was written from replaces the post's prompt
};

/// Marks the start of a match in a search snippet (STX: never part of printable text).
constexpr char k_match_open = '\x02';
/// Marks the end of a match in a search snippet (ETX).
constexpr char k_match_close = '\x03';

/// A search result: the post and an excerpt whose matches are wrapped in k_match_open / k_match_close.
struct SearchHit {
  Post post;
  std::string snippet;
  double rank = 0; ///< bm25: lower is better
};

/// Turns user text into an FTS5 query that matches all its words: each whitespace-separated token is quoted
/// (`"` doubled), so FTS syntax (`"`, `*`, `NEAR(`, `-`, `AND`, `OR`) is searched as text and never errors.
/// Empty when the text has no tokens.
std::string fts_query(std::string_view user_text);

/// The posts table, its revisions and its full-text index, on one connection.
class PostRepository {
public:
  explicit PostRepository(Database& db) : m_db(db) {}

  /// Inserts a post; returns its id.
  std::int64_t insert(const NewPost& post, TimestampMs now);
  /// The post with this id owned by `user_id` (deleted ones included), or nullopt.
  std::optional<Post> find(std::int64_t post_id, std::int64_t user_id);
  /// The post with this id whoever owns it (workers, admins), or nullopt.
  std::optional<Post> find_any(std::int64_t post_id);
  /// Applies the set fields of `changes`; returns whether the post exists.
  bool update(std::int64_t post_id, const PostChanges& changes, TimestampMs now);
  /// Sets the status and its error (empty clears it).
  void set_status(std::int64_t post_id, PostStatus status, std::string_view error, TimestampMs now);
  /// Moves a post to the trash; false when it is missing or already there.
  bool soft_delete(std::int64_t post_id, TimestampMs now);
  /// Takes a post out of the trash; false when it is missing or not there.
  bool restore(std::int64_t post_id, TimestampMs now);
  /// Removes a post for good with its revisions (and its jobs, through the foreign key); false when missing.
  bool purge(std::int64_t post_id);

  /// Posts matching a filter, in its order, limited and offset.
  std::vector<Post> list(const PostFilter& filter);
  /// How many posts match a filter (limit and offset ignored).
  std::int64_t count(const PostFilter& filter);
  /// Full-text search, best first; only live (not deleted) posts of `user_id` (nullopt: everyone's).
  /// `user_text` goes through fts_query; an empty query returns nothing.
  std::vector<SearchHit> search(std::optional<std::int64_t> user_id, std::string_view user_text, int limit);

  /// Adds a revision with the next number and makes it the post's title and content. Returns its number.
  int add_revision(std::int64_t post_id, const NewRevision& revision, TimestampMs now);
  /// The revisions of a post, oldest first.
  std::vector<PostRevision> revisions(std::int64_t post_id);
  /// One revision of a post, or nullopt.
  std::optional<PostRevision> revision(std::int64_t post_id, int number);
  /// Writes a generation's result atomically: a new `generated` revision, title, content, hashtags, provider,
  /// model, tokens, status completed, error cleared. Returns the revision number.
  int write_generated(std::int64_t post_id, const GeneratedPost& result, TimestampMs now);

private:
  Database& m_db;
};

} // namespace blogen::store
