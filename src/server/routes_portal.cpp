// Customer portal routes (paths from core_api, answers core_api's models), their CORS, and the
// dev outbox. Signed-in routes get their session from customer().
#include "server/routes_portal.hpp"

#include "core/core_api.hpp"
#include "server/http_engine.hpp"
#include "server/mail_outbox.hpp"
#include "server/routes_util.hpp"
#include "server/service_download_history.hpp"
#include "server/service_org_profile.hpp"
#include "server/service_portal.hpp"
#include "server/service_portal_scope.hpp"
#include "server/service_portal_sessions.hpp"
#include "server/service_verification_codes.hpp"

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
    send_error(res, 403, "This origin may not use the portal API");
  }
  return true;
}

void install_portal_routes(HttpEngine& http, ServerContext& ctx) {
  using Req = const httplib::Request&;
  using Res = httplib::Response&;
  using Session = const store::PortalSession&;

  http.Post(core::kVerificationPath, [&ctx](Req req, Res res) {
    request_verification(ctx, parse_json_body(req), client_ip(ctx, req), scope_of(ctx, req));
    // Identical for every well-formed email, purchases or not.
    send_json(res, 202, core::VerificationAccepted{});
  });

  // Before sign-in: whose portal this is. Scoped by the Origin like every portal route; with no
  // org in scope there is nothing to show (204).
  http.Get(core::kProfilePath, [&ctx](Req req, Res res) {
    std::optional<std::string> org;
    if (req.has_param("org") && !req.get_param_value("org").empty()) org = req.get_param_value("org");
    auto profile = portal_profile(ctx, scope_of(ctx, req), org);
    if (profile)
      send_json(res, 200, *profile);
    else
      res.status = 204;
  });

  http.Post(core::kSessionPath, [&ctx](Req req, Res res) {
    send_json(res, 200, open_session(ctx, parse_json_body(req), client_ip(ctx, req), scope_of(ctx, req)));
  });

  http.Delete(core::kSessionPath, customer(ctx, [&ctx](Req, Res res, Session session) {
                close_session(ctx, session);
                res.status = 204;
              }));

  http.Get(core::kPurchasesPath, customer(ctx, [&ctx](Req req, Res res, Session session) {
             std::optional<std::string> org;
             if (req.has_param("org") && !req.get_param_value("org").empty())
               org = req.get_param_value("org");
             send_json(res, 200, portal_purchases(ctx, session, org));
           }));

  // One purchase's download history (core_history's path), the session's own purchases only.
  http.Get(std::string(core::kPurchasesPath) + "/([^/]+)" + core::kDownloadsSuffix,
           customer(ctx, [&ctx](Req req, Res res, Session session) {
             send_json(res, 200,
                       portal_download_history(ctx, session, req.matches[1], req.get_param_value("offset"),
                                               req.get_param_value("limit")));
           }));

  http.Post(core::kDownloadLinkPath, customer(ctx, [&ctx](Req req, Res res, Session session) {
              send_json(res, 200, portal_download_link(ctx, session, parse_json_body(req)));
            }));

  install_portal_email_routes(http, ctx);

  if (ctx.config.demo || ctx.config.dev) {
    http.Get("/api/dev/outbox", [&ctx](Req req, Res res) {
      send_json(res, 200, dev_outbox(*ctx.db, req.get_param_value("to")));
    });
  }
}

}  // namespace continuata::server
