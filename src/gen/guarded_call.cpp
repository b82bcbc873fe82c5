#include <blogen/gen/guarded_call.hpp>

namespace blogen::gen {
namespace {

template <typename Result> Result cancelled_waiting_for_permit() {
  Result result;
  result.error = ErrorKind::cancelled;
  result.error_message = "cancelled while waiting for a free provider slot";
  return result;
}

} // namespace

ChatResult guarded_chat(Provider& provider, const CallGuards& guards, const ChatRequest& request,
                        const DeltaCallback& on_delta, std::stop_token stop, const ChatAttemptObserver& on_attempt) {
  return run_with_retry(
      guards.retry, guards.clock, stop,
      [&](int) {
        const auto permit = guards.governor.acquire(stop);
        if (!permit) return cancelled_waiting_for_permit<ChatResult>();
        return provider.chat(request, on_delta, stop);
      },
      on_attempt);
}

ImageResult guarded_image(Provider& provider, const CallGuards& guards, const ImageRequest& request,
                          std::stop_token stop, const ImageAttemptObserver& on_attempt) {
  return run_with_retry(
      guards.retry, guards.clock, stop,
      [&](int) {
        const auto permit = guards.governor.acquire(stop);
        if (!permit) return cancelled_waiting_for_permit<ImageResult>();
        return provider.image(request, stop);
      },
      on_attempt);
}

} // namespace blogen::gen
