// Seller API routes: authentication and role checks here, rules in the services.
#include "server/routes_seller.hpp"

#include "server/routes_util.hpp"
#include "server/service_downloads.hpp"
#include "server/service_products.hpp"
#include "server/service_reports.hpp"
#include "server/service_storage.hpp"
#include "server/service_webhook.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {

void install_seller_routes(httplib::Server& http, ServerContext& ctx) {
  http.Get("/api/products", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto who = api_principal(ctx, req);
    nlohmann::json out = nlohmann::json::array();
    for (auto& row : store::list_products(ctx.db->connection(), who.org_id))
      out.push_back({{"product", row.product},
                     {"activeVersion", row.active ? nlohmann::json(*row.active) : nlohmann::json(nullptr)}});
    send_json(res, 200, out);
  });

  http.Post("/api/products", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto who = api_principal(ctx, req);
    require_admin(who);
    nlohmann::json j = create_product(ctx, who.org_id, parse_json_body(req));
    j.erase("activeVersionId");  // the documented create response has no such field yet
    j.erase("updatedAt");
    send_json(res, 201, j);
  });

  http.Put(R"(/api/products/([^/]+))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto who = api_principal(ctx, req);
    require_admin(who);
    send_json(res, 200, update_product(ctx, who.org_id, req.matches[1], parse_json_body(req)));
  });

  http.Post(R"(/api/products/([^/]+)/versions)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto who = api_principal(ctx, req);
    require_admin(who);
    send_json(res, 201, create_version(ctx, who.org_id, req.matches[1], parse_json_body(req)));
  });

  http.Get(R"(/api/products/([^/]+)/versions/([^/]+))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto who = api_principal(ctx, req);
    Version v = require_version(ctx, who.org_id, req.matches[1], req.matches[2]);
    nlohmann::json j = v;
    j["files"] = store::list_files(ctx.db->connection(), v.id);
    send_json(res, 200, j);
  });

  // Upload: the raw body is the file, streamed to disk while hashed; never whole in memory.
  http.Put(kUploadRoutePattern,
           [&ctx](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read) {
             auto who = api_principal(ctx, req);
             require_admin(who);
             std::string path = req.matches[3];
             if (auto err = file_path_error(path); !err.empty()) throw ApiError(400, err);
             Version v = require_version(ctx, who.org_id, req.matches[1], req.matches[2]);
             if (v.status == "ready") throw ApiError(409, "Version " + v.version + " is active: create a new version");
             uint64_t max = ctx.config.max_upload_bytes;
             if (req.has_header("Content-Length") &&
                 std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) > max)
               throw ApiError(413, "The file is larger than the upload limit of " + std::to_string(max) + " bytes");
             UploadWriter writer(ctx, v.id, max);
             bool ok = read([&](const char* data, size_t len) { return writer.write(data, len); });
             if (writer.too_large())
               throw ApiError(413, "The file is larger than the upload limit of " + std::to_string(max) + " bytes");
             if (!ok) throw ApiError(400, "The upload was interrupted");
             FileEntry f = writer.finish(path);
             record_upload(ctx, v.id, f, writer);
             send_json(res, 201, f);
           });

  http.Post(R"(/api/products/([^/]+)/versions/([^/]+)/activate)",
            [&ctx](const httplib::Request& req, httplib::Response& res) {
              auto who = api_principal(ctx, req);
              require_admin(who);
              Version v = activate_version(ctx, who.org_id, req.matches[1], req.matches[2]);
              nlohmann::json j = v;
              j["files"] = store::list_files(ctx.db->connection(), v.id);
              send_json(res, 200, j);
            });

  http.Post("/api/generate-download-url", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto who = api_principal(ctx, req);
    require_admin(who);
    send_json(res, 200, mint_from_request(ctx, who.org_id, parse_json_body(req)));
  });

  http.Get("/api/purchases", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto who = api_principal(ctx, req);
    send_json(res, 200, store::list_purchases(ctx.db->connection(), who.org_id));
  });

  http.Get("/api/reports/downloads", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto who = api_principal(ctx, req);
    require_admin(who);
    auto report = std::make_shared<DownloadsReport>(
        start_downloads_report(who.org_id, req.get_param_value("from"), req.get_param_value("to")));
    res.status = 200;
    res.set_header("Content-Disposition", "attachment; filename=\"downloads.csv\"");
    // Streamed a page of rows at a time (chunked): memory stays flat for any number of rows.
    res.set_chunked_content_provider("text/csv; charset=utf-8", [&ctx, report](size_t, httplib::DataSink& sink) {
      std::string chunk = next_report_chunk(ctx, *report);
      if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
      if (report->done) sink.done();
      return true;
    });
  });

  http.Post(R"(/api/webhooks/([^/]+)/purchase)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    auto result = record_purchase_webhook(ctx, req.matches[1], req.get_header_value("X-Continuata-Timestamp"),
                                          req.get_header_value("X-Continuata-Signature"), req.body);
    send_json(res, 200, result);
  });
}

}  // namespace continuata::server
