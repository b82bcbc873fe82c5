#include <blogen/app/current_user.hpp>
#include <blogen/app/runner_tokens.hpp>
#include <blogen/app/session_file.hpp>
#include <blogen/app/session_token.hpp>
#include <blogen/app/sessions.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/core/paths.hpp>
#include <blogen/core/text.hpp>
#include <blogen/store/database.hpp>
#include <blogen/store/session_repository.hpp>

namespace blogen::app {
namespace {

// Single quotes keep every character but `'` literal in sh; `%` starts stdin in a crontab line, so it is escaped.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else if (c == '%') {
      out += "\\%";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Revokes the runner token `file` holds when it is one of `user_id`'s (a new one replaces it).
int revoke_previous(store::Database& db, const std::filesystem::path& file, std::int64_t user_id, TimestampMs now) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return 0;
  const auto hash = hash_token(text::trim(files::read_all(file)));
  if (!hash) return 0;
  store::SessionRepository sessions(db);
  const auto session = sessions.find_by_hash(*hash);
  if (!session || session->user_id != user_id || session->kind != store::SessionKind::runner) return 0;
  return sessions.revoke(session->id, now) ? 1 : 0;
}

} // namespace

std::filesystem::path runner_token_file() { return paths::config_dir() / "runner-token"; }

std::string run_due_command(const std::filesystem::path& binary, const std::filesystem::path& store,
                            const std::filesystem::path& token_file) {
  return "BLOGEN_DB=" + quoted(store.string()) + " BLOGEN_TOKEN_FILE=" + quoted(token_file.string()) + " " +
         quoted(binary.string()) + " schedule run-due";
}

RunnerSetup setup_runner(Context& context, const std::filesystem::path& binary) {
  const ResolvedSession resolved = require_session(context);
  store::Database& db = context.db();
  const auto current = store::SessionRepository(db).find_by_hash(*hash_token(resolved.token.token));
  if (current && current->kind == store::SessionKind::runner) {
    throw Error(ErrorCode::auth, "a runner token cannot mint another; run 'blogen login' first");
  }
  RunnerSetup setup;
  setup.token_file = runner_token_file();
  setup.store = store::printable_location(context.store_path());
  setup.password_left_out =
      store::is_server_location(context.store_path()) && setup.store.string() != context.store_path().string();
  const std::string token = generate_token();
  const TimestampMs now = context.clock().now_ms();
  store::WriteTransaction transaction(db);
  setup.replaced = revoke_previous(db, setup.token_file, resolved.session.user.id, now);
  setup.session_id = store::SessionRepository(db).insert(resolved.session.user.id, *hash_token(token), now,
                                                         store::k_never_expires, store::SessionKind::runner);
  // The file is written before the commit: a token that could not be saved is never valid.
  write_token_file(setup.token_file, token);
  transaction.commit();
  setup.command = run_due_command(binary, setup.store, setup.token_file);
  setup.crontab_line = "* * * * * " + setup.command;
  return setup;
}

} // namespace blogen::app
