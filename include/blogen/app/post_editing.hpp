#pragma once
// `blog edit`: the post as a Markdown file with a small front matter (title, category, tone), the editor that
// changes it (run without a shell), and saving what came back as a new revision. Text that cannot be saved is
// kept in a recovery file, never lost.

#include <blogen/app/context.hpp>
#include <blogen/store/post_repository.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::app {

/// The fields a writer edits.
struct EditableFields {
  std::string title;
  std::string category;
  std::string tone;
  std::string content;
};

/// The text of the file the editor opens: `---`, `title:`, `category:`, `tone:`, `---`, a blank line, the Markdown.
std::string editable_text(const store::Post& post);
/// Reads an edited file back. Throws Error{bad_input} with the line number for a missing or unclosed front matter,
/// an unknown key, or an invalid title or tone.
EditableFields parse_editable_text(std::string_view text);

/// Splits an editor command like git does, without a shell: words separated by whitespace, with single quotes,
/// double quotes and backslashes honoured. `$(...)`, `;` and `|` are plain characters. Throws Error{usage} for an
/// unterminated quote.
std::vector<std::string> split_command(std::string_view command);
/// The editor command: `$VISUAL`, else `$EDITOR`, else `vi`, split by split_command.
std::vector<std::string> editor_command();
/// Runs `command` with `file` appended as its last argument, on this terminal, and waits. Returns its exit status.
/// Throws Error{failed} when it cannot be started.
int run_program(const std::vector<std::string>& command, const std::filesystem::path& file);

/// How an edit ended.
struct EditOutcome {
  std::optional<int> revision; ///< the new revision; nullopt when the file came back unchanged
};

/// The user's live post, for editing.
store::Post post_for_editing(Context& context, std::int64_t post_id);
/// Where the editor works on a post: a new file under `$XDG_DATA_HOME/blogen/recovered/` (folder 0700),
/// `post-<id>-<time>.md`. It is removed only once the edit is saved, so the text survives any failure, even a crash.
std::filesystem::path edit_file(Context& context, std::int64_t post_id);
/// Saves the edited text of a post from `file` (the edit_file() the editor changed): unchanged text changes nothing;
/// otherwise title and text become a new `edited` revision and category and tone are updated; then `file` is
/// removed. On any failure (unreadable front matter, invalid UTF-8, an expired session, a post trashed meanwhile, a
/// busy store, text too long) `file` stays and the Error names it.
EditOutcome save_edited_post(Context& context, std::int64_t post_id, const std::string& original,
                             const std::string& edited, const std::filesystem::path& file);

} // namespace blogen::app
