// The HTTP values that cross between the core and the platform: the core builds requests as
// data (commands), the platform's transport runs them and hands back a response as data (an
// event). Failures that never reached the server are told apart here, not folded into status 0.
#pragma once
#include <string>

namespace continuata::core {

struct HttpRequest {
  std::string method;      // "GET", "POST", "DELETE"
  std::string url;         // absolute: the configured API base joined with the path
  std::string body;        // JSON text, or empty
  std::string bearer;      // session token for "Authorization: Bearer", or empty
  int timeout_ms = 15000;  // the transport gives up after this long
};

enum class TransportFailure {
  None,     // the server answered; status and body are real
  Offline,  // network down or server unreachable (connection refused, DNS)
  Timeout,  // no answer within timeout_ms
  Blocked,  // the browser refused the response (CORS) or the request was aborted
};

struct HttpResponse {
  int status = 0;           // HTTP status when failure == None
  std::string body;         // response body (also for 4xx/5xx)
  std::string retry_after;  // the Retry-After header when present (seconds)
  TransportFailure failure = TransportFailure::None;
};

}  // namespace continuata::core
