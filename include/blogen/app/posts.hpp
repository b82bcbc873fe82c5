#pragma once
// Blog post use cases: create (queue a generation), list, show, update, regenerate, edit, delete / restore / purge,
// history, diff, revert, search. Every one resolves the logged-in user first; another user's post is reported
// exactly like a missing one (Error{not_found}).

#include <blogen/app/budgets.hpp>
#include <blogen/app/context.hpp>
#include <blogen/app/costs.hpp>
#include <blogen/app/generation_handler.hpp>
#include <blogen/app/post_options.hpp>
#include <blogen/store/post_repository.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::app {

/// Longest topic, in characters.
constexpr std::size_t k_max_topic_chars = 500;
/// Longest title, in characters.
constexpr std::size_t k_max_title_chars = 200;
/// Longest category, in characters.
constexpr std::size_t k_max_category_chars = 100;
/// Longest prompt, in characters.
constexpr std::size_t k_max_prompt_chars = 20'000;
/// Fewest and most words a post may ask for, and the default.
constexpr int k_min_words = 50;
constexpr int k_max_words = 10'000;
constexpr int k_default_words = 800;
/// Most keywords per post.
constexpr std::size_t k_max_keywords = 20;
/// Most rows one `blog list` page shows.
constexpr int k_max_list_limit = 1000;

/// The tones a post may be written in (`--tone`), the first being the default.
const std::vector<std::string>& post_tones();

/// Whether `update` queues a new generation.
enum class Regenerate { no, yes };
/// Whose posts a listing shows.
enum class Owners { mine, all_users };
/// Whether `delete` moves to the trash or removes for good.
enum class Purge { no, yes };

/// What `blog create` asks for. Unset fields take their defaults.
struct CreatePostRequest {
  std::optional<std::string> topic;
  std::optional<std::string> prompt;
  std::optional<std::string> title;
  PostOptions options;
  std::optional<std::uint64_t> seed;
  Stream stream = Stream::no;
};

/// A post and the job that will write it.
struct QueuedPost {
  std::int64_t post_id = 0;
  std::int64_t job_id = 0;
};

/// Validates a request (Error{usage} naming the flag; nothing is stored on error), then stores the post (pending)
/// and its generation job in one transaction.
QueuedPost create_post(Context& context, const CreatePostRequest& request);

/// `blog create --dry-run`: the call the post would take, its tokens, cost and time; nothing is stored.
RunEstimate estimate_post(Context& context, const CreatePostRequest& request);

/// What `blog list` asks for (text values as typed; they are validated here).
struct ListPostsRequest {
  std::optional<std::string> status;
  std::optional<std::string> category;
  std::optional<std::int64_t> campaign_id;
  std::optional<std::string> search;
  int limit = 20;
  int page = 1;
  std::string sort = "-created";
  store::DeletedFilter deleted = store::DeletedFilter::exclude;
  Owners owners = Owners::mine;
  std::string kind = "blog";
};

/// One page of a listing and how many posts match in all.
struct PostPage {
  std::vector<store::Post> posts;
  std::int64_t total = 0;
};

/// Lists the user's posts (admins may ask for everyone's). Throws Error{usage} naming a bad flag value.
PostPage list_posts(Context& context, const ListPostsRequest& request);

/// The user's live (not deleted) post; Error{not_found} otherwise.
store::Post get_post(Context& context, std::int64_t post_id);
/// The same post with what its provider calls cost (`blog show`), on one session check.
struct PostWithCost {
  store::Post post;
  CostTotal cost;
};
PostWithCost get_post_with_cost(Context& context, std::int64_t post_id);
/// One revision of the user's post; Error{not_found} for a missing post or revision.
store::PostRevision get_revision(Context& context, std::int64_t post_id, int number);

/// What `blog update` changes; unset fields stay as they are.
struct UpdatePostRequest {
  std::int64_t post_id = 0;
  std::optional<std::string> title;
  std::optional<std::string> category;
  std::optional<std::string> tone;
  std::optional<std::string> content; ///< new Markdown text: saved as an `edited` revision
  Regenerate regenerate = Regenerate::no;
  std::optional<std::string> prompt; ///< only with regenerate
  Stream stream = Stream::no;
};

/// What an update did.
struct UpdateResult {
  std::optional<int> revision;        ///< the new revision, when the text changed
  std::optional<std::int64_t> job_id; ///< the queued generation, when regenerating
};

/// Applies an update. Content and metadata change in one transaction; a regeneration queues a job and leaves the
/// current text as it is until the new text lands.
UpdateResult update_post(Context& context, const UpdatePostRequest& request);

/// Moves posts to the trash (cancelling their pending jobs), or with Purge::yes removes them, their revisions and
/// image files for good. Every id is checked first: one missing id changes nothing (Error{not_found}).
void delete_posts(Context& context, const std::vector<std::int64_t>& post_ids, Purge purge);
/// Takes a post out of the trash; Error{not_found} when it is not there.
void restore_post(Context& context, std::int64_t post_id);

/// The revisions of the user's post, oldest first.
std::vector<store::PostRevision> post_history(Context& context, std::int64_t post_id);
/// A unified diff from revision `from` to revision `to` of the user's post.
std::string diff_revisions(Context& context, std::int64_t post_id, int from, int to);
/// Makes an old revision current again as a new `reverted` revision; returns its number.
int revert_post(Context& context, std::int64_t post_id, int number);

/// Full-text search over the user's live posts, best first. Throws Error{usage} naming QUERY when it is empty
/// and naming --limit when the limit is out of range.
std::vector<store::SearchHit> search_posts(Context& context, std::string_view query, int limit);

/// A unified diff of two texts, line by line (longest common subsequence), with three lines of context.
/// Empty when the texts are equal.
std::string unified_diff(std::string_view from, std::string_view to, std::string_view from_label,
                         std::string_view to_label);

} // namespace blogen::app
