// Customer portal routes, CORS and the dev outbox.
#include "server/routes_portal.hpp"

#include "core/core_time.hpp"
#include "server/routes_util.hpp"
#include "server/service_portal.hpp"
#include "server/service_portal_scope.hpp"
#include "server/service_verification.hpp"
#include "server/service_webhook.hpp"
#include "server/store_portal.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {
bool apply_portal_cors(ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (req.path.rfind("/api/portal/", 0) != 0 || !req.has_header("Origin")) return false;
  std::string origin = req.get_header_value("Origin");
  res.set_header("Vary", "Origin");
  bool allowed = origin_may_use_portal(ctx, origin);
  if (allowed) {
    // Bearer tokens only: no Allow-Credentials, so no cookies ever cross.
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Access-Control-Expose-Headers", "Retry-After");
  }
  if (req.method != "OPTIONS") return false;
  if (allowed) {
    res.set_header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
    res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
    res.set_header("Access-Control-Max-Age", "600");
    res.status = 204;
  } else {
    res.status = 403;
    res.set_content("{\"error\":\"This origin may not use the portal API\"}", "application/json");
  }
  return true;
}

namespace {

PortalScope scope_of(ServerContext& ctx, const httplib::Request& req) {
  return portal_scope(ctx, req.get_header_value("Origin"));
}

}  // namespace

void install_portal_routes(httplib::Server& http, ServerContext& ctx) {
  http.Post("/api/portal/verification", [&ctx](const httplib::Request& req, httplib::Response& res) {
    request_verification(ctx, parse_json_body(req), req.remote_addr, scope_of(ctx, req));
    // Identical for every well-formed email, purchases or not.
    send_json(res, 202, {{"status", "sent"}, {"message", "If this address has purchases, a code is on its way."}});
  });

  http.Post("/api/portal/session", [&ctx](const httplib::Request& req, httplib::Response& res) {
    send_json(res, 200, open_session(ctx, parse_json_body(req), req.remote_addr, scope_of(ctx, req)));
  });

  http.Delete("/api/portal/session", [&ctx](const httplib::Request& req, httplib::Response& res) {
    close_session(ctx, req.get_header_value("Authorization"), scope_of(ctx, req));
    res.status = 204;
  });

  http.Get("/api/portal/purchases", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(ctx, req.get_header_value("Authorization"), scope_of(ctx, req));
    std::optional<std::string> org;
    if (req.has_param("org") && !req.get_param_value("org").empty()) org = req.get_param_value("org");
    send_json(res, 200, portal_purchases(ctx, session, org));
  });

  http.Post("/api/portal/download-url", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto session = require_session(ctx, req.get_header_value("Authorization"), scope_of(ctx, req));
    send_json(res, 200, portal_download_link(ctx, session, parse_json_body(req)));
  });

  if (ctx.config.demo || ctx.config.dev) {
    http.Get("/api/dev/outbox", [&ctx](const httplib::Request& req, httplib::Response& res) {
      std::string to = req.get_param_value("to");
      if (to.empty()) throw ApiError(400, "\"to\" is required: /api/dev/outbox?to=EMAIL");
      nlohmann::json out = nlohmann::json::array();
      for (auto& m : store::outbox_for(ctx.db->connection(), normalise_email(to), 20))
        out.push_back({{"to", m.to}, {"subject", m.subject}, {"text", m.text}, {"html", m.html},
                       {"sentAt", core::format_iso8601_utc(m.created_at)}});
      send_json(res, 200, out);
    });
  }
}

}  // namespace continuata::server
