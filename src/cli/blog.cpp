// blog create: write a post now (in a worker thread of this process) or queue it for a worker.
#include "blog_commands.hpp"
#include "command_groups.hpp"
#include "commands.hpp"
#include "estimate_print.hpp"
#include "foreground_job.hpp"
#include "post_flags.hpp"
#include "post_print.hpp"
#include "present.hpp"

#include <blogen/app/posts.hpp>
#include <blogen/app/providers.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

#include <array>

namespace blogen::cli {
namespace {

struct CreateOptions {
  app::CreatePostRequest request;
  bool detach = false;
  bool dry_run = false;
};

} // namespace

void add_blog_create(CLI::App& blog, Registry& registry) {
  auto options = make_options<CreateOptions>();
  auto& bound = options->request; // the flags fill the request directly
  auto* command = blog.add_subcommand("create", "Write a blog post with the configured provider");
  command->footer(fmt::format(
      "Needs: a login. Writes: a post and its generation job.\n"
      "Without --detach the post is written now (a spinner on a terminal, or the text as it arrives with --stream)\n"
      "and printed; Ctrl-C leaves the job queued for 'blogen worker'. With --detach only the ids are printed.\n"
      "Tones: {}.\n"
      "Exit codes: 2 bad flag value (nothing stored), 5 the provider refused for good, 1 the generation failed.\n"
      "Example: blogen blog create --topic \"Sourdough for beginners\" --keyword starter --words 600",
      fmt::join(app::post_tones(), ", ")));
  auto* topic = command->add_option("--topic", bound.topic, "What the post is about (at most 500 characters)");
  auto* prompt =
      command->add_option("--prompt", bound.prompt, "Your own prompt instead of a topic (at most 20000 characters)");
  topic->excludes(prompt);
  command->add_option("--title", bound.title, "The title to use (default: the model's first '# ' heading)");
  add_post_flags(*command, bound.options, registry,
                 "USD the post may cost at most; a call that would pass it is not made (the job fails)");
  command->add_option("--seed", bound.seed, "Seed for reproducible drafts (builtin provider)");
  command->add_flag_callback(
      "--stream", [options]() { options->request.stream = app::Stream::yes; }, "Print the text as it arrives");
  command->add_flag("--detach", options->detach, "Only queue the job; print the ids");
  command->add_flag("--dry-run", options->dry_run,
                    "Print the calls, tokens, cost and time it would take; write nothing and call no provider");
  registry.on(command, [options](Env& env) {
    const app::CreatePostRequest& request = options->request;
    if (options->dry_run) {
      present_estimate(env.out(), app::estimate_post(env.app(), request));
      return 0;
    }
    // A missing key fails here, before the post and its job are written, instead of leaving a failed post.
    if (!options->detach) app::require_credentials(env.app(), request.options.provider);
    const app::QueuedPost queued = app::create_post(env.app(), request);
    auto& out = env.out();
    if (options->detach) {
      warn_if_no_credentials(env, request.options.provider);
      present(out, Outcome{{{"post_id", queued.post_id}, {"job_id", queued.job_id}, {"status", "pending"}},
                           fmt::format("Queued post {} (job {}).", queued.post_id, queued.job_id),
                           fmt::format("Run 'blogen worker --until-idle' or 'blogen job wait {}' to write it.",
                                       queued.job_id),
                           {std::to_string(queued.post_id)}});
      return 0;
    }
    run_job_in_foreground(env, queued.job_id, queued.post_id, request.stream);
    print_written_post(env, queued.post_id, request.stream == app::Stream::yes && !out.json());
    return 0;
  });
}

namespace {

constexpr std::array<std::string_view, 1> k_blog_create_names{"create"};
constexpr std::array<std::string_view, 1> k_blog_list_names{"list"};
constexpr std::array<std::string_view, 1> k_blog_show_names{"show"};
constexpr std::array<std::string_view, 2> k_blog_update_names{"update", "edit"};
constexpr std::array<std::string_view, 2> k_blog_trash_names{"delete", "restore"};
constexpr std::array<std::string_view, 3> k_blog_revision_names{"history", "diff", "revert"};
constexpr std::array<std::string_view, 2> k_blog_search_export_names{"search", "export"};

// In the order `blogen blog --help` lists them.
const std::array k_blog_parts{
    CommandPart{k_blog_create_names, add_blog_create},
    CommandPart{k_blog_list_names, add_blog_list},
    CommandPart{k_blog_show_names, add_blog_show},
    CommandPart{k_blog_update_names, add_blog_update},
    CommandPart{k_blog_trash_names, add_blog_trash},
    CommandPart{k_blog_revision_names, add_blog_revisions},
    CommandPart{k_blog_search_export_names, add_blog_search_export},
};

} // namespace

void add_blog_commands(CLI::App& root, Registry& registry) {
  auto* blog = root.add_subcommand("blog", "Blog posts: create, list, show, update, edit, delete, search, export");
  blog->require_subcommand(0, 1);
  add_parts(*blog, registry, k_blog_parts, registry.wanted_subcommand());
}

} // namespace blogen::cli
