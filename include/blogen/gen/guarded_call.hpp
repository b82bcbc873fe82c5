#pragma once
// One logical generation as the job layer wants it: retried per the policy, each attempt admitted by the
// provider's governor. The permit is held only while an attempt talks to the provider, never during back-off, so a
// waiting retry does not starve other workers.

#include <blogen/core/clock.hpp>
#include <blogen/gen/governor.hpp>
#include <blogen/gen/provider.hpp>
#include <blogen/gen/retry.hpp>
#include <blogen/gen/shared_admission.hpp>

#include <memory>
#include <stop_token>

namespace blogen::gen {

/// What surrounds every provider call: admission, retries, and the clock back-off waits run on.
struct CallGuards {
  Governor& governor;                ///< the provider's own in this process (see GuardedProvider)
  RetryPolicy retry;                 ///< usually RetryPolicy::from_config(provider.config())
  Clock& clock;                      ///< SystemClock::instance() in production, a ManualClock in tests
  SharedAdmission* shared = nullptr; ///< the limits other processes share too; null: this process's only
};

/// Generates text with retries and admission control; `on_attempt` sees every attempt (log it). When streaming,
/// a failed attempt may already have passed deltas on: the observer is the place to discard them.
ChatResult guarded_chat(Provider& provider, const CallGuards& guards, const ChatRequest& request,
                        const DeltaCallback& on_delta, std::stop_token stop,
                        const ChatAttemptObserver& on_attempt = {});
/// Generates an image with retries and admission control.
ImageResult guarded_image(Provider& provider, const CallGuards& guards, const ImageRequest& request,
                          std::stop_token stop, const ImageAttemptObserver& on_attempt = {});

/// A provider behind its own governor and retry policy, the one way jobs call a provider. Thread-safe: the workers
/// of a process share one per provider (app::ProviderCache hands them out), so they share its limits.
class GuardedProvider {
public:
  /// Limits and attempts come from `provider->config()`; back-off waits and the per-minute window run on `clock`.
  /// With `shared`, each attempt also holds one of its slots, so the limits hold across processes.
  GuardedProvider(std::shared_ptr<Provider> provider, Clock& clock, std::shared_ptr<SharedAdmission> shared = {});
  GuardedProvider(const GuardedProvider&) = delete;
  GuardedProvider& operator=(const GuardedProvider&) = delete;

  /// The configuration of the wrapped provider.
  [[nodiscard]] const ProviderConfig& config() const { return m_provider->config(); }
  /// guarded_chat with this provider's guards.
  ChatResult chat(const ChatRequest& request, const DeltaCallback& on_delta, std::stop_token stop,
                  const ChatAttemptObserver& on_attempt = {});
  /// guarded_image with this provider's guards.
  ImageResult image(const ImageRequest& request, std::stop_token stop, const ImageAttemptObserver& on_attempt = {});
  /// The governor that admits this provider's calls.
  [[nodiscard]] Governor& governor() { return m_governor; }

private:
  std::shared_ptr<Provider> m_provider;
  std::shared_ptr<SharedAdmission> m_shared;
  Governor m_governor;
  CallGuards m_guards; // refers to m_governor, so it is declared after it
};

} // namespace blogen::gen
