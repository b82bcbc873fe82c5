// blog update, blog edit: changing a post's metadata or text, or writing it again.
#include "blog_commands.hpp"
#include "foreground_job.hpp"
#include "post_print.hpp"
#include "present.hpp"

#include <blogen/app/post_editing.hpp>
#include <blogen/app/post_export.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/core/text_position.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

namespace blogen::cli {
namespace {

struct UpdateOptions {
  app::UpdatePostRequest request;
  std::optional<std::string> content_file; ///< read into request.content
  bool detach = false;
};

struct EditOptions {
  std::int64_t id = 0;
};

void add_post_update(CLI::App& blog, Registry& registry) {
  auto options = make_options<UpdateOptions>();
  auto& bound = options->request; // the flags fill the request directly
  auto* command = blog.add_subcommand("update", "Change a post's title, category, tone or text, or write it again");
  command->footer("Needs: a login. New text or a new title becomes a numbered revision; older ones stay in\n"
                  "'blog history'. --regenerate writes the post again (now, or with --detach by a worker); the\n"
                  "current text stays until the new one lands, and stays if the generation fails.\n"
                  "Example: blogen blog update 12 --content-file draft.md\n"
                  "         blogen blog update 12 --regenerate --prompt \"Shorter, with a recipe\"");
  command->add_option("ID", bound.post_id, "The post id")->required();
  command->add_option("--title", bound.title, "New title (at most 200 characters)");
  command->add_option("--category", bound.category, "New category");
  registry.suggest(command->add_option("--tone", bound.tone, "New tone (used by the next generation)"),
                   app::post_tones());
  command->add_option("--content-file", options->content_file, "New Markdown text from a file, or - for stdin");
  auto* regenerate = command->add_flag_callback(
      "--regenerate", [options]() { options->request.regenerate = app::Regenerate::yes; }, "Write the post again");
  command->add_option("--prompt", bound.prompt, "The prompt for the regeneration")->needs(regenerate);
  command->add_flag_callback(
      "--stream", [options]() { options->request.stream = app::Stream::yes; },
      "With --regenerate: print the text as it arrives");
  command->add_flag("--detach", options->detach, "With --regenerate: only queue the job");
  registry.on(command, [options](Env& env) {
    app::UpdatePostRequest& request = options->request;
    if (options->content_file) {
      if (*options->content_file != "-") env.app().refuse_store_file(*options->content_file, "--content-file");
      const bool from_stdin = *options->content_file == "-";
      request.content = from_stdin ? files::read_stdin() : files::read_all(*options->content_file);
      require_utf8(*request.content, from_stdin ? "stdin" : *options->content_file, "text");
    }
    const app::UpdateResult result = app::update_post(env.app(), request);
    auto& out = env.out();
    const std::int64_t id = request.post_id;
    if (result.job_id && !options->detach) {
      run_job_in_foreground(env, *result.job_id, id, request.stream);
      print_written_post(env, id, request.stream == app::Stream::yes && !out.json());
      return 0;
    }
    Outcome outcome{
        app::post_json(app::get_post(env.app(), id)), fmt::format("Updated post {}.", id), {}, {std::to_string(id)}};
    if (result.job_id) {
      outcome.json["job_id"] = *result.job_id;
      outcome.sentence = fmt::format("Queued a new generation of post {} (job {}).", id, *result.job_id);
    } else if (result.revision) {
      outcome.sentence = fmt::format("Updated post {}; its text is revision {}.", id, *result.revision);
    }
    present(out, outcome);
    return 0;
  });
}

void add_edit(CLI::App& blog, Registry& registry) {
  auto options = make_options<EditOptions>();
  auto* command = blog.add_subcommand("edit", "Edit a post in $VISUAL or $EDITOR and save it as a new revision");
  command->footer("Needs: a login. The editor (VISUAL, else EDITOR, else vi; run without a shell) gets a Markdown\n"
                  "file whose front matter holds title, category and tone. Saving it unchanged changes nothing.\n"
                  "The file lives under $XDG_DATA_HOME/blogen/recovered/ and stays there when the edit cannot be\n"
                  "saved (bad front matter, expired session, post trashed meanwhile, ...); the error names it.\n"
                  "Example: EDITOR=\"code --wait\" blogen blog edit 12");
  command->add_option("ID", options->id, "The post id")->required();
  registry.on(command, [options](Env& env) {
    const app::Post post = app::post_for_editing(env.app(), options->id);
    const std::string original = app::editable_text(post);
    const auto file = app::edit_file(env.app(), post.id);
    files::write_atomically(file, original);
    int status = 0;
    try {
      status = app::run_program(app::editor_command(), file);
    } catch (const Error&) {
      std::error_code ignored;
      std::filesystem::remove(file, ignored); // no editor ran: the file holds only the post as stored
      throw;
    }
    const std::string edited = files::read_all(file);
    if (status != 0) {
      std::error_code ignored;
      if (edited == original) std::filesystem::remove(file, ignored);
      throw Error(ErrorCode::failed,
                  fmt::format("the editor exited with status {}; post {} was not changed{}", status, post.id,
                              edited != original ? fmt::format(" (your text is in {})", file.string()) : ""));
    }
    const app::EditOutcome outcome = app::save_edited_post(env.app(), post.id, original, edited, file);
    present(env.out(),
            Outcome{{{"post_id", post.id},
                     {"changed", outcome.revision.has_value()},
                     {"revision", outcome.revision ? nlohmann::json(*outcome.revision) : nlohmann::json()}},
                    outcome.revision ? fmt::format("Saved post {} as revision {}.", post.id, *outcome.revision)
                                     : fmt::format("No changes; post {} was not modified.", post.id),
                    {},
                    {std::to_string(post.id)}});
    return 0;
  });
}

} // namespace

void add_blog_update(CLI::App& blog, Registry& registry) {
  add_post_update(blog, registry);
  add_edit(blog, registry);
}

} // namespace blogen::cli
