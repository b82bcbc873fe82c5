#pragma once
// The handler registry a `blogen worker` runs with: one handler per job kind this build knows.

#include <blogen/app/context.hpp>
#include <blogen/jobs/handler.hpp>

#include <string>
#include <vector>

namespace blogen::app {

/// Every job kind this build can run, each mapped to its handler (generate_blog, generate_social, ...).
jobs::HandlerMap job_handlers(Context& context);
/// The job kinds job_handlers maps, in the same order (what `job list --kind` completes).
std::vector<std::string> job_kind_names();

} // namespace blogen::app
