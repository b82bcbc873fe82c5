#pragma once
// Account use cases for the person at the keyboard: register, log in and out, change the password, who am I.

#include <blogen/app/context.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/app/sessions.hpp>
#include <blogen/store/user_repository.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blogen::app {

/// How long a session lasts unless `--ttl` says otherwise.
constexpr std::chrono::seconds k_default_session_ttl{30 * 24 * 3600};
/// The longest `--ttl` accepted.
constexpr std::chrono::seconds k_max_session_ttl{365 * 24 * 3600};

/// An account as shown to people and scripts (never the password hash).
struct UserView {
  std::int64_t id = 0;
  std::string username;
  std::optional<std::string> email;
  bool is_admin = false;
  bool disabled = false;
  TimestampMs created_at = 0;
  std::optional<TimestampMs> last_login_at;
};

/// What `blogen register` needs.
struct Registration {
  std::string username;
  std::optional<std::string> email;
  std::string password;
};

/// What `blogen login` needs.
struct Credentials {
  std::string username;
  std::string password;
  std::chrono::seconds ttl = k_default_session_ttl;
};

/// A new session: the token is shown to nobody but the session file (or the caller, once).
struct LoginResult {
  UserView user;
  std::string token;
  TimestampMs expires_at = 0;
};

/// Which sessions `logout` ends.
enum class LogoutScope { this_session, all_sessions };

/// Throws Error{usage} naming --username unless 3-50 characters of [A-Za-z0-9._-], not starting with '-'.
void check_username(std::string_view username);
/// Throws Error{usage} naming --email unless it looks like local@domain.tld.
void check_email(std::string_view email);
/// The case-insensitive key of a username or email (ASCII lower case).
std::string lower_key(std::string_view text);
/// The public view of a user row.
UserView to_view(const store::UserRecord& record);

/// Creates an account; the first account of a store is an admin. Throws Error{usage} for a bad or taken name,
/// email or password.
UserView register_user(Context& context, const Registration& registration);
/// Checks the password and opens a session. Unknown user and wrong password fail alike (Error{auth},
/// "wrong username or password") in comparable time; after 3 consecutive failures attempts wait (login_delay).
LoginResult login(Context& context, const Credentials& credentials);
/// Revokes the token's session (or, for all_sessions, every session of its valid owner); returns how many ended.
int logout(Context& context, std::string_view token, LogoutScope scope);
/// Replaces the password after checking the old one and revokes the user's other sessions; returns how many.
int change_password(Context& context, const ActiveSession& session, std::string_view old_password,
                    std::string_view new_password);
/// The account of a logged-in user (for whoami). Throws Error{auth} when it vanished meanwhile.
UserView describe_user(Context& context, std::int64_t user_id);

} // namespace blogen::app
