#pragma once
// The handler registry a `blogen worker` runs with: one handler per job kind this build knows.

#include <blogen/app/context.hpp>
#include <blogen/jobs/handler.hpp>

namespace blogen::app {

/// Every job kind this build can run, each mapped to its handler (generate_blog, generate_social, ...).
jobs::HandlerMap job_handlers(Context& context);

} // namespace blogen::app
