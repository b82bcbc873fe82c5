#pragma once
// Neutralises terminal control sequences in text that came from a user or a model, so printed text can never
// move the cursor, change colours, retitle the window or hide what it says.

#include <string>
#include <string_view>

namespace blogen::term {

/// Removes ESC sequences (CSI, OSC, DCS, ...), C0 controls other than newline and tab, DEL and C1 controls
/// (raw or UTF-8 encoded); replaces invalid UTF-8 with U+FFFD; keeps valid UTF-8 text intact.
std::string sanitize_for_terminal(std::string_view text);
/// Like sanitize_for_terminal, and folds newlines and tabs to spaces: for one table cell or one line.
std::string sanitize_single_line(std::string_view text);
/// Columns the text occupies on a terminal (wide East Asian characters and emoji count 2, combining marks 0).
std::size_t display_width(std::string_view utf8);
/// Cuts text to at most `width` columns, ending with "…" when cut.
std::string truncate_to_width(std::string_view utf8, std::size_t width);

} // namespace blogen::term
