#pragma once
// The `blog` command group, registered by add_blog_commands (commands.hpp) from these per-area functions.

#include "command.hpp"

namespace blogen::cli {

/// blog create.
void add_blog_create(CLI::App& blog, Registry& registry);
/// blog list.
void add_blog_list(CLI::App& blog, Registry& registry);
/// blog show.
void add_blog_show(CLI::App& blog, Registry& registry);
/// blog update, blog edit.
void add_blog_update(CLI::App& blog, Registry& registry);
/// blog delete, blog restore.
void add_blog_trash(CLI::App& blog, Registry& registry);
/// blog history, blog diff, blog revert.
void add_blog_revisions(CLI::App& blog, Registry& registry);
/// blog search, blog export.
void add_blog_search_export(CLI::App& blog, Registry& registry);

} // namespace blogen::cli
