// The one way a route or service reports an expected failure: throw ApiError(status, message).
// ServerApp's exception handler turns it into {"error": message} with that status (plus any
// extra JSON fields and headers, e.g. Retry-After), so every error has the reference's shape.
#pragma once
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace continuata::server {

struct ApiError : std::runtime_error {
  ApiError(int status, std::string message, nlohmann::json extra = nlohmann::json::object(),
           std::vector<std::pair<std::string, std::string>> headers = {})
      : std::runtime_error(message), status(status), extra(std::move(extra)), headers(std::move(headers)) {}
  int status;
  nlohmann::json extra;                                      // merged into the error body
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Retry-After", "30"}
};

}  // namespace continuata::server
