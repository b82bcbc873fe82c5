#pragma once
// The one place that speaks libcurl. One transfer at a time per thread, on a thread-local handle so keep-alive
// connections are reused between calls; cancellation wakes the transfer at once through curl_multi_wakeup.

#include <chrono>
#include <functional>
#include <map>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace blogen::gen {

/// One HTTP exchange to perform.
struct HttpRequest {
  std::string method = "GET"; ///< "GET" or "POST"
  std::string url;
  std::vector<std::string> headers; ///< "Name: value" lines
  std::string body;                 ///< sent when method is POST
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{300'000}; ///< the whole exchange, body included
  bool follow_redirects = false;              ///< only for downloads: API calls must not be redirected with the key
  /// When set, a 2xx body goes here piece by piece instead of into HttpResponse::body; returning false aborts.
  std::function<bool(std::string_view chunk)> on_success_body;
  std::size_t max_body_bytes = std::size_t{256} << 20; ///< a larger body, buffered or streamed, fails (too_large)
  /// When positive, the exchange fails (timeout) once no byte has arrived for this long: a stalled stream ends here
  /// instead of at `timeout`, which for a long answer is minutes away.
  std::chrono::milliseconds stall_timeout{0};
};

/// Why no complete HTTP response arrived. `unavailable`: libcurl could not be loaded, nothing was sent.
enum class TransportError { none, timeout, connection, cancelled, aborted, too_large, invalid_request, unavailable };

/// The outcome of one exchange.
struct HttpResponse {
  int status = 0;                             ///< 0 when no response line arrived
  std::map<std::string, std::string> headers; ///< lower-case names of the final response; the last value wins
  std::string body;                           ///< empty when streamed to on_success_body
  TransportError error = TransportError::none;
  std::string error_message; ///< a sentence naming the server and what to check (or: stalled, too large)
  /// A header value, or "" when absent; `name` must be lower-case.
  [[nodiscard]] std::string header(const std::string& name) const;
};

/// Performs one exchange; never throws for network failures (exceptions from on_success_body are rethrown).
HttpResponse perform_http(const HttpRequest& request, std::stop_token stop);

} // namespace blogen::gen
