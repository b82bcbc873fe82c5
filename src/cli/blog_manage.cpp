// blog delete, restore, history, diff, revert: the trash and the revisions of a post.
#include "blog_commands.hpp"
#include "post_print.hpp"
#include "present.hpp"

#include <blogen/app/posts.hpp>
#include <blogen/core/error.hpp>
#include <blogen/term/prompt.hpp>
#include <blogen/term/sanitize.hpp>
#include <blogen/term/table.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

struct DeleteOptions {
  std::vector<std::int64_t> ids;
  bool purge = false;
  bool yes = false;
};

struct PostIdOptions {
  std::int64_t id = 0;
};

struct DiffOptions {
  std::int64_t id = 0;
  int from = 0;
  int to = 0;
};

struct RevertOptions {
  std::int64_t id = 0;
  int revision = 0;
};

/// `blog history`: the revisions of a post, without their text.
struct RevisionList {
  std::int64_t post_id = 0;
  std::vector<app::PostRevision> revisions;
};

nlohmann::json to_json(const RevisionList& list) {
  nlohmann::json json = nlohmann::json::array();
  for (const auto& revision : list.revisions) {
    nlohmann::json entry = app::revision_json(revision);
    entry.erase("content");
    json.push_back(entry);
  }
  return json;
}

void to_quiet(term::Output& out, const RevisionList& list) {
  print_each(out, list.revisions, [](const app::PostRevision& revision) { return std::to_string(revision.number); });
}

void to_text(term::Output& out, const RevisionList& list) {
  if (list.revisions.empty()) {
    out.note(fmt::format("Post {} has no revisions yet.", list.post_id));
    return;
  }
  term::Table table({{"REV", term::ColumnFit::fixed, term::Align::right},
                     {"SOURCE"},
                     {"BY", term::ColumnFit::flexible},
                     {"TITLE", term::ColumnFit::flexible},
                     {"CREATED"}});
  for (const auto& revision : list.revisions) {
    table.add_row({std::to_string(revision.number), std::string(app::to_string(revision.source)),
                   written_by(revision.provider, revision.model), revision.title,
                   format_short_time(revision.created_at)});
  }
  out.table(table);
}

/// `blog diff`: a unified diff between two revisions, coloured on a terminal (-q prints it too).
struct RevisionDiff {
  std::int64_t post_id = 0;
  int from = 0;
  int to = 0;
  std::string diff;
};

nlohmann::json to_json(const RevisionDiff& d) {
  return {{"post_id", d.post_id}, {"from", d.from}, {"to", d.to}, {"diff", d.diff}};
}

void to_text(term::Output& out, const RevisionDiff& d) {
  const std::string& diff = d.diff;
  if (diff.empty()) {
    out.note("The revisions are identical.");
    return;
  }
  std::size_t start = 0;
  while (start < diff.size()) {
    std::size_t end = diff.find('\n', start);
    if (end == std::string::npos) end = diff.size();
    const std::string line = term::sanitize_single_line(std::string_view(diff).substr(start, end - start));
    const term::Style style = line.starts_with("@@")                              ? term::Style::cyan
                              : line.starts_with("+") && !line.starts_with("+++") ? term::Style::green
                              : line.starts_with("-") && !line.starts_with("---") ? term::Style::red
                                                                                  : term::Style::bold;
    const bool plain = line.starts_with(" ");
    out.line(plain ? line : out.styled(line, style));
    start = end + 1;
  }
}

void to_quiet(term::Output& out, const RevisionDiff& d) { to_text(out, d); }

void add_post_delete(CLI::App& blog, Registry& registry) {
  auto options = make_options<DeleteOptions>();
  auto* command = blog.add_subcommand("delete", "Move posts to the trash, or with --purge remove them for good");
  command->footer("Needs: a login. Queued generations of the posts are cancelled. 'blog restore' brings a post back\n"
                  "from the trash; --purge also removes its revisions and image and cannot be undone (it asks on a\n"
                  "terminal; elsewhere it needs --yes). One unknown id changes nothing.\n"
                  "Example: blogen blog delete 12 13 && blogen blog list --deleted");
  command->add_option("ID", options->ids, "Post ids")->required();
  command->add_flag("--purge", options->purge, "Remove for good (posts in the trash too)");
  command->add_flag("-y,--yes", options->yes, "Do not ask before purging");
  registry.on(command, [options](Env& env) {
    const app::Purge purge = options->purge ? app::Purge::yes : app::Purge::no;
    if (purge == app::Purge::yes && !options->yes) {
      if (!term::Output::stdin_is_tty()) {
        throw Error(ErrorCode::usage, "--purge removes posts for good: add --yes when stdin is not a terminal");
      }
      // Check ownership before asking, so the question is never about posts that are not there.
      for (const auto id : options->ids)
        (void)app::post_history(env.app(), id);
      const auto question = fmt::format("Remove {} post(s) and their revisions for good?", options->ids.size());
      if (term::confirm(question) != term::Answer::yes) {
        env.out().note("Nothing was removed.");
        return 1;
      }
    }
    app::delete_posts(env.app(), options->ids, purge);
    present(env.out(), Outcome{{{"deleted", options->ids}, {"purged", options->purge}},
                               fmt::format("{} {} post(s): {}.", options->purge ? "Removed" : "Moved to the trash",
                                           options->ids.size(), fmt::join(options->ids, ", ")),
                               {},
                               {}});
    return 0;
  });
}

void add_post_restore(CLI::App& blog, Registry& registry) {
  auto options = make_options<PostIdOptions>();
  auto* command = blog.add_subcommand("restore", "Take a post out of the trash");
  command->footer("Needs: a login.\nExample: blogen blog restore 12");
  command->add_option("ID", options->id, "The post id")->required();
  registry.on(command, [options](Env& env) {
    app::restore_post(env.app(), options->id);
    present(env.out(), Outcome{{{"restored", options->id}}, fmt::format("Restored post {}.", options->id), {}, {}});
    return 0;
  });
}

void add_history(CLI::App& blog, Registry& registry) {
  auto options = make_options<PostIdOptions>();
  auto* command = blog.add_subcommand("history", "List the revisions of a post");
  command->footer("Needs: a login.\nExample: blogen blog history 12 && blogen blog diff 12 1 2");
  command->add_option("ID", options->id, "The post id")->required();
  registry.on(command, [options](Env& env) {
    present(env.out(), RevisionList{options->id, app::post_history(env.app(), options->id)});
    return 0;
  });
}

void add_diff(CLI::App& blog, Registry& registry) {
  auto options = make_options<DiffOptions>();
  auto* command = blog.add_subcommand("diff", "Show what changed between two revisions (unified diff)");
  command->footer("Needs: a login. Exit 0 whether or not they differ.\nExample: blogen blog diff 12 1 3");
  command->add_option("ID", options->id, "The post id")->required();
  command->add_option("REV_A", options->from, "The older revision")->required();
  command->add_option("REV_B", options->to, "The newer revision")->required();
  registry.on(command, [options](Env& env) {
    present(env.out(), RevisionDiff{options->id, options->from, options->to,
                                    app::diff_revisions(env.app(), options->id, options->from, options->to)});
    return 0;
  });
}

void add_revert(CLI::App& blog, Registry& registry) {
  auto options = make_options<RevertOptions>();
  auto* command = blog.add_subcommand("revert", "Make an older revision current again (as a new revision)");
  command->footer("Needs: a login. Nothing is lost: the current text stays in the history.\n"
                  "Example: blogen blog revert 12 1");
  command->add_option("ID", options->id, "The post id")->required();
  command->add_option("REV", options->revision, "The revision to go back to")->required();
  registry.on(command, [options](Env& env) {
    const int number = app::revert_post(env.app(), options->id, options->revision);
    present(env.out(), Outcome{{{"post_id", options->id}, {"revision", number}, {"from", options->revision}},
                               fmt::format("Post {} is back at revision {}'s text, saved as revision {}.", options->id,
                                           options->revision, number),
                               {},
                               {std::to_string(number)}});
    return 0;
  });
}

} // namespace

void add_blog_trash(CLI::App& blog, Registry& registry) {
  add_post_delete(blog, registry);
  add_post_restore(blog, registry);
}

void add_blog_revisions(CLI::App& blog, Registry& registry) {
  add_history(blog, registry);
  add_diff(blog, registry);
  add_revert(blog, registry);
}

} // namespace blogen::cli
