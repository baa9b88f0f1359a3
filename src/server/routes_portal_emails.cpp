// The signed-in customer's other email addresses (service_email_links): list, ask for a code,
// verify it, remove. Every route is under the portal session.
#include "core/core_api_emails.hpp"
#include "server/http_engine.hpp"
#include "server/routes_portal.hpp"
#include "server/routes_util.hpp"
#include "server/service_email_links.hpp"

namespace continuata::server {

void install_portal_email_routes(HttpEngine& http, ServerContext& ctx) {
  using Req = const httplib::Request&;
  using Res = httplib::Response&;
  using Session = const store::PortalSession&;

  http.Get(core::kEmailsPath, customer(ctx, [&ctx](Req, Res res, Session session) {
             send_json(res, 200, linked_emails(ctx, session));
           }));

  http.Post(core::kEmailsPath, customer(ctx, [&ctx](Req req, Res res, Session session) {
              request_email_link(ctx, session, parse_json_body(req), client_ip(ctx, req));
              // Identical for every well-formed address: purchases or not, linked to anyone or not.
              send_json(
                  res, 202,
                  core::VerificationAccepted{"sent", "If this address is yours, a code is on its way."});
            }));

  http.Post(core::kEmailsVerifyPath, customer(ctx, [&ctx](Req req, Res res, Session session) {
              send_json(res, 200, verify_email_link(ctx, session, parse_json_body(req), client_ip(ctx, req)));
            }));

  http.Delete(R"(/api/portal/emails/([^/]+))", customer(ctx, [&ctx](Req req, Res res, Session session) {
                send_json(res, 200, unlink_email(ctx, session, req.matches[1].str()));
              }));
}

}  // namespace continuata::server
