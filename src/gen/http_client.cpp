#include "http_client.hpp"

#include "curl_library.hpp"

#include <blogen/core/text.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <memory>

namespace blogen::gen {
namespace {

// A poll wakes at least this often even without traffic; stop requests wake it sooner through curl_multi_wakeup.
constexpr int k_poll_ms = 1000;

// One easy and one multi handle per thread: the multi handle owns the connection cache, so reusing it keeps
// connections alive between the calls a worker thread makes.
struct CurlHandles {
  CurlHandles() : easy(curl_easy_init()), multi(curl_multi_init()) {}
  ~CurlHandles() {
    if (easy) curl_easy_cleanup(easy);
    if (multi) curl_multi_cleanup(multi);
  }
  CurlHandles(const CurlHandles&) = delete;
  CurlHandles& operator=(const CurlHandles&) = delete;
  CURL* easy;
  CURLM* multi;
};

CurlHandles& thread_handles() {
  thread_local CurlHandles handles;
  return handles;
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

using Steady = std::chrono::steady_clock;

struct Transfer {
  const HttpRequest& request;
  HttpResponse& response;
  std::exception_ptr callback_error;
  bool aborted = false;
  bool too_large = false;
  std::size_t received = 0;          // body bytes so far, streamed or buffered
  Steady::time_point last_byte = {}; // when a header or body byte last arrived (the stall timer)
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  transfer.last_byte = Steady::now();
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after a redirect or a 100 Continue): the headers before it belonged to another response.
    transfer.response.headers.clear();
    const auto space = line.find(' ');
    if (space != std::string_view::npos) {
      int status = 0;
      for (auto at = space + 1; at < line.size() && std::isdigit(static_cast<unsigned char>(line[at])); ++at)
        status = status * 10 + (line[at] - '0');
      transfer.response.status = status;
    }
    return line.size();
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    transfer.response.headers[text::lower(text::trim(line.substr(0, colon)))] =
        std::string(text::trim(line.substr(colon + 1)));
  }
  return line.size();
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::string_view chunk(data, size * count);
  transfer.last_byte = Steady::now();
  // One cap for every body: a stream that never ends must not grow the assembled answer without bound either.
  if (chunk.size() > transfer.request.max_body_bytes - std::min(transfer.received, transfer.request.max_body_bytes)) {
    transfer.too_large = true;
    return 0;
  }
  transfer.received += chunk.size();
  const int status = transfer.response.status;
  if (transfer.request.on_success_body && status >= 200 && status < 300) {
    try {
      if (!transfer.request.on_success_body(chunk)) {
        transfer.aborted = true;
        return 0;
      }
    } catch (...) {
      // Unwinding through libcurl's C frames is undefined; carry the exception out and rethrow it afterwards.
      transfer.callback_error = std::current_exception();
      return 0;
    }
    return chunk.size();
  }
  transfer.response.body.append(chunk);
  return chunk.size();
}

// How long one poll may sleep: a second at most, and never past the moment the stall timer would run out.
int poll_ms(const HttpRequest& request, const Transfer& transfer) {
  if (request.stall_timeout.count() <= 0) return k_poll_ms;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(request.stall_timeout -
                                                                          (Steady::now() - transfer.last_byte));
  return static_cast<int>(std::clamp<std::int64_t>(left.count() + 1, 1, k_poll_ms));
}

TransportError classify(CURLcode code) {
  switch (code) {
  case CURLE_OK:
    return TransportError::none;
  case CURLE_OPERATION_TIMEDOUT:
    return TransportError::timeout;
  case CURLE_ABORTED_BY_CALLBACK:
    return TransportError::cancelled;
  case CURLE_URL_MALFORMAT:
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_BAD_FUNCTION_ARGUMENT:
    return TransportError::invalid_request;
  default:
    return TransportError::connection; // refused, reset, DNS, TLS, truncated body: the network let us down
  }
}

// libcurl's own messages (its error buffer) name internals a writer cannot act on; each failure becomes a sentence
// naming the server and what to check.
std::string transport_message(CURLcode code, const std::string& url) {
  switch (code) {
  case CURLE_OPERATION_TIMEDOUT:
    return "no complete answer from " + url + " in time (the request timed out); the server is slow or unreachable";
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
    return "cannot find the host of " + url + " (name lookup failed); check the base URL and the network";
  case CURLE_COULDNT_CONNECT:
    return "cannot open a connection to " + url +
           " (nothing answered there); check that the server runs and that "
           "the base URL is right";
  case CURLE_URL_MALFORMAT:
  case CURLE_UNSUPPORTED_PROTOCOL:
    return "the address " + url + " is not a valid http(s) URL; correct the provider's base URL";
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_SSL_CACERT_BADFILE:
    return "the secure (TLS) connection to " + url +
           " failed: the server's certificate was not accepted or the "
           "handshake broke off; check the base URL and the system's "
           "certificates";
  default:
    return "the connection to " + url + " failed (network error " + std::to_string(static_cast<int>(code)) +
           "); check the network and the base URL, then try again";
  }
}

} // namespace

std::string HttpResponse::header(const std::string& name) const {
  const auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

HttpResponse perform_http(const HttpRequest& request, std::stop_token stop) {
  HttpResponse response;
  // Loads libcurl on the first call; without it nothing can be sent, and no retry will change that.
  if (const std::string& problem = curl_library_problem(); !problem.empty()) {
    response.error = TransportError::unavailable;
    response.error_message = problem;
    return response;
  }
  if (stop.stop_requested()) {
    response.error = TransportError::cancelled;
    response.error_message = "cancelled";
    return response;
  }
  auto& handles = thread_handles();
  if (!handles.easy || !handles.multi) {
    response.error = TransportError::connection;
    response.error_message = "cannot initialise libcurl";
    return response;
  }
  CURL* easy = handles.easy;
  curl_easy_reset(easy);
  Transfer transfer{request, response, nullptr, false, false, 0, Steady::now()};

  curl_slist* header_list = nullptr;
  const auto append_header = [&header_list](const char* line) {
    if (curl_slist* appended = curl_slist_append(header_list, line)) header_list = appended;
  };
  for (const auto& line : request.headers)
    append_header(line.c_str());
  // Without this, curl waits for a `100 Continue` that many servers never send before posting large bodies.
  if (request.method == "POST") append_header("Expect:");
  const std::unique_ptr<curl_slist, SlistDeleter> headers(header_list);

  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "blogen/" BLOGEN_VERSION);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<std::int64_t>(1, request.timeout.count())));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
  if (request.follow_redirects) {
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  }
  if (request.method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.c_str());
  }

  CURLM* multi = handles.multi;
  curl_multi_add_handle(multi, easy);
  bool cancelled = false;
  bool stalled = false;
  CURLcode result = CURLE_OK;
  {
    std::stop_callback wake(stop, [multi] { curl_multi_wakeup(multi); });
    for (;;) {
      int running = 0;
      const CURLMcode multi_code = curl_multi_perform(multi, &running);
      if (multi_code != CURLM_OK) {
        result = CURLE_RECV_ERROR;
        break;
      }
      if (running == 0) {
        int queued = 0;
        while (CURLMsg* message = curl_multi_info_read(multi, &queued))
          if (message->msg == CURLMSG_DONE && message->easy_handle == easy) result = message->data.result;
        break;
      }
      if (stop.stop_requested()) {
        cancelled = true;
        break;
      }
      curl_multi_poll(multi, nullptr, 0, poll_ms(request, transfer), nullptr);
      if (stop.stop_requested()) {
        cancelled = true;
        break;
      }
      if (request.stall_timeout.count() > 0 && Steady::now() - transfer.last_byte >= request.stall_timeout) {
        stalled = true;
        break;
      }
    }
  }
  curl_multi_remove_handle(multi, easy);
  // The handle outlives this call: drop pointers into this stack frame.
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);

  if (transfer.callback_error) std::rethrow_exception(transfer.callback_error);
  if (cancelled) {
    response.error = TransportError::cancelled;
    response.error_message = "cancelled";
  } else if (stalled) {
    response.error = TransportError::timeout;
    const auto ms = request.stall_timeout.count();
    response.error_message = "the answer stalled: no data for " +
                             (ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms") +
                             " (the provider's stall timeout)";
  } else if (transfer.aborted) {
    response.error = TransportError::aborted;
    response.error_message = "transfer aborted by the receiver";
  } else if (transfer.too_large) {
    response.error = TransportError::too_large;
    response.error_message = "response larger than " + std::to_string(request.max_body_bytes) + " bytes";
  } else if (result != CURLE_OK) {
    response.error = classify(result);
    response.error_message = transport_message(result, request.url);
  }
  return response;
}

} // namespace blogen::gen
