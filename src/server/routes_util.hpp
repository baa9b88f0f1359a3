// Small helpers every route file uses: JSON bodies parsed without throwing (bad JSON is a 400),
// JSON responses, and the API-key principal of a request.
#pragma once
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "server/api_error.hpp"
#include "server/service_auth.hpp"

namespace continuata::server {

inline nlohmann::json parse_json_body(const httplib::Request& req) {
  auto body = nlohmann::json::parse(req.body, nullptr, false);  // also rejects invalid UTF-8
  if (body.is_discarded()) throw ApiError(400, "Request body must be JSON (UTF-8)");
  return body;
}

inline void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

inline Principal api_principal(ServerContext& ctx, const httplib::Request& req) {
  return authenticate_api_key(ctx, req.get_header_value("Authorization"));
}

}  // namespace continuata::server
