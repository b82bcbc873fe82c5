#include <blogen/gen/provider.hpp>

namespace blogen::gen {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::none:
    return "ok";
  case ErrorKind::timeout:
    return "timeout";
  case ErrorKind::connection:
    return "connection";
  case ErrorKind::rate_limited:
    return "rate_limited";
  case ErrorKind::server:
    return "server";
  case ErrorKind::auth:
    return "auth";
  case ErrorKind::bad_request:
    return "bad_request";
  case ErrorKind::not_found_model:
    return "not_found_model";
  case ErrorKind::quota:
    return "quota";
  case ErrorKind::malformed_response:
    return "malformed_response";
  case ErrorKind::cancelled:
    return "cancelled";
  }
  return "unknown";
}

bool is_retryable(ErrorKind kind) {
  switch (kind) {
  case ErrorKind::timeout:
  case ErrorKind::connection:
  case ErrorKind::rate_limited:
  case ErrorKind::server:
  case ErrorKind::malformed_response:
    return true;
  default:
    return false;
  }
}

} // namespace blogen::gen
