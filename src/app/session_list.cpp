#include <blogen/app/session_list.hpp>
#include <blogen/app/sessions.hpp>
#include <blogen/core/error.hpp>

#include <fmt/format.h>

namespace blogen::app {

std::vector<SessionView> list_sessions(Context& context) {
  const ResolvedSession resolved = require_session(context);
  std::vector<SessionView> views;
  for (const store::SessionRecord& record :
       store::SessionRepository(context.db()).active_of_user(resolved.session.user.id, context.clock().now_ms())) {
    const bool current = record.id == resolved.session.session_id;
    views.push_back(SessionView{record, current});
  }
  return views;
}

void revoke_session(Context& context, std::int64_t session_id) {
  const ResolvedSession resolved = require_session(context);
  store::Database& db = context.db();
  const TimestampMs now = context.clock().now_ms();
  store::WriteTransaction transaction(db);
  store::SessionRepository sessions(db);
  bool live = false;
  for (const store::SessionRecord& record : sessions.active_of_user(resolved.session.user.id, now))
    live = live || record.id == session_id;
  if (!live) throw Error(ErrorCode::not_found, fmt::format("session {} not found (or already ended)", session_id));
  sessions.revoke(session_id, now);
  transaction.commit();
}

} // namespace blogen::app
