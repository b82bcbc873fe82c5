#include <blogen/gen/guarded_call.hpp>

#include <utility>

namespace blogen::gen {
namespace {

template <typename Result> Result cancelled_waiting_for_permit() {
  Result result;
  result.error = ErrorKind::cancelled;
  result.error_message = "cancelled while waiting for a free provider slot";
  return result;
}

// The permits an attempt holds: this process's, then the shared slot (in that order, so threads of one process queue
// on the cheap in-process governor instead of all polling the store). Empty when stopped while waiting.
struct Admitted {
  Governor::Permit permit;
  SharedSlot slot;
  explicit operator bool() const { return static_cast<bool>(permit); }
};

Admitted admit(const CallGuards& guards, const std::stop_token& stop) {
  auto permit = guards.governor.acquire(stop);
  if (!permit) return {};
  if (!guards.shared) return {std::move(permit), {}};
  const auto slot = guards.shared->acquire(stop);
  if (!slot) return {};
  return {std::move(permit), SharedSlot(*guards.shared, *slot)};
}

} // namespace

ChatResult guarded_chat(Provider& provider, const CallGuards& guards, const ChatRequest& request,
                        const DeltaCallback& on_delta, std::stop_token stop, const ChatAttemptObserver& on_attempt) {
  return run_with_retry(
      guards.retry, guards.clock, stop,
      [&](int) {
        const auto admitted = admit(guards, stop);
        if (!admitted) return cancelled_waiting_for_permit<ChatResult>();
        return provider.chat(request, on_delta, stop);
      },
      on_attempt);
}

ImageResult guarded_image(Provider& provider, const CallGuards& guards, const ImageRequest& request,
                          std::stop_token stop, const ImageAttemptObserver& on_attempt) {
  return run_with_retry(
      guards.retry, guards.clock, stop,
      [&](int) {
        const auto admitted = admit(guards, stop);
        if (!admitted) return cancelled_waiting_for_permit<ImageResult>();
        return provider.image(request, stop);
      },
      on_attempt);
}

GuardedProvider::GuardedProvider(std::shared_ptr<Provider> provider, Clock& clock,
                                 std::shared_ptr<SharedAdmission> shared)
    : m_provider(std::move(provider)), m_shared(std::move(shared)),
      m_governor(GovernorLimits::from_config(m_provider->config()), clock),
      m_guards{m_governor, RetryPolicy::from_config(m_provider->config()), clock, m_shared.get()} {}

ChatResult GuardedProvider::chat(const ChatRequest& request, const DeltaCallback& on_delta, std::stop_token stop,
                                 const ChatAttemptObserver& on_attempt) {
  return guarded_chat(*m_provider, m_guards, request, on_delta, std::move(stop), on_attempt);
}

ImageResult GuardedProvider::image(const ImageRequest& request, std::stop_token stop,
                                   const ImageAttemptObserver& on_attempt) {
  return guarded_image(*m_provider, m_guards, request, std::move(stop), on_attempt);
}

} // namespace blogen::gen
