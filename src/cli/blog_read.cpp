// blog list, blog show: reading posts.
#include "blog_commands.hpp"
#include "post_print.hpp"

#include <blogen/app/post_export.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/core/error.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

struct ListOptions {
  std::optional<std::string> status;
  std::optional<std::string> category;
  std::optional<std::int64_t> campaign;
  std::optional<std::string> search;
  int limit = 20;
  int page = 1;
  std::string sort = "-created";
  bool deleted = false;
  bool all_users = false;
};

struct ShowOptions {
  std::int64_t id = 0;
  std::string format = "text";
  std::optional<int> revision;
};

void add_list(CLI::App& blog, Registry& registry) {
  auto options = make_options<ListOptions>();
  auto* command = blog.add_subcommand("list", "List your posts, newest first");
  command->footer("Needs: a login (--all-users: an admin).\n"
                  "Statuses: draft, pending, in_progress, completed, failed, cancelled.\n"
                  "Example: blogen blog list --status failed --json | jq '.[].id'");
  command->add_option("--status", options->status, "Only posts with this status");
  command->add_option("--category", options->category, "Only posts in this category (case-insensitive)");
  command->add_option("--campaign", options->campaign, "Only posts of this campaign");
  command->add_option("--search", options->search, "Only posts containing these words");
  command->add_option("--limit", options->limit,
                      fmt::format("Posts per page (1-{}, default 20)", app::k_max_list_limit));
  command->add_option("--page", options->page, "Page number, from 1");
  command->add_option("--sort", options->sort, "created, -created (default), updated or title");
  command->add_flag("--deleted", options->deleted, "Show the trash instead");
  command->add_flag("--all-users", options->all_users, "Everyone's posts (admin only)");
  registry.on(command, [options](Env& env) {
    app::ListPostsRequest request;
    request.status = options->status;
    request.category = options->category;
    request.campaign_id = options->campaign;
    request.search = options->search;
    request.limit = options->limit;
    request.page = options->page;
    request.sort = options->sort;
    request.deleted = options->deleted ? store::DeletedFilter::only : store::DeletedFilter::exclude;
    request.owners = options->all_users ? app::Owners::all_users : app::Owners::mine;
    const app::PostPage page = app::list_posts(env.app(), request);
    auto& out = env.out();
    if (out.json()) {
      nlohmann::json posts = nlohmann::json::array();
      for (const auto& post : page.posts)
        posts.push_back(post_summary_json(post));
      out.print_json(posts);
    } else if (out.quiet()) {
      for (const auto& post : page.posts)
        out.line(std::to_string(post.id));
    } else if (page.posts.empty()) {
      out.note(page.total > 0 ? fmt::format("No posts on page {} ({} in all).", options->page, page.total)
                              : std::string(options->deleted ? "The trash is empty." : "No posts yet."));
    } else {
      print_post_table(out, page.posts);
      const std::int64_t shown_until =
          static_cast<std::int64_t>(options->page - 1) * options->limit + static_cast<std::int64_t>(page.posts.size());
      if (shown_until < page.total) {
        out.note(
            fmt::format("Showing {} of {} posts; next: --page {}", page.posts.size(), page.total, options->page + 1));
      }
    }
    return 0;
  });
}

void add_show(CLI::App& blog, Registry& registry) {
  auto options = make_options<ShowOptions>();
  auto* command = blog.add_subcommand("show", "Show a post");
  command->footer("Needs: a login.\n"
                  "text: for reading on the terminal; markdown: the raw text with a YAML front matter;\n"
                  "json: every field. --revision shows an older revision's text.\n"
                  "Example: blogen blog show 12 --format markdown > post.md");
  command->add_option("ID", options->id, "The post id")->required();
  command->add_option("--format", options->format, "text (default), markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  command->add_option("--revision", options->revision, "Show this revision's title and text");
  registry.on(command, [options](Env& env) {
    store::Post post = app::get_post(env.app(), options->id);
    std::optional<store::PostRevision> revision;
    if (options->revision) {
      revision = app::get_revision(env.app(), options->id, *options->revision);
      post.title = revision->title;
      post.content = revision->content;
      post.revision = revision->number;
      post.provider = revision->provider;
      post.model = revision->model;
      post.updated_at = revision->created_at;
    }
    auto& out = env.out();
    if (out.json() || options->format == "json") {
      nlohmann::json json = app::post_json(post);
      if (revision) json["revision_source"] = std::string(store::to_string(revision->source));
      out.print_json(json);
    } else if (options->format == "markdown") {
      print_post_markdown(out, post);
    } else {
      print_post_text(out, post);
    }
    return 0;
  });
}

} // namespace

void add_blog_read(CLI::App& blog, Registry& registry) {
  add_list(blog, registry);
  add_show(blog, registry);
}

} // namespace blogen::cli
