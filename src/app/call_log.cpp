#include <blogen/app/call_log.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/core/error.hpp>

namespace blogen::app {

std::vector<store::GenerationLogEntry> list_calls(Context& context, std::optional<std::int64_t> job_id, int limit) {
  if (limit < 1 || limit > 1000) throw Error(ErrorCode::usage, "--limit: must be between 1 and 1000");
  const CurrentUser user = require_user(context);
  return store::GenerationLogRepository(context.db()).list(user.id, job_id, limit);
}

std::vector<store::TokenTotal> token_totals(Context& context) {
  const CurrentUser user = require_user(context);
  return store::GenerationLogRepository(context.db()).token_totals(user.id);
}

} // namespace blogen::app
