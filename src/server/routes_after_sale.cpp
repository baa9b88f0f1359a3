// Refund and licence-key routes: each parses its request, is authenticated (seller() or the
// webhook's signature in the service), calls one service and answers.
#include "server/routes_after_sale.hpp"

#include "server/http_engine.hpp"
#include "server/routes_util.hpp"
#include "server/service_license_keys.hpp"
#include "server/service_refunds.hpp"

namespace continuata::server {
namespace {

// revoke and reinstate take an optional body: none at all is {} (no reason).
nlohmann::json optional_body(const httplib::Request& req) {
  return req.body.empty() ? nlohmann::json(nullptr) : parse_json_body(req);
}

}  // namespace

void install_after_sale_routes(HttpEngine& http, ServerContext& ctx) {
  using Req = const httplib::Request&;
  using Res = httplib::Response&;

  // Signed with the org's webhook secret, not an API key: the service checks the signature.
  http.Post(R"(/api/webhooks/([^/]+)/refund)", [&ctx](Req req, Res res) {
    send_json(res, 200,
              record_refund_webhook(ctx, req.matches[1], req.get_header_value("X-Continuata-Timestamp"),
                                    req.get_header_value("X-Continuata-Signature"), req.body));
  });

  http.Post(R"(/api/purchases/([^/]+)/revoke)",
            seller(ctx, Access::Admin, [&ctx](Req req, Res res, const Principal& who) {
              send_json(res, 200, revoke_purchase(ctx, who, req.matches[1], optional_body(req)));
            }));

  http.Post(R"(/api/purchases/([^/]+)/reinstate)",
            seller(ctx, Access::Admin, [&ctx](Req req, Res res, const Principal& who) {
              send_json(res, 200, reinstate_purchase(ctx, who, req.matches[1], optional_body(req)));
            }));

  http.Get(R"(/api/purchases/([^/]+)/events)",
           seller(ctx, Access::Admin, [&ctx](Req req, Res res, const Principal& who) {
             send_json(res, 200, purchase_events(ctx, who, req.matches[1]));
           }));

  http.Post(R"(/api/products/([^/]+)/license-keys)",
            seller(ctx, Access::Admin, [&ctx](Req req, Res res, const Principal& who) {
              send_json(res, 200, upload_license_keys(ctx, who.org_id, req.matches[1], parse_json_body(req)));
            }));

  http.Get(R"(/api/products/([^/]+)/license-keys)",
           seller(ctx, Access::Member, [&ctx](Req req, Res res, const Principal& who) {
             send_json(res, 200, license_key_pool(ctx, who.org_id, req.matches[1]));
           }));
}

}  // namespace continuata::server
