#pragma once
// One logical generation as the job layer wants it: retried per the policy, each attempt admitted by the
// provider's governor. The permit is held only while an attempt talks to the provider, never during back-off, so a
// waiting retry does not starve other workers.

#include <blogen/core/clock.hpp>
#include <blogen/gen/governor.hpp>
#include <blogen/gen/provider.hpp>
#include <blogen/gen/retry.hpp>

#include <stop_token>

namespace blogen::gen {

/// What surrounds every provider call: admission, retries, and the clock back-off waits run on.
struct CallGuards {
  Governor& governor; ///< usually governor_for(provider.config())
  RetryPolicy retry;  ///< usually RetryPolicy::from_config(provider.config())
  Clock& clock;       ///< SystemClock::instance() in production, a ManualClock in tests
};

/// Generates text with retries and admission control; `on_attempt` sees every attempt (log it). When streaming,
/// a failed attempt may already have passed deltas on: the observer is the place to discard them.
ChatResult guarded_chat(Provider& provider, const CallGuards& guards, const ChatRequest& request,
                        const DeltaCallback& on_delta, std::stop_token stop,
                        const ChatAttemptObserver& on_attempt = {});
/// Generates an image with retries and admission control.
ImageResult guarded_image(Provider& provider, const CallGuards& guards, const ImageRequest& request,
                          std::stop_token stop, const ImageAttemptObserver& on_attempt = {});

} // namespace blogen::gen
