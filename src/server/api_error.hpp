// The one way a route or service reports an expected failure: throw ApiError(status, message).
// ServerApp's exception handler turns it into core_api's ErrorBody ({"error": message}, plus
// triesLeft or retryAfter where they apply) with that status and any extra headers (e.g.
// Retry-After), so every error has the reference's shape and the portal reads it with the same model.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/core_api.hpp"

namespace continuata::server {

struct ApiError : std::runtime_error {
  ApiError(int status, std::string message) : std::runtime_error(message), status(status) {
    body.error = std::move(message);
  }
  // A refused code: how many tries it has left.
  ApiError& tries_left(int64_t n) {
    body.tries_left = n;
    return *this;
  }
  int status;
  core::ErrorBody body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Retry-After", "30"}
};

// 429: the body's retryAfter and the Retry-After header both say how long to wait.
inline ApiError too_many_requests(int64_t wait_s) {
  ApiError e(429, "Too many requests. Try again in " + std::to_string(wait_s) + " seconds.");
  e.body.retry_after = wait_s;
  e.headers.emplace_back("Retry-After", std::to_string(wait_s));
  return e;
}

}  // namespace continuata::server
