#include <blogen/app/accounts.hpp>
#include <blogen/app/login_backoff.hpp>
#include <blogen/app/password.hpp>
#include <blogen/app/session_token.hpp>
#include <blogen/core/error.hpp>
#include <blogen/store/login_throttle_repository.hpp>
#include <blogen/store/session_repository.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace blogen::app {
namespace {

constexpr std::size_t k_min_username = 3;
constexpr std::size_t k_max_username = 50;
constexpr std::size_t k_max_email = 254;
constexpr std::size_t k_max_email_local = 64;
// Ended sessions are kept this long (for `user show` and forensics) before a login of their owner purges them.
constexpr TimestampMs k_keep_ended_sessions_ms = 30LL * 24 * 3600 * 1000;

constexpr const char* k_wrong_credentials = "wrong username or password";

bool is_ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool valid_email_local(std::string_view local) {
  if (local.empty() || local.size() > k_max_email_local) return false;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  constexpr std::string_view k_allowed = "!#$%&'*+/=?^_`{|}~.-";
  return std::all_of(local.begin(), local.end(),
                     [&](char c) { return is_ascii_alnum(c) || k_allowed.find(c) != std::string_view::npos; });
}

bool valid_email_domain(std::string_view domain) {
  std::size_t labels = 0;
  std::string_view last;
  while (true) {
    const auto dot = domain.find('.');
    const std::string_view label = domain.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    if (!std::all_of(label.begin(), label.end(), [](char c) { return is_ascii_alnum(c) || c == '-'; })) return false;
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  // At least "example.org": a top-level label of two or more letters.
  return labels >= 2 && last.size() >= 2 &&
         std::all_of(last.begin(), last.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

Error wrong_credentials() { return Error(ErrorCode::auth, k_wrong_credentials); }

// A failure streak of a username nobody tried for this long is forgotten (and its row deleted).
constexpr TimestampMs k_forget_failures_ms = 24LL * 3600 * 1000;

// Reserves one password check for `username_key`, known or not, in the write transaction that reads its back-off:
// while it is backing off the attempt is refused before any password is looked at; otherwise the attempt counts as
// a failure in advance (a right password clears it afterwards). Reading and counting in one transaction is what
// makes parallel attempts line up: 12 at once get 3 checks, not 12.
void reserve_attempt(Context& context, const std::string& username_key) {
  store::WriteTransaction transaction(context.db());
  store::LoginThrottleRepository throttles(context.db());
  const TimestampMs now = context.clock().now_ms();
  throttles.forget_older_than(now - k_forget_failures_ms);
  store::LoginThrottle throttle = throttles.find(username_key);
  if (throttle.failures >= k_free_login_attempts && now < throttle.next_attempt_at) {
    const TimestampMs wait_s = (throttle.next_attempt_at - now + 999) / 1000;
    throw Error(ErrorCode::auth, fmt::format("too many attempts; try again in {} s", wait_s));
  }
  ++throttle.failures;
  const auto delay = login_delay(throttle.failures);
  throttle.next_attempt_at = delay.count() > 0 ? now + delay.count() : 0;
  throttles.save(username_key, throttle, now);
  transaction.commit();
}

} // namespace

void check_username(std::string_view username) {
  const bool ok = username.size() >= k_min_username && username.size() <= k_max_username && username.front() != '-' &&
                  std::all_of(username.begin(), username.end(),
                              [](char c) { return is_ascii_alnum(c) || c == '.' || c == '_' || c == '-'; });
  if (!ok) {
    throw Error(ErrorCode::usage, fmt::format("--username: '{}' is not a valid username: use {} to {} letters, digits, "
                                              "'.', '_' or '-' (not starting with '-')",
                                              username, k_min_username, k_max_username));
  }
}

void check_email(std::string_view email) {
  const auto at = email.find('@');
  const bool ok = email.size() <= k_max_email && at != std::string_view::npos &&
                  email.find('@', at + 1) == std::string_view::npos && valid_email_local(email.substr(0, at)) &&
                  valid_email_domain(email.substr(at + 1));
  if (!ok) {
    throw Error(ErrorCode::usage,
                fmt::format("--email: '{}' is not a valid email address (expected name@example.org)", email));
  }
}

std::string lower_key(std::string_view text) {
  std::string key(text);
  std::transform(key.begin(), key.end(), key.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return key;
}

UserView to_view(const store::UserRecord& record) {
  return UserView{record.id,
                  record.username,
                  record.email,
                  record.role == store::Role::admin,
                  record.state == store::AccountState::disabled,
                  record.created_at,
                  record.last_login_at};
}

UserView register_user(Context& context, const Registration& registration) {
  check_username(registration.username);
  if (registration.email) check_email(*registration.email);
  check_password_rules(registration.password);
  // Hash before taking the write lock: argon2 is deliberately slow and other processes should not wait for it.
  const std::string hash = hash_password(registration.password);

  store::Database& db = context.db();
  store::WriteTransaction transaction(db);
  store::UserRepository users(db);
  const std::string key = lower_key(registration.username);
  if (users.find_by_username_key(key)) {
    throw Error(ErrorCode::usage, fmt::format("--username: '{}' is already taken", registration.username));
  }
  std::optional<std::string> email_key;
  if (registration.email) {
    email_key = lower_key(*registration.email);
    if (users.email_key_taken(*email_key)) {
      throw Error(ErrorCode::usage,
                  fmt::format("--email: '{}' is already used by another account", *registration.email));
    }
  }
  const store::Role role = users.count() == 0 ? store::Role::admin : store::Role::user;
  const TimestampMs now = context.clock().now_ms();
  const std::int64_t id = users.insert({registration.username, key, registration.email, email_key, hash, role, now});
  const auto created = users.find_by_id(id);
  transaction.commit();
  return to_view(*created);
}

LoginResult login(Context& context, const Credentials& credentials) {
  if (credentials.ttl.count() <= 0 || credentials.ttl > k_max_session_ttl) {
    throw Error(ErrorCode::usage, "--ttl: a session lasts between 1 second and 365 days");
  }
  store::Database& db = context.db();
  const std::string key = lower_key(credentials.username);
  // The same steps, in the same order, whether the name exists or not: one reserved attempt, one argon2 check.
  reserve_attempt(context, key);
  store::UserRepository users(db);
  const auto user = users.find_by_username_key(key);
  if (!user) {
    verify_against_dummy(credentials.password);
    throw wrong_credentials();
  }
  const PasswordMatch match = verify_password(user->password_hash, credentials.password);
  if (match == PasswordMatch::no) throw wrong_credentials();
  // Only someone who knows the password learns that the account is disabled.
  if (user->state == store::AccountState::disabled) {
    throw Error(ErrorCode::auth, "this account is disabled; ask an admin to enable it");
  }
  const std::optional<std::string> new_hash =
      match == PasswordMatch::yes_needs_rehash ? std::optional(hash_password(credentials.password)) : std::nullopt;

  const std::string token = generate_token();
  const auto token_hash = hash_token(token);
  const TimestampMs now = context.clock().now_ms();
  const TimestampMs expires_at = now + std::chrono::duration_cast<std::chrono::milliseconds>(credentials.ttl).count();

  store::WriteTransaction transaction(db);
  store::SessionRepository sessions(db);
  users.record_login(user->id, now);
  store::LoginThrottleRepository(db).clear(key);
  if (new_hash) users.set_password_hash(user->id, *new_hash, now);
  sessions.purge_ended_of_user(user->id, now - k_keep_ended_sessions_ms);
  sessions.insert(user->id, *token_hash, now, expires_at);
  const auto updated = users.find_by_id(user->id);
  transaction.commit();
  return LoginResult{to_view(*updated), token, expires_at};
}

int logout(Context& context, std::string_view token, LogoutScope scope) {
  store::Database& db = context.db();
  const TimestampMs now = context.clock().now_ms();
  store::SessionRepository sessions(db);
  if (scope == LogoutScope::all_sessions) {
    // Ending every session needs proof of a live one, or a stolen expired token could log the owner out.
    const ActiveSession session = authenticate(context, token, SessionUse::peek);
    return sessions.revoke_all_of_user(session.user.id, now);
  }
  const auto hash = hash_token(token);
  if (!hash) return 0;
  const auto session = sessions.find_by_hash(*hash);
  if (!session || !same_hash(session->token_hash, *hash)) return 0;
  return sessions.revoke(session->id, now) ? 1 : 0;
}

int change_password(Context& context, const ActiveSession& session, std::string_view old_password,
                    std::string_view new_password) {
  check_password_rules(new_password);
  store::Database& db = context.db();
  store::UserRepository users(db);
  const auto user = users.find_by_id(session.user.id);
  if (!user) throw Error(ErrorCode::auth, "the account no longer exists; run 'blogen login'");
  // The same reserved attempts as login: a borrowed session must not become a way to guess the password quickly.
  const std::string key = lower_key(user->username);
  reserve_attempt(context, key);
  if (verify_password(user->password_hash, old_password) == PasswordMatch::no) {
    throw Error(ErrorCode::auth, "wrong password");
  }
  const std::string hash = hash_password(new_password);
  const TimestampMs now = context.clock().now_ms();
  store::WriteTransaction transaction(db);
  users.set_password_hash(user->id, hash, now);
  store::LoginThrottleRepository(db).clear(key);
  const int revoked = store::SessionRepository(db).revoke_others_of_user(user->id, session.session_id, now);
  transaction.commit();
  return revoked;
}

UserView describe_user(Context& context, std::int64_t user_id) {
  const auto user = store::UserRepository(context.db()).find_by_id(user_id);
  if (!user) throw Error(ErrorCode::auth, "the account no longer exists; run 'blogen login'");
  return to_view(*user);
}

} // namespace blogen::app
