// `blogen session list | revoke ID`: your live sessions and runner tokens.
#include "commands.hpp"
#include "present.hpp"

#include <blogen/app/session_list.hpp>
#include <blogen/term/table.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

std::string expiry_text(TimestampMs expires_at) {
  return expires_at == store::k_never_expires ? "never" : format_short_time(expires_at);
}

struct SessionList {
  std::vector<app::SessionView> sessions;
};

nlohmann::json to_json(const SessionList& list) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& view : list.sessions) {
    const auto& s = view.record;
    array.push_back(
        {{"id", s.id},
         {"kind", std::string(store::to_string(s.kind))},
         {"current", view.current},
         {"created_at", format_iso8601(s.created_at)},
         {"last_used_at", format_iso8601(s.last_used_at)},
         {"expires_at",
          s.expires_at == store::k_never_expires ? nlohmann::json() : nlohmann::json(format_iso8601(s.expires_at))}});
  }
  return array;
}

void to_quiet(term::Output& out, const SessionList& list) {
  print_each(out, list.sessions, [](const app::SessionView& view) { return std::to_string(view.record.id); });
}

void to_text(term::Output& out, const SessionList& list) {
  term::Table table(
      {{"ID", term::ColumnFit::fixed, term::Align::right}, {"KIND"}, {"CREATED"}, {"LAST USED"}, {"EXPIRES"}, {""}});
  for (const auto& view : list.sessions) {
    const auto& s = view.record;
    table.add_row({std::to_string(s.id), std::string(store::to_string(s.kind)), format_short_time(s.created_at),
                   format_short_time(s.last_used_at), expiry_text(s.expires_at), view.current ? "(this one)" : ""});
  }
  out.table(table);
}

} // namespace

void add_session_commands(CLI::App& root, Registry& registry) {
  auto* group = root.add_subcommand("session", "Your live sessions and runner tokens");
  auto* list = group->add_subcommand("list", "List your live login sessions and runner tokens");
  list->footer("Needs: a login. Runner tokens (kind runner) come from 'blogen schedule crontab' and never expire.");
  registry.on(list, [](Env& env) {
    present(env.out(), SessionList{app::list_sessions(env.app())});
    return 0;
  });
  auto id = std::make_shared<std::int64_t>(0);
  auto* revoke = group->add_subcommand("revoke", "Revoke one of your sessions or runner tokens");
  revoke->add_option("id", *id, "Session id (see 'blogen session list')")->required();
  revoke->footer("Needs: a login. A revoked runner token stops cron's 'schedule run-due' (exit 4).");
  registry.on(revoke, [id](Env& env) {
    app::revoke_session(env.app(), *id);
    present(env.out(), Outcome{{{"revoked", *id}}, fmt::format("Revoked session {}.", *id), {}, {std::to_string(*id)}});
    return 0;
  });
}

} // namespace blogen::cli
