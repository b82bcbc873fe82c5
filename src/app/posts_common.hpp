#pragma once
// App-internal helpers shared by the post use cases: ownership checks and field validation.

#include <blogen/app/current_user.hpp>
#include <blogen/core/text.hpp>
#include <blogen/store/post_repository.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace blogen::app::detail {

/// Whether a lookup may return a post in the trash.
enum class Trashed { hide, show };

/// The user's post, or Error{not_found} ("post 42 not found") for a missing post, another user's post, or (with
/// Trashed::hide) a deleted one, so the three cannot be told apart.
store::Post owned_post(store::PostRepository& posts, const CurrentUser& user, std::int64_t post_id,
                       Trashed trashed = Trashed::hide);

/// Checks that a field is storable text (valid UTF-8, no NUL): Error{usage} "FLAG: is not valid UTF-8 ...". The CLI
/// checks its flags before any command runs; this check is for the callers of the use cases that skip it.
void check_storable(std::string_view text, std::string_view flag);
/// Checks a title: not blank, at most k_max_title_chars, one line. Returns it trimmed.
std::string check_title(std::string_view title, std::string_view flag);
/// Checks a category: at most k_max_category_chars, one line. Returns it trimmed.
std::string check_category(std::string_view category, std::string_view flag);
/// Checks a tone against post_tones() (case-insensitive). Returns it lower-cased.
std::string check_tone(std::string_view tone, std::string_view flag);
/// Checks a prompt: not blank, at most k_max_prompt_chars.
std::string check_prompt(std::string_view prompt, std::string_view flag);

} // namespace blogen::app::detail
