// Seller API routes: each parses its request, is authenticated by seller() (with the role it
// needs), calls one service and answers; the rules live in the services.
#include "server/routes_seller.hpp"

#include <cstdlib>
#include <memory>

#include "server/http_engine.hpp"
#include "server/routes_util.hpp"
#include "server/service_downloads.hpp"
#include "server/service_org_profile.hpp"
#include "server/service_products.hpp"
#include "server/service_purchases.hpp"
#include "server/service_release_notes.hpp"
#include "server/service_reports.hpp"
#include "server/service_uploads.hpp"
#include "server/service_webhook.hpp"

namespace continuata::server {

void install_seller_routes(HttpEngine& http, ServerContext& ctx) {
  using Req = const httplib::Request&;
  using Res = httplib::Response&;

  http.Get("/api/products", seller(ctx, Access::Member, [&ctx](Req, Res res, const Principal& who) {
             send_json(res, 200, list_products(ctx, who.org_id));
           }));

  http.Post("/api/products", seller(ctx, Access::Admin, [&ctx](Req req, Res res, const Principal& who) {
              send_json(res, 201, CreatedProduct{create_product(ctx, who.org_id, parse_json_body(req))});
            }));

  http.Put(R"(/api/products/([^/]+))",
           seller(ctx, Access::Admin, [&ctx](Req req, Res res, const Principal& who) {
             send_json(res, 200, update_product(ctx, who.org_id, req.matches[1], parse_json_body(req)));
           }));

  http.Post(R"(/api/products/([^/]+)/versions)",
            seller(ctx, Access::Admin, [&ctx](Req req, Res res, const Principal& who) {
              send_json(res, 201, create_version(ctx, who.org_id, req.matches[1], parse_json_body(req)));
            }));

  // Release notes are the one thing a version lets change (service_release_notes).
  http.Put(R"(/api/products/([^/]+)/versions/([^/]+))",
           seller(ctx, Access::Admin, [&ctx](Req req, Res res, const Principal& who) {
             send_json(res, 200,
                       update_version(ctx, who.org_id, req.matches[1], req.matches[2], parse_json_body(req)));
           }));

  http.Get(R"(/api/products/([^/]+)/versions/([^/]+))",
           seller(ctx, Access::Member, [&ctx](Req req, Res res, const Principal& who) {
             send_json(res, 200, get_manifest(ctx, who.org_id, req.matches[1], req.matches[2]));
           }));

  // Upload: the raw body is the file, streamed to disk while hashed; never whole in memory.
  http.Put(kUploadRoutePattern,
           seller_streaming(
               ctx, Access::Admin,
               [&ctx](Req req, Res res, const httplib::ContentReader& read, const Principal& who) {
                 std::optional<uint64_t> declared;
                 if (req.has_header("Content-Length"))
                   declared = std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10);
                 FileEntry f = upload_file(ctx, who.org_id, req.matches[1], req.matches[2], req.matches[3],
                                           declared, [&read](const BodySink& sink) { return read(sink); });
                 send_json(res, 201, f);
               }));

  http.Post(R"(/api/products/([^/]+)/versions/([^/]+)/activate)",
            seller(ctx, Access::Admin, [&ctx](Req req, Res res, const Principal& who) {
              send_json(res, 200, activate_version(ctx, who.org_id, req.matches[1], req.matches[2]));
            }));

  http.Post("/api/generate-download-url",
            seller(ctx, Access::Admin, [&ctx](Req req, Res res, const Principal& who) {
              send_json(res, 200, mint_from_request(ctx, who.org_id, parse_json_body(req)));
            }));

  // The seller's display name and help contact, which the portal shows its buyers.
  http.Get("/api/org/profile", seller(ctx, Access::Member, [&ctx](Req, Res res, const Principal& who) {
             send_json(res, 200, org_profile(ctx, who.org_id));
           }));

  http.Patch("/api/org/profile", seller(ctx, Access::Admin, [&ctx](Req req, Res res, const Principal& who) {
               send_json(res, 200,
                         change_org_profile(ctx, who.org_id, read_org_profile_change(parse_json_body(req))));
             }));

  http.Get("/api/purchases", seller(ctx, Access::Member, [&ctx](Req req, Res res, const Principal& who) {
             std::optional<std::string> email;
             if (req.has_param("email")) email = req.get_param_value("email");
             send_json(res, 200, list_purchases(ctx, who.org_id, email));
           }));

  http.Get("/api/reports/downloads",
           seller(ctx, Access::Admin, [&ctx](Req req, Res res, const Principal& who) {
             auto report = std::make_shared<DownloadsReport>(
                 start_downloads_report(who.org_id, req.get_param_value("from"), req.get_param_value("to")));
             res.status = 200;
             res.set_header("Content-Disposition", "attachment; filename=\"downloads.csv\"");
             // Streamed a page of rows at a time (chunked): memory stays flat for any number of rows.
             res.set_chunked_content_provider("text/csv; charset=utf-8",
                                              [&ctx, report](size_t, httplib::DataSink& sink) {
                                                std::string chunk = next_report_chunk(ctx, *report);
                                                if (!chunk.empty() && !sink.write(chunk.data(), chunk.size()))
                                                  return false;
                                                if (report->done) sink.done();
                                                return true;
                                              });
           }));

  // Signed with the org's webhook secret, not an API key: the service checks the signature.
  http.Post(R"(/api/webhooks/([^/]+)/purchase)", [&ctx](Req req, Res res) {
    send_json(res, 200,
              record_purchase_webhook(ctx, req.matches[1], req.get_header_value("X-Continuata-Timestamp"),
                                      req.get_header_value("X-Continuata-Signature"), req.body));
  });
}

}  // namespace continuata::server
