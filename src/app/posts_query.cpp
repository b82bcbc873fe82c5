#include "posts_common.hpp"

#include <blogen/app/posts.hpp>
#include <blogen/core/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <utility>

namespace blogen::app {
namespace {

store::PostSort parse_sort(const std::string& sort) {
  if (sort == "created") return store::PostSort::created;
  if (sort == "-created") return store::PostSort::created_desc;
  if (sort == "updated") return store::PostSort::updated;
  if (sort == "title") return store::PostSort::title;
  throw Error(ErrorCode::usage,
              fmt::format("--sort: unknown order '{}'; use created, -created, updated or title", sort));
}

void check_limit(int limit) {
  if (limit < 1 || limit > k_max_list_limit) {
    throw Error(ErrorCode::usage, fmt::format("--limit must be between 1 and {}", k_max_list_limit));
  }
}

} // namespace

PostPage list_posts(Context& context, const ListPostsRequest& request) {
  const CurrentUser user = request.owners == Owners::all_users ? require_admin(context) : require_user(context);
  check_limit(request.limit);
  if (request.page < 1) throw Error(ErrorCode::usage, "--page must be 1 or more");
  store::PostFilter filter;
  if (request.owners == Owners::mine) filter.user_id = user.id;
  filter.kind = request.kind;
  if (request.status) {
    filter.status = store::parse_post_status(*request.status);
    if (!filter.status) {
      throw Error(ErrorCode::usage,
                  fmt::format("--status: unknown status '{}'; use draft, pending, in_progress, completed, failed or "
                              "cancelled",
                              *request.status));
    }
  }
  if (request.category) filter.category = detail::check_category(*request.category, "--category");
  filter.campaign_id = request.campaign_id;
  if (request.search) {
    if (text::trim(*request.search).empty()) throw Error(ErrorCode::usage, "--search is empty");
    filter.search = *request.search;
  }
  filter.deleted = request.deleted;
  filter.sort = parse_sort(request.sort);
  filter.limit = request.limit;
  // Past the last page is simply empty; the product cannot overflow for any accepted limit and page.
  filter.offset = static_cast<int>(std::min<std::int64_t>(static_cast<std::int64_t>(request.page - 1) * request.limit,
                                                          std::numeric_limits<int>::max()));
  store::PostRepository posts(context.db());
  PostPage page;
  page.posts = posts.list(filter);
  page.total = posts.count(filter);
  return page;
}

store::Post get_post(Context& context, std::int64_t post_id) {
  const CurrentUser user = require_user(context);
  store::PostRepository posts(context.db());
  return detail::owned_post(posts, user, post_id);
}

PostWithCost get_post_with_cost(Context& context, std::int64_t post_id) {
  const CurrentUser user = require_user(context);
  store::PostRepository posts(context.db());
  store::Post post = detail::owned_post(posts, user, post_id);
  return PostWithCost{std::move(post), post_cost(context, user, post_id)};
}

store::PostRevision get_revision(Context& context, std::int64_t post_id, int number) {
  const CurrentUser user = require_user(context);
  store::PostRepository posts(context.db());
  detail::owned_post(posts, user, post_id);
  auto revision = posts.revision(post_id, number);
  if (!revision) throw Error(ErrorCode::not_found, fmt::format("post {} has no revision {}", post_id, number));
  return *revision;
}

std::vector<store::PostRevision> post_history(Context& context, std::int64_t post_id) {
  const CurrentUser user = require_user(context);
  store::PostRepository posts(context.db());
  detail::owned_post(posts, user, post_id);
  return posts.revisions(post_id);
}

std::string diff_revisions(Context& context, std::int64_t post_id, int from, int to) {
  const store::PostRevision a = get_revision(context, post_id, from);
  const store::PostRevision b = get_revision(context, post_id, to);
  const auto text_of = [](const store::PostRevision& revision) {
    return "# " + revision.title + "\n\n" + revision.content + "\n";
  };
  return unified_diff(text_of(a), text_of(b), fmt::format("post {} revision {}", post_id, from),
                      fmt::format("post {} revision {}", post_id, to));
}

std::vector<store::SearchHit> search_posts(Context& context, std::string_view query, int limit) {
  const CurrentUser user = require_user(context);
  if (text::trim(query).empty()) throw Error(ErrorCode::usage, "QUERY is empty: give words to search for");
  check_limit(limit);
  return store::PostRepository(context.db()).search(user.id, query, limit);
}

} // namespace blogen::app
