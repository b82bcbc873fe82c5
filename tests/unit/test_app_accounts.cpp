// Account use cases against a real SQLite file and a manual clock: registration rules, login, back-off,
// sessions (expiry, revocation, tampering, last use), password changes, admin rules and deletion.
#include <blogen/app/accounts.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/app/login_backoff.hpp>
#include <blogen/app/password.hpp>
#include <blogen/app/session_file.hpp>
#include <blogen/app/session_token.hpp>
#include <blogen/app/sessions.hpp>
#include <blogen/app/user_admin.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/store/login_throttle_repository.hpp>
#include <blogen/store/session_repository.hpp>
#include <blogen/store/user_repository.hpp>

#include "../../src/store/connection.hpp"

#include <catch2/catch.hpp>
#include <sodium.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using blogen::Error;
using blogen::ErrorCode;
using blogen::ManualClock;
using blogen::app::Context;

namespace {

const std::string k_password = "correct horse battery";

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "blogen-accounts-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

// What a failing call threw: its code and message (fails the test when it did not throw).
struct Thrown {
  ErrorCode code = ErrorCode::failed;
  std::string message;
};

Thrown thrown_by(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return {e.code(), e.what()};
  }
  FAIL("no blogen::Error was thrown");
  return {};
}

struct Accounts {
  TempDir dir;
  ManualClock clock;
  Context context{dir.path / "blogen.db", clock};

  blogen::app::UserView add(const std::string& name, std::optional<std::string> email = std::nullopt,
                            const std::string& password = k_password) {
    return blogen::app::register_user(context, {name, std::move(email), password});
  }
  blogen::app::LoginResult log_in(const std::string& name, const std::string& password = k_password,
                                  std::chrono::seconds ttl = blogen::app::k_default_session_ttl) {
    return blogen::app::login(context, {name, password, ttl});
  }
  blogen::store::UserRecord record(const std::string& name) {
    return *blogen::store::UserRepository(context.db()).find_by_username_key(blogen::app::lower_key(name));
  }
  blogen::store::LoginThrottle throttle(const std::string& name) {
    return blogen::store::LoginThrottleRepository(context.db()).find(blogen::app::lower_key(name));
  }
  blogen::store::SessionRecord session(const std::string& token) {
    return *blogen::store::SessionRepository(context.db()).find_by_hash(*blogen::app::hash_token(token));
  }
  blogen::app::CurrentUser current(const std::string& token) { return blogen::app::authenticate(context, token).user; }
};

// Sets an environment variable for one scope.
class ScopedEnv {
public:
  ScopedEnv(const char* name, const std::string& value) : m_name(name) { ::setenv(name, value.c_str(), 1); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() { ::unsetenv(m_name); }

private:
  const char* m_name;
};

} // namespace

TEST_CASE("usernames: 3-50 of [A-Za-z0-9._-], unique regardless of letter case") {
  for (const char* good : {"ann", "Ann.B_c-1", "a-b", "123"}) {
    INFO(good);
    CHECK_NOTHROW(blogen::app::check_username(good));
  }
  for (const std::string& bad :
       std::vector<std::string>{"ab", std::string(51, 'a'), "ann smith", "ann!", "-ann", "änn", "", "ann\n"}) {
    INFO(bad);
    const Thrown error = thrown_by([&] { blogen::app::check_username(bad); });
    CHECK(error.code == ErrorCode::usage);
    CHECK_THAT(error.message, Catch::Contains("--username"));
  }
  CHECK_NOTHROW(blogen::app::check_username(std::string(50, 'a')));

  Accounts accounts;
  accounts.add("Ann");
  const Thrown duplicate = thrown_by([&] { accounts.add("aNN"); });
  CHECK(duplicate.code == ErrorCode::usage);
  CHECK_THAT(duplicate.message, Catch::Contains("already taken"));
  CHECK(blogen::store::UserRepository(accounts.context.db()).count() == 1);
  // Login finds the account in any letter case and keeps the spelling it was registered with.
  CHECK(accounts.log_in("ANN").user.username == "Ann");
}

TEST_CASE("emails: optional, sanely formed, unique regardless of letter case") {
  for (const char* good : {"ann@example.org", "ann.b+tag@mail.example.co.uk", "a@b.io"}) {
    INFO(good);
    CHECK_NOTHROW(blogen::app::check_email(good));
  }
  for (const char* bad : {"", "ann", "ann@", "@example.org", "ann@example", "ann@@example.org", "a b@example.org",
                          "ann@exa mple.org", "ann@-example.org", "ann@example.o", "ann..b@example.org",
                          "ann@example..org", ".ann@example.org", "ann@example.org\n", "ann@example.123"}) {
    INFO(bad);
    const Thrown error = thrown_by([&] { blogen::app::check_email(bad); });
    CHECK(error.code == ErrorCode::usage);
    CHECK_THAT(error.message, Catch::Contains("--email"));
  }
  Accounts accounts;
  CHECK(accounts.add("ann", "Ann@Example.org").email == "Ann@Example.org");
  CHECK_FALSE(accounts.add("cid").email); // email is optional
  const Thrown duplicate = thrown_by([&] { accounts.add("bob", "ann@EXAMPLE.org"); });
  CHECK(duplicate.code == ErrorCode::usage);
  CHECK_THAT(duplicate.message, Catch::Contains("--email"));
  CHECK_THROWS_AS(accounts.add("bob", "not-an-email"), Error);
}

TEST_CASE("passwords: at least 8 and at most 1024 characters, stored only as an argon2id hash") {
  CHECK(thrown_by([] { blogen::app::check_password_rules("1234567"); }).code == ErrorCode::usage);
  CHECK_NOTHROW(blogen::app::check_password_rules("12345678"));
  // Characters, not bytes: seven 'é' are 14 bytes but still too short; eight are enough.
  CHECK(thrown_by([] { blogen::app::check_password_rules("ééééééé"); }).code == ErrorCode::usage);
  CHECK_NOTHROW(blogen::app::check_password_rules("éééééééé"));
  CHECK_NOTHROW(blogen::app::check_password_rules(std::string(1024, 'x')));
  CHECK(thrown_by([] { blogen::app::check_password_rules(std::string(1025, 'x')); }).code == ErrorCode::usage);

  Accounts accounts;
  CHECK(thrown_by([&] { accounts.add("ann", std::nullopt, "short"); }).code == ErrorCode::usage);
  accounts.add("ann");
  const auto record = accounts.record("ann");
  CHECK_THAT(record.password_hash, Catch::StartsWith("$argon2id$"));
  CHECK(record.password_hash.find(k_password) == std::string::npos);
}

TEST_CASE("the first account is an admin, later ones are not") {
  Accounts accounts;
  CHECK(accounts.add("ann").is_admin);
  CHECK_FALSE(accounts.add("bob").is_admin);
}

TEST_CASE("unknown user and wrong password fail alike, and both spend a password check") {
  Accounts accounts;
  accounts.add("ann");
  const Thrown wrong = thrown_by([&] { accounts.log_in("ann", "not the password"); });
  const auto started = std::chrono::steady_clock::now();
  const Thrown unknown = thrown_by([&] { accounts.log_in("nobody", "not the password"); });
  const auto spent = std::chrono::steady_clock::now() - started;
  CHECK(wrong.code == ErrorCode::auth);
  CHECK(unknown.code == ErrorCode::auth);
  CHECK(wrong.message == "wrong username or password");
  CHECK(unknown.message == wrong.message);
  // argon2id with 64 MiB never finishes in 10 ms; a lookup that skipped it would.
  CHECK(spent >= 10ms);
}

TEST_CASE("login delays: none for 3 failures, then 1 s doubling up to 5 minutes") {
  using blogen::app::login_delay;
  CHECK(login_delay(0) == 0ms);
  CHECK(login_delay(2) == 0ms);
  CHECK(login_delay(3) == 1s);
  CHECK(login_delay(4) == 2s);
  CHECK(login_delay(5) == 4s);
  CHECK(login_delay(11) == 256s);
  CHECK(login_delay(12) == 300s);
  CHECK(login_delay(1000) == 300s);
  CHECK(login_delay(std::numeric_limits<int>::max()) == 300s);
}

TEST_CASE("repeated wrong passwords back off per account, a success resets") {
  Accounts accounts;
  accounts.add("ann");
  accounts.add("bob");
  for (int i = 0; i < 3; ++i)
    CHECK(thrown_by([&] { accounts.log_in("ann", "wrong password"); }).code == ErrorCode::auth);
  CHECK(accounts.throttle("ann").failures == 3);
  CHECK(accounts.throttle("ann").next_attempt_at == accounts.clock.now_ms() + 1000);

  // Refused before the password is looked at: even the right one, and the refusal is not another failure.
  Thrown refused = thrown_by([&] { accounts.log_in("ann"); });
  CHECK(refused.code == ErrorCode::auth);
  CHECK(refused.message == "too many attempts; try again in 1 s");
  CHECK(accounts.throttle("ann").failures == 3);
  // Other accounts are not affected.
  CHECK_NOTHROW(accounts.log_in("bob"));

  accounts.clock.advance(1s);
  CHECK(thrown_by([&] { accounts.log_in("ann", "wrong password"); }).message == "wrong username or password");
  CHECK(accounts.throttle("ann").next_attempt_at == accounts.clock.now_ms() + 2000);
  accounts.clock.advance(1s);
  CHECK(thrown_by([&] { accounts.log_in("ann"); }).message == "too many attempts; try again in 1 s");
  accounts.clock.advance(1s);
  CHECK(thrown_by([&] { accounts.log_in("ann", "wrong password"); }).code == ErrorCode::auth);
  CHECK(accounts.throttle("ann").next_attempt_at == accounts.clock.now_ms() + 4000);
  CHECK(thrown_by([&] { accounts.log_in("ann"); }).message == "too many attempts; try again in 4 s");

  // Capped: however many failures, the owner waits at most 5 minutes.
  blogen::store::LoginThrottleRepository(accounts.context.db()).save("ann", {40, 0}, accounts.clock.now_ms());
  CHECK(thrown_by([&] { accounts.log_in("ann", "wrong password"); }).code == ErrorCode::auth);
  CHECK(accounts.throttle("ann").next_attempt_at == accounts.clock.now_ms() + 300'000);
  CHECK(thrown_by([&] { accounts.log_in("ann"); }).message == "too many attempts; try again in 300 s");
  accounts.clock.advance(300s);

  CHECK_NOTHROW(accounts.log_in("ann"));
  CHECK(accounts.throttle("ann").failures == 0);
  CHECK(accounts.throttle("ann").next_attempt_at == 0);
  CHECK(accounts.record("ann").last_login_at == accounts.clock.now_ms());
}

TEST_CASE("a session token is random, shown once, and stored only as its hash") {
  Accounts accounts;
  accounts.add("ann");
  const auto first = accounts.log_in("ann");
  const auto second = accounts.log_in("ann");
  CHECK(first.token != second.token);
  CHECK_THAT(first.token, Catch::Matches("blg_[0-9a-f]{64}"));
  CHECK(first.expires_at == accounts.clock.now_ms() + 30LL * 24 * 3600 * 1000);
  auto& sql = blogen::store::sql(accounts.context.db());
  SQLite::Statement rows(sql, "SELECT token_hash FROM sessions");
  int count = 0;
  while (rows.executeStep()) {
    ++count;
    const std::string stored(static_cast<const char*>(rows.getColumn(0).getBlob()),
                             static_cast<std::size_t>(rows.getColumn(0).getBytes()));
    CHECK(stored.size() == 32);
    CHECK(stored.find(first.token.substr(4, 16)) == std::string::npos);
  }
  CHECK(count == 2);
  const auto user = accounts.current(first.token);
  CHECK(user.username == "ann");
  CHECK(user.is_admin);
}

TEST_CASE("the session ttl is between 1 second and 365 days, sessions expire on the clock") {
  Accounts accounts;
  accounts.add("ann");
  CHECK(thrown_by([&] { accounts.log_in("ann", k_password, 0s); }).code == ErrorCode::usage);
  CHECK(thrown_by([&] { accounts.log_in("ann", k_password, 366 * 24h); }).code == ErrorCode::usage);
  CHECK_NOTHROW(accounts.log_in("ann", k_password, 365 * 24h));

  const auto login = accounts.log_in("ann", k_password, 1h);
  accounts.clock.advance(59min);
  CHECK_NOTHROW(accounts.current(login.token));
  accounts.clock.advance(1min);
  const Thrown expired = thrown_by([&] { accounts.current(login.token); });
  CHECK(expired.code == ErrorCode::auth);
  CHECK_THAT(expired.message, Catch::Contains("expired") && Catch::Contains("blogen login"));
}

TEST_CASE("tampered, truncated and unknown tokens are refused") {
  Accounts accounts;
  accounts.add("ann");
  const std::string token = accounts.log_in("ann").token;
  std::string flipped = token;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  std::string upper = token;
  for (auto& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& bad :
       {flipped, token.substr(0, token.size() - 1), token + "0", upper, "blg_" + std::string(64, 'z'),
        std::string("garbage"), std::string(), "xyz_" + token.substr(4), blogen::app::generate_token()}) {
    INFO(bad);
    const Thrown error = thrown_by([&] { accounts.current(bad); });
    CHECK(error.code == ErrorCode::auth);
    CHECK_THAT(error.message, Catch::Contains("blogen login"));
  }
  CHECK_NOTHROW(accounts.current(token));
}

TEST_CASE("logout revokes the session everywhere, logout --all revokes every session of the user") {
  Accounts accounts;
  accounts.add("ann");
  accounts.add("bob");
  const auto one = accounts.log_in("ann");
  const auto two = accounts.log_in("ann");
  const auto three = accounts.log_in("ann");
  const auto bobs = accounts.log_in("bob");

  CHECK(blogen::app::logout(accounts.context, one.token, blogen::app::LogoutScope::this_session) == 1);
  const Thrown revoked = thrown_by([&] { accounts.current(one.token); });
  CHECK(revoked.code == ErrorCode::auth);
  CHECK_THAT(revoked.message, Catch::Contains("logged out"));
  CHECK(accounts.session(one.token).revoked_at == accounts.clock.now_ms());
  CHECK(blogen::app::logout(accounts.context, one.token, blogen::app::LogoutScope::this_session) == 0);
  CHECK_NOTHROW(accounts.current(two.token));

  // --all needs a live session: an ended one cannot log its owner out everywhere.
  CHECK(thrown_by([&] {
          blogen::app::logout(accounts.context, one.token, blogen::app::LogoutScope::all_sessions);
        }).code == ErrorCode::auth);
  CHECK(blogen::app::logout(accounts.context, two.token, blogen::app::LogoutScope::all_sessions) == 2);
  CHECK_THROWS_AS(accounts.current(two.token), Error);
  CHECK_THROWS_AS(accounts.current(three.token), Error);
  CHECK(accounts.current(bobs.token).username == "bob");
}

TEST_CASE("last use is recorded at most once a minute, and never by a peek") {
  Accounts accounts;
  accounts.add("ann");
  const auto login = accounts.log_in("ann");
  const auto created = accounts.clock.now_ms();
  accounts.clock.advance(59s);
  accounts.current(login.token);
  CHECK(accounts.session(login.token).last_used_at == created);
  accounts.clock.advance(1s);
  blogen::app::authenticate(accounts.context, login.token, blogen::app::SessionUse::peek);
  CHECK(accounts.session(login.token).last_used_at == created);
  accounts.current(login.token);
  CHECK(accounts.session(login.token).last_used_at == accounts.clock.now_ms());
}

TEST_CASE("an old hash is upgraded at login") {
  Accounts accounts;
  accounts.add("ann");
  const auto ann = accounts.record("ann");
  char weak[crypto_pwhash_STRBYTES];
  REQUIRE(crypto_pwhash_str(weak, k_password.data(), k_password.size(), crypto_pwhash_OPSLIMIT_MIN,
                            crypto_pwhash_MEMLIMIT_MIN) == 0);
  blogen::store::UserRepository(accounts.context.db()).set_password_hash(ann.id, weak, accounts.clock.now_ms());
  CHECK(blogen::app::verify_password(weak, k_password) == blogen::app::PasswordMatch::yes_needs_rehash);

  accounts.log_in("ann");
  const std::string upgraded = accounts.record("ann").password_hash;
  CHECK(upgraded != weak);
  CHECK(blogen::app::verify_password(upgraded, k_password) == blogen::app::PasswordMatch::yes);
  CHECK(blogen::app::verify_password(upgraded, "wrong password") == blogen::app::PasswordMatch::no);
}

TEST_CASE("passwd needs the old password and logs out the other sessions only") {
  Accounts accounts;
  accounts.add("ann");
  const auto here = accounts.log_in("ann");
  const auto elsewhere = accounts.log_in("ann");
  const auto session = blogen::app::authenticate(accounts.context, here.token);
  const std::string fresh = "a brand new passphrase";

  CHECK(thrown_by([&] { blogen::app::change_password(accounts.context, session, "wrong password", fresh); }).code ==
        ErrorCode::auth);
  CHECK(accounts.throttle("ann").failures == 1);
  CHECK(thrown_by([&] { blogen::app::change_password(accounts.context, session, k_password, "short"); }).code ==
        ErrorCode::usage);
  CHECK(blogen::app::change_password(accounts.context, session, k_password, fresh) == 1);
  CHECK(accounts.throttle("ann").failures == 0);
  CHECK_NOTHROW(accounts.current(here.token));
  CHECK_THROWS_AS(accounts.current(elsewhere.token), Error);
  CHECK(thrown_by([&] { accounts.log_in("ann"); }).message == "wrong username or password");
  CHECK_NOTHROW(accounts.log_in("ann", fresh));
}

TEST_CASE("a disabled user cannot log in and their sessions stop working, also after enabling") {
  Accounts accounts;
  accounts.add("ann");
  accounts.add("bob");
  const auto admin = accounts.current(accounts.log_in("ann").token);
  const auto bobs = accounts.log_in("bob");

  const auto disabled =
      blogen::app::set_user_state(accounts.context, admin, "BOB", blogen::store::AccountState::disabled);
  CHECK(disabled.disabled);
  const Thrown old_session = thrown_by([&] { accounts.current(bobs.token); });
  CHECK(old_session.code == ErrorCode::auth);
  const Thrown right_password = thrown_by([&] { accounts.log_in("bob"); });
  CHECK(right_password.code == ErrorCode::auth);
  CHECK_THAT(right_password.message, Catch::Contains("disabled"));
  // A wrong password says nothing about the account's state.
  CHECK(thrown_by([&] { accounts.log_in("bob", "wrong password"); }).message == "wrong username or password");

  // A disabled user's session is refused even if it was never revoked (e.g. disabled by another tool).
  blogen::app::set_user_state(accounts.context, admin, "bob", blogen::store::AccountState::enabled);
  const auto again = accounts.log_in("bob");
  blogen::store::UserRepository(accounts.context.db())
      .set_state(accounts.record("bob").id, blogen::store::AccountState::disabled, accounts.clock.now_ms());
  CHECK_THAT(thrown_by([&] { accounts.current(again.token); }).message, Catch::Contains("disabled"));
  blogen::store::UserRepository(accounts.context.db())
      .set_state(accounts.record("bob").id, blogen::store::AccountState::enabled, accounts.clock.now_ms());
  // The session revoked by `user disable` stays dead after enabling.
  CHECK_THROWS_AS(accounts.current(bobs.token), Error);
  CHECK(accounts.current(again.token).username == "bob");
}

TEST_CASE("admin rules: admin only, unknown user, the last enabled admin stays, no disabling or deleting oneself") {
  Accounts accounts;
  accounts.add("ann");
  accounts.add("bob");
  const auto ann = accounts.current(accounts.log_in("ann").token);
  const auto bob = accounts.current(accounts.log_in("bob").token);
  using blogen::store::AccountState;
  using blogen::store::Role;

  const Thrown not_admin = thrown_by([&] { blogen::app::list_users(accounts.context, bob); });
  CHECK(not_admin.code == ErrorCode::auth);
  CHECK_THAT(not_admin.message, Catch::Contains("admin only"));
  CHECK(thrown_by([&] { blogen::app::set_user_role(accounts.context, bob, "bob", Role::admin); }).code ==
        ErrorCode::auth);
  CHECK(thrown_by([&] { blogen::app::show_user(accounts.context, ann, "nobody"); }).code == ErrorCode::not_found);
  CHECK(blogen::app::list_users(accounts.context, ann).size() == 2);

  const Thrown last = thrown_by([&] { blogen::app::set_user_role(accounts.context, ann, "ann", Role::user); });
  CHECK(last.code == ErrorCode::auth);
  CHECK_THAT(last.message, Catch::Contains("last enabled admin"));
  CHECK(thrown_by([&] { blogen::app::set_user_state(accounts.context, ann, "ann", AccountState::disabled); }).code ==
        ErrorCode::auth);
  CHECK(thrown_by([&] { blogen::app::delete_user(accounts.context, ann, "ann"); }).code == ErrorCode::auth);
  CHECK(accounts.record("ann").role == Role::admin);

  // An actor whose admin rights went stale still cannot remove the last admin.
  const blogen::app::CurrentUser stale{bob.id, bob.username, true};
  CHECK_THAT(
      thrown_by([&] { blogen::app::set_user_state(accounts.context, stale, "ann", AccountState::disabled); }).message,
      Catch::Contains("last enabled admin"));
  CHECK_THAT(thrown_by([&] { blogen::app::delete_user(accounts.context, stale, "ann"); }).message,
             Catch::Contains("last enabled admin"));

  // With a second admin, the first may step down; a disabled admin does not count as the remaining one.
  CHECK(blogen::app::set_user_role(accounts.context, ann, "bob", Role::admin).is_admin);
  blogen::app::set_user_state(accounts.context, ann, "bob", AccountState::disabled);
  CHECK(thrown_by([&] { blogen::app::set_user_role(accounts.context, ann, "ann", Role::user); }).code ==
        ErrorCode::auth);
  blogen::app::set_user_state(accounts.context, ann, "bob", AccountState::enabled);
  CHECK_FALSE(blogen::app::set_user_role(accounts.context, ann, "ann", Role::user).is_admin);
  CHECK(blogen::store::UserRepository(accounts.context.db()).count_enabled_admins() == 1);
}

TEST_CASE("deleting a user deletes their sessions and content, and nobody else's") {
  Accounts accounts;
  accounts.add("ann");
  accounts.add("bob");
  const auto ann = accounts.current(accounts.log_in("ann").token);
  const auto bobs = accounts.log_in("bob");
  const auto bob_id = accounts.record("bob").id;
  auto& sql = blogen::store::sql(accounts.context.db());
  for (const std::int64_t owner : {ann.id, bob_id}) {
    const std::string id = std::to_string(owner);
    sql.exec("INSERT INTO campaigns(user_id, name, brand, created_at, updated_at) VALUES (" + id + ", 'c', 'b', 0, 0)");
    sql.exec("INSERT INTO posts(user_id, title, created_at, updated_at) VALUES (" + id + ", 't', 0, 0)");
    sql.exec("INSERT INTO jobs(user_id, kind, run_after, created_at, updated_at) VALUES (" + id + ", 'k', 0, 0, 0)");
  }
  const auto deleted = blogen::app::delete_user(accounts.context, ann, "Bob");
  CHECK(deleted.user.username == "bob");
  CHECK(deleted.content.posts == 1);
  CHECK(deleted.content.campaigns == 1);
  CHECK(deleted.content.jobs == 1);
  CHECK(deleted.content.sessions == 1);
  for (const char* table : {"posts", "campaigns", "jobs", "sessions"}) {
    INFO(table);
    CHECK(sql.execAndGet(std::string("SELECT count(*) FROM ") + table + " WHERE user_id = " + std::to_string(bob_id))
              .getInt() == 0);
    CHECK(sql.execAndGet(std::string("SELECT count(*) FROM ") + table + " WHERE user_id = " + std::to_string(ann.id))
              .getInt() == 1);
  }
  CHECK_THROWS_AS(accounts.current(bobs.token), Error);
  CHECK(thrown_by([&] { blogen::app::show_user(accounts.context, ann, "bob"); }).code == ErrorCode::not_found);
}

TEST_CASE("require_user reads BLOGEN_TOKEN before the session file, which is private") {
  Accounts accounts;
  ScopedEnv config("XDG_CONFIG_HOME", (accounts.dir.path / "config").string());
  ::unsetenv("BLOGEN_TOKEN");
  CHECK(thrown_by([&] { blogen::app::require_user(accounts.context); }).message == "not logged in; run 'blogen login'");

  accounts.add("ann");
  accounts.add("bob");
  const auto ann = accounts.log_in("ann");
  const auto bob = accounts.log_in("bob");
  blogen::app::save_session_token(bob.token);
  const auto file = accounts.dir.path / "config" / "blogen" / "session";
  CHECK(blogen::files::permission_bits(file) == 0600);
  CHECK(blogen::files::permission_bits(file.parent_path()) == 0700);
  CHECK(blogen::app::require_user(accounts.context).username == "bob");
  CHECK(thrown_by([&] { blogen::app::require_admin(accounts.context); }).message ==
        "admin only: ask an admin to run this command");
  {
    ScopedEnv token("BLOGEN_TOKEN", ann.token);
    CHECK(blogen::app::require_admin(accounts.context).username == "ann");
    // Forgetting ann's token leaves the file holding bob's session alone.
    blogen::app::forget_session_token(ann.token);
    CHECK(std::filesystem::exists(file));
  }
  {
    ScopedEnv token("BLOGEN_TOKEN", "blg_tampered");
    CHECK_THAT(thrown_by([&] { blogen::app::require_user(accounts.context); }).message,
               Catch::Contains("BLOGEN_TOKEN"));
  }
  blogen::app::forget_session_token(bob.token);
  CHECK_FALSE(std::filesystem::exists(file));
  CHECK(thrown_by([&] { blogen::app::require_user(accounts.context); }).code == ErrorCode::auth);
}

namespace {

// Runs `attempts` calls of `attempt` at once, each thread on its own store connection, and counts the answers.
std::map<std::string, int> answers_in_parallel(const std::filesystem::path& store, ManualClock& clock, int attempts,
                                               const std::function<void(Context&)>& attempt) {
  std::vector<std::string> messages(static_cast<std::size_t>(attempts));
  std::vector<std::thread> threads;
  for (int i = 0; i < attempts; ++i) {
    threads.emplace_back([&, i] {
      Context context(store, clock);
      try {
        attempt(context);
        messages[static_cast<std::size_t>(i)] = "accepted";
      } catch (const Error& e) {
        messages[static_cast<std::size_t>(i)] = e.what();
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  std::map<std::string, int> counts;
  for (const auto& message : messages)
    ++counts[message];
  return counts;
}

} // namespace

TEST_CASE("12 parallel wrong logins: only 3 passwords are checked, known user or not (issue 16 item 5)") {
  Accounts accounts;
  accounts.add("ann");
  const auto store = accounts.dir.path / "blogen.db";
  for (const char* name : {"ann", "nobody"}) {
    const auto counts = answers_in_parallel(store, accounts.clock, 12, [&](Context& context) {
      blogen::app::login(context, {name, "wrong password", blogen::app::k_default_session_ttl});
    });
    CHECK(counts.at("wrong username or password") == 3);
    CHECK(counts.at("too many attempts; try again in 1 s") == 9);
    CHECK(counts.size() == 2);
    CHECK(accounts.throttle(name).failures == 3);
  }
}

TEST_CASE("an unknown username backs off exactly like a known one: same answers, same waits (issue 16 item 5)") {
  Accounts accounts;
  accounts.add("ann");
  for (int round = 0; round < 5; ++round) {
    const Thrown known = thrown_by([&] { accounts.log_in("ann", "wrong password"); });
    const Thrown unknown = thrown_by([&] { accounts.log_in("nobody", "wrong password"); });
    CHECK(known.code == unknown.code);
    CHECK(known.message == unknown.message);
    CHECK(accounts.throttle("ann").next_attempt_at == accounts.throttle("nobody").next_attempt_at);
  }
  CHECK(thrown_by([&] { accounts.log_in("nobody"); }).message == "too many attempts; try again in 1 s");
  // A day without attempts forgets the streak, so names tried once do not pile up in the store.
  accounts.clock.advance(25h);
  CHECK(thrown_by([&] { accounts.log_in("nobody"); }).message == "wrong username or password");
  CHECK(accounts.throttle("ann").failures == 0);
}

TEST_CASE("12 parallel wrong passwd attempts: only 3 old passwords are checked (issue 16 item 5)") {
  Accounts accounts;
  accounts.add("ann");
  const auto session = blogen::app::authenticate(accounts.context, accounts.log_in("ann").token);
  const auto counts = answers_in_parallel(accounts.dir.path / "blogen.db", accounts.clock, 12, [&](Context& context) {
    blogen::app::change_password(context, session, "wrong password", "a brand new passphrase");
  });
  CHECK(counts.at("wrong password") == 3);
  CHECK(counts.at("too many attempts; try again in 1 s") == 9);
  // The login of the same name shares the back-off.
  CHECK(thrown_by([&] { accounts.log_in("ann"); }).message == "too many attempts; try again in 1 s");
}
