// blog list, blog show: reading posts.
#include "blog_commands.hpp"
#include "post_print.hpp"
#include "present.hpp"

#include <blogen/app/costs.hpp>
#include <blogen/app/post_export.hpp>
#include <blogen/app/posts.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace blogen::cli {
namespace {

struct ShowOptions {
  std::int64_t id = 0;
  std::string format = "text";
  std::optional<int> revision;
};

/// One page of `blog list`, with where it stands in the whole listing.
struct PostListing {
  app::PostPage page;
  app::ListPostsRequest request;
};

nlohmann::json to_json(const PostListing& listing) {
  nlohmann::json posts = nlohmann::json::array();
  for (const auto& post : listing.page.posts)
    posts.push_back(app::post_summary_json(post));
  return posts;
}

void to_quiet(term::Output& out, const PostListing& listing) {
  print_each(out, listing.page.posts, [](const app::Post& post) { return std::to_string(post.id); });
}

void to_text(term::Output& out, const PostListing& listing) {
  const app::PostPage& page = listing.page;
  const int number = listing.request.page;
  if (page.posts.empty()) {
    const bool trash = listing.request.deleted == app::DeletedFilter::only;
    out.note(page.total > 0 ? fmt::format("No posts on page {} ({} in all).", number, page.total)
                            : std::string(trash ? "The trash is empty." : "No posts yet."));
    return;
  }
  print_post_table(out, page.posts);
  const std::int64_t shown_until =
      static_cast<std::int64_t>(number - 1) * listing.request.limit + static_cast<std::int64_t>(page.posts.size());
  if (shown_until < page.total) {
    out.note(fmt::format("Showing {} of {} posts; next: --page {}", page.posts.size(), page.total, number + 1));
  }
}

/// `blog show`: a post, or an older revision's text in it. The text form is the post for reading or its Markdown;
/// -q prints the same.
struct ShownPost {
  app::Post post;
  std::optional<app::PostRevision> revision;
  bool markdown = false;
  app::CostTotal cost; ///< what the post's calls cost
};

nlohmann::json to_json(const ShownPost& shown) {
  nlohmann::json json = app::post_json(shown.post);
  if (shown.revision) json["revision_source"] = std::string(app::to_string(shown.revision->source));
  json["cost"] = app::cost_json(shown.cost);
  return json;
}

void to_text(term::Output& out, const ShownPost& shown) {
  if (shown.markdown) {
    print_post_markdown(out, shown.post);
  } else {
    print_post_text(out, shown.post, app::describe_cost(shown.cost));
  }
}

void to_quiet(term::Output& out, const ShownPost& shown) { to_text(out, shown); }

} // namespace

void add_blog_list(CLI::App& blog, Registry& registry) {
  auto request = make_options<app::ListPostsRequest>();
  auto* command = blog.add_subcommand("list", "List your posts, newest first");
  command->footer("Needs: a login (--all-users: an admin).\n"
                  "Statuses: " +
                  fmt::format("{}", fmt::join(app::post_status_names(), ", ")) +
                  ".\n"
                  "Example: blogen blog list --status failed --json | jq '.[].id'");
  registry.suggest(command->add_option("--status", request->status, "Only posts with this status"),
                   app::post_status_names());
  command->add_option("--category", request->category, "Only posts in this category (case-insensitive)");
  command->add_option("--campaign", request->campaign_id, "Only posts of this campaign");
  command->add_option("--search", request->search, "Only posts containing these words");
  command->add_option("--limit", request->limit,
                      fmt::format("Posts per page (1-{}, default 20)", app::k_max_list_limit));
  command->add_option("--page", request->page, "Page number, from 1");
  registry.suggest(command->add_option("--sort", request->sort, "created, -created (default), updated or title"),
                   {"created", "-created", "updated", "title"});
  command->add_flag_callback(
      "--deleted", [request]() { request->deleted = app::DeletedFilter::only; }, "Show the trash instead");
  command->add_flag_callback(
      "--all-users", [request]() { request->owners = app::Owners::all_users; }, "Everyone's posts (admin only)");
  registry.on(command, [request](Env& env) {
    present(env.out(), PostListing{app::list_posts(env.app(), *request), *request});
    return 0;
  });
}

void add_blog_show(CLI::App& blog, Registry& registry) {
  auto options = make_options<ShowOptions>();
  auto* command = blog.add_subcommand("show", "Show a post");
  command->footer("Needs: a login.\n"
                  "text: for reading on the terminal; markdown: the raw text with a YAML front matter;\n"
                  "json: every field. --revision shows an older revision's text.\n"
                  "Example: blogen blog show 12 --format markdown > post.md");
  command->add_option("ID", options->id, "The post id")->required();
  registry.one_of(command->add_option("--format", options->format, "text (default), markdown or json"),
                  {"text", "markdown", "json"});
  command->add_option("--revision", options->revision, "Show this revision's title and text");
  registry.on(command, [options](Env& env) {
    app::PostWithCost found = app::get_post_with_cost(env.app(), options->id);
    ShownPost shown{std::move(found.post), std::nullopt, options->format == "markdown", found.cost};
    if (options->revision) {
      const app::PostRevision& revision =
          shown.revision.emplace(app::get_revision(env.app(), options->id, *options->revision));
      app::Post& post = shown.post;
      post.title = revision.title;
      post.content = revision.content;
      post.revision = revision.number;
      post.provider = revision.provider;
      post.model = revision.model;
      post.updated_at = revision.created_at;
    }
    // --format json is --json for this one command.
    if (options->format == "json") {
      env.out().print_json(to_json(shown));
    } else {
      present(env.out(), shown);
    }
    return 0;
  });
}

} // namespace blogen::cli
