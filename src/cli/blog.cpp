// blog create: write a post now (in a worker thread of this process) or queue it for a worker.
#include "blog_commands.hpp"
#include "commands.hpp"
#include "foreground_job.hpp"
#include "post_print.hpp"

#include <blogen/app/post_export.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

struct CreateOptions {
  std::optional<std::string> topic;
  std::optional<std::string> prompt;
  std::optional<std::string> title;
  std::optional<std::string> category;
  std::optional<std::string> tone;
  std::optional<int> words;
  std::vector<std::string> keywords;
  std::optional<std::string> template_name;
  std::optional<std::string> provider;
  std::optional<std::string> model;
  std::optional<std::uint64_t> seed;
  bool stream = false;
  bool detach = false;
};

} // namespace

void print_written_post(Env& env, std::int64_t post_id, bool text_was_streamed) {
  auto& out = env.out();
  const store::Post post = app::get_post(env.app(), post_id);
  if (out.json()) {
    out.print_json(app::post_json(post));
  } else if (out.quiet()) {
    out.line(std::to_string(post.id));
  } else if (text_was_streamed) {
    out.note(fmt::format("post {} \"{}\" written by {}", post.id, term::sanitize_single_line(post.title),
                         term::sanitize_single_line(written_by(post.provider, post.model))));
  } else {
    print_post_text(out, post);
  }
}

void add_blog_create(CLI::App& blog, Registry& registry) {
  auto options = make_options<CreateOptions>();
  auto* command = blog.add_subcommand("create", "Write a blog post with the configured provider");
  command->footer(fmt::format(
      "Needs: a login. Writes: a post and its generation job.\n"
      "Without --detach the post is written now (a spinner on a terminal, or the text as it arrives with --stream)\n"
      "and printed; Ctrl-C leaves the job queued for 'blogen worker'. With --detach only the ids are printed.\n"
      "Tones: {}.\n"
      "Exit codes: 2 bad flag value (nothing stored), 5 the provider refused for good, 1 the generation failed.\n"
      "Example: blogen blog create --topic \"Sourdough for beginners\" --keyword starter --words 600",
      fmt::join(app::post_tones(), ", ")));
  auto* topic = command->add_option("--topic", options->topic, "What the post is about (at most 500 characters)");
  auto* prompt =
      command->add_option("--prompt", options->prompt, "Your own prompt instead of a topic (at most 20000 characters)");
  topic->excludes(prompt);
  command->add_option("--title", options->title, "The title to use (default: the model's first '# ' heading)");
  command->add_option("--category", options->category, "A category for listing and export");
  command->add_option("--tone", options->tone, "The writing tone (default friendly; see below)");
  command->add_option("--words", options->words,
                      fmt::format("Target length in words ({}-{}, default {}). The builtin provider never repeats a "
                                  "sentence: it meets the target within 15% up to 3000 words and writes about "
                                  "3000-3500 for longer targets",
                                  app::k_min_words, app::k_max_words, app::k_default_words));
  command->add_option("--keyword", options->keywords, "A keyword to work in (repeat the flag for more)")
      ->allow_extra_args(false);
  command->add_option("--template", options->template_name, "Prompt template (default blog-post; 'template list')");
  command->add_option("--provider", options->provider, "Provider name (default: the configured default)");
  command->add_option("--model", options->model, "Model name (default: the provider's)");
  command->add_option("--seed", options->seed, "Seed for reproducible drafts (builtin provider)");
  command->add_flag("--stream", options->stream, "Print the text as it arrives");
  command->add_flag("--detach", options->detach, "Only queue the job; print the ids");
  registry.on(command, [options](Env& env) {
    app::CreatePostRequest request;
    request.topic = options->topic;
    request.prompt = options->prompt;
    request.title = options->title;
    request.category = options->category;
    request.tone = options->tone;
    request.words = options->words;
    request.keywords = options->keywords;
    request.template_name = options->template_name;
    request.provider = options->provider;
    request.model = options->model;
    request.seed = options->seed;
    request.stream = options->stream ? app::Stream::yes : app::Stream::no;
    const app::QueuedPost queued = app::create_post(env.app(), request);
    auto& out = env.out();
    if (options->detach) {
      if (out.json()) {
        out.print_json({{"post_id", queued.post_id}, {"job_id", queued.job_id}, {"status", "pending"}});
      } else if (out.quiet()) {
        out.line(std::to_string(queued.post_id));
      } else {
        out.line(fmt::format("Queued post {} (job {}).", queued.post_id, queued.job_id));
        out.note(fmt::format("Run 'blogen worker --until-idle' or 'blogen job wait {}' to write it.", queued.job_id));
      }
      return 0;
    }
    run_job_in_foreground(env, queued.job_id, queued.post_id, request.stream);
    print_written_post(env, queued.post_id, options->stream && !out.json());
    return 0;
  });
}

void add_blog_commands(CLI::App& root, Registry& registry) {
  auto* blog = root.add_subcommand("blog", "Blog posts: create, list, show, update, edit, delete, search, export");
  blog->require_subcommand(0, 1);
  add_blog_create(*blog, registry);
  add_blog_read(*blog, registry);
  add_blog_update(*blog, registry);
  add_blog_trash(*blog, registry);
  add_blog_revisions(*blog, registry);
  add_blog_search_export(*blog, registry);
}

} // namespace blogen::cli
