// What every route file shares: JSON bodies parsed without throwing (bad JSON is a 400), JSON
// and error answers, and authentication done once per route by a wrapper: seller() resolves
// the API key (and the admin role when the route needs it) before the handler runs, customer()
// the portal session, so each handler receives who is asking and only parses, calls one
// service and answers.
#pragma once
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "server/api_error.hpp"
#include "server/client_address.hpp"
#include "server/model_seller.hpp"
#include "server/service_auth.hpp"
#include "server/service_portal_scope.hpp"
#include "server/service_portal_sessions.hpp"
#include "server/text_encoding.hpp"

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

// An error answer; text from the request (echoed in a message) that is not UTF-8 becomes U+FFFD.
inline void send_error(httplib::Response& res, int status, const core::ErrorBody& body) {
  res.status = status;
  res.set_content(json_text(body), "application/json");
}
inline void send_error(httplib::Response& res, int status, const std::string& message) {
  core::ErrorBody body;
  body.error = message;
  send_error(res, status, body);
}

// The client's address, for rate limits and every log (the access log, the download log):
// X-Real-IP when the peer is a --trusted-proxy, else the peer. The one place that decides it.
inline std::string client_ip(const ServerContext& ctx, const httplib::Request& req) {
  return client_address(ctx.config.trusted_proxies, req.remote_addr, req.get_header_value("X-Real-IP"));
}

enum class Access { Member, Admin };  // the lowest key role a seller route accepts

// A seller API handler `f(req, res, principal)`, called once the bearer API key is known (401
// otherwise) and, for Access::Admin, its role is admin (403 otherwise).
template <class F>
httplib::Server::Handler seller(ServerContext& ctx, Access access, F f) {
  return [&ctx, access, f = std::move(f)](const httplib::Request& req, httplib::Response& res) {
    Principal who = authenticate_api_key(ctx, req.get_header_value("Authorization"));
    if (access == Access::Admin) require_admin(who);
    f(req, res, who);
  };
}

// The same for a handler that reads its body itself (an upload): `f(req, res, read, principal)`.
template <class F>
httplib::Server::HandlerWithContentReader seller_streaming(ServerContext& ctx, Access access, F f) {
  return [&ctx, access, f = std::move(f)](const httplib::Request& req, httplib::Response& res,
                                          const httplib::ContentReader& read) {
    Principal who = authenticate_api_key(ctx, req.get_header_value("Authorization"));
    if (access == Access::Admin) require_admin(who);
    f(req, res, read, who);
  };
}

// What the portal may do for a request's Origin (see service_portal_scope.hpp).
inline PortalScope scope_of(ServerContext& ctx, const httplib::Request& req) {
  return portal_scope(ctx, req.get_header_value("Origin"));
}

// A portal handler `f(req, res, session)`, called with the live session of the bearer token
// (401 otherwise; 403 when the session belongs to an org outside the Origin's scope).
template <class F>
httplib::Server::Handler customer(ServerContext& ctx, F f) {
  return [&ctx, f = std::move(f)](const httplib::Request& req, httplib::Response& res) {
    store::PortalSession session =
        require_session(ctx, req.get_header_value("Authorization"), scope_of(ctx, req));
    f(req, res, session);
  };
}

}  // namespace continuata::server
