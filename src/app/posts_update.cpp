#include "posts_common.hpp"

#include <blogen/app/posts.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/paths.hpp>
#include <blogen/store/job_repository.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

namespace blogen::app {
namespace {

using detail::owned_post;

constexpr std::size_t k_max_content_chars = 1'000'000;

std::string check_content(const std::string& content) {
  if (text::trim(content).empty()) throw Error(ErrorCode::usage, "--content-file: the text is empty");
  if (text::utf8_length(content) > k_max_content_chars) {
    throw Error(ErrorCode::usage, fmt::format("--content-file: longer than {} characters", k_max_content_chars));
  }
  return content;
}

// Removes a post's image only when it lies inside the store's images folder: a path in the store is data, and data
// must not be able to name a file elsewhere for deletion.
void remove_image(const std::filesystem::path& store_path, const std::optional<std::string>& image_path) {
  if (!image_path || image_path->empty()) return;
  const std::filesystem::path images = paths::images_dir(store_path);
  std::filesystem::path file = *image_path;
  if (file.is_relative()) file = store_path.parent_path() / file;
  std::error_code ec;
  const auto canonical_images = std::filesystem::weakly_canonical(images, ec);
  const auto canonical_file = std::filesystem::weakly_canonical(file, ec);
  if (ec) return;
  const auto relative = canonical_file.lexically_relative(canonical_images);
  if (relative.empty() || relative.is_absolute() || *relative.begin() == "..") return;
  std::filesystem::remove(canonical_file, ec);
}

} // namespace

UpdateResult update_post(Context& context, const UpdatePostRequest& request) {
  const CurrentUser user = require_user(context);
  store::Database& db = context.db();
  store::PostRepository posts(db);
  (void)owned_post(posts, user, request.post_id); // "not found" comes before complaints about flags

  if (request.prompt && request.regenerate == Regenerate::no) {
    throw Error(ErrorCode::usage, "--prompt needs --regenerate");
  }
  if (request.content && request.regenerate == Regenerate::yes) {
    throw Error(ErrorCode::usage, "--content-file and --regenerate cannot be used together");
  }
  if (!request.title && !request.category && !request.tone && !request.content &&
      request.regenerate == Regenerate::no) {
    throw Error(ErrorCode::usage,
                "nothing to update: give --title, --category, --tone, --content-file or --regenerate");
  }
  store::PostChanges changes;
  if (request.title) changes.title = detail::check_title(*request.title, "--title");
  if (request.category) changes.category = detail::check_category(*request.category, "--category");
  if (request.tone) changes.tone = detail::check_tone(*request.tone, "--tone");
  std::optional<std::string> prompt;
  if (request.prompt) prompt = detail::check_prompt(*request.prompt, "--prompt");
  std::optional<std::string> content;
  if (request.content) content = check_content(*request.content);

  const TimestampMs now = context.clock().now_ms();
  UpdateResult result;
  store::WriteTransaction transaction(db);
  // Read under the write lock: a generation that committed since the command started is what this update builds
  // on (its text is kept when only the title changes), never replaced by the text read before it landed.
  const store::Post post = owned_post(posts, user, request.post_id);
  posts.update(post.id, changes, now);
  // A new title or text becomes a revision, so every version of what was written stays in the history.
  const bool title_changed = changes.title && *changes.title != post.title;
  const bool content_changed = content && *content != post.content;
  if (content_changed || (title_changed && post.revision > 0)) {
    result.revision = posts.add_revision(
        post.id,
        {changes.title.value_or(post.title), content.value_or(post.content), store::RevisionSource::edited, "", ""},
        now);
    // Hand-written text on a post whose generation failed makes it a draft; a pending generation still lands.
    if (content_changed && (post.status == store::PostStatus::failed || post.status == store::PostStatus::cancelled)) {
      posts.set_status(post.id, store::PostStatus::draft, "", now);
    }
  }
  if (request.regenerate == Regenerate::yes) {
    store::NewJob job;
    job.user_id = user.id;
    job.kind = std::string(k_generate_blog);
    job.post_id = post.id;
    job.payload = GenerationPayload{request.stream, prompt, std::nullopt}.to_json();
    result.job_id = store::JobRepository(db).enqueue(job, now); // the post follows its new job: pending
  }
  transaction.commit();
  return result;
}

void delete_posts(Context& context, const std::vector<std::int64_t>& post_ids, Purge purge) {
  const CurrentUser user = require_user(context);
  store::Database& db = context.db();
  store::PostRepository posts(db);
  std::vector<store::Post> found;
  found.reserve(post_ids.size());
  // Every id first: a typo in the fifth id must not leave four posts deleted.
  for (const std::int64_t id : post_ids) {
    found.push_back(owned_post(posts, user, id, purge == Purge::yes ? detail::Trashed::show : detail::Trashed::hide));
  }
  const TimestampMs now = context.clock().now_ms();
  store::WriteTransaction transaction(db);
  store::JobRepository jobs(db);
  for (const auto& post : found) {
    jobs.cancel_for_post(post.id, now);
    if (purge == Purge::yes) {
      posts.purge(post.id);
    } else {
      posts.soft_delete(post.id, now);
    }
  }
  transaction.commit();
  if (purge == Purge::yes) {
    for (const auto& post : found)
      remove_image(context.store_path(), post.image_path);
  }
}

void restore_post(Context& context, std::int64_t post_id) {
  const CurrentUser user = require_user(context);
  store::PostRepository posts(context.db());
  const store::Post post = owned_post(posts, user, post_id, detail::Trashed::show);
  if (!post.deleted_at) throw Error(ErrorCode::not_found, fmt::format("post {} is not in the trash", post_id));
  posts.restore(post_id, context.clock().now_ms());
}

int revert_post(Context& context, std::int64_t post_id, int number) {
  const store::PostRevision old = get_revision(context, post_id, number);
  return store::PostRepository(context.db())
      .add_revision(post_id, {old.title, old.content, store::RevisionSource::reverted, old.provider, old.model},
                    context.clock().now_ms());
}

} // namespace blogen::app
