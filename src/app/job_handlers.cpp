#include <blogen/app/job_handlers.hpp>

namespace blogen::app {

// Placeholder so the worker links before the generation handlers land: the posts work replaces this body with
// the real registrations (generate_blog, generate_social, ...). Until then a worker fails any job it claims with
// "no handler for job kind ..." instead of leaving it stuck.
jobs::HandlerMap job_handlers(Context& /*context*/) { return {}; }

} // namespace blogen::app
