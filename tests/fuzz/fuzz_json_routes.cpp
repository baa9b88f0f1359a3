// Fuzz target: the JSON request bodies (and path parameters) of every route that takes one,
// through the real services on a real ServerContext. The body is parsed by the routes' own
// parse_json_body; each successful answer is serialised as send_json would.
//
// Input: byte 0 picks the route; routes with path parameters take them from the next lines
// (one line each, up to '\n'); the rest is the body. For the portal routes, odd byte0 / 9 asks
// from a seller's widget scoped to fuzz-org instead of the server's own portal.
//   0 POST /api/products                     4 POST /api/portal/verification
//   1 PUT  /api/products/{id}                5 POST /api/portal/session
//     (and the same body as PATCH /api/org/profile: both merge a subset of fields)
//   2 POST /api/products/{id}/versions       6 POST /api/portal/download-url
//   3 POST /api/generate-download-url        7 GET  /api/products/{id}/versions/{v}
//                                            8 POST /api/products/{id}/versions/{v}/activate
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_world.hpp"
#include "server/routes_util.hpp"
#include "server/service_downloads.hpp"
#include "server/service_org_profile.hpp"
#include "server/service_portal.hpp"
#include "server/service_portal_sessions.hpp"
#include "server/service_products.hpp"
#include "server/service_verification_codes.hpp"

using namespace continuata;
using continuata::fuzz::answer;
using continuata::fuzz::must_serialise;
using nlohmann::json;

namespace {

std::string param(std::string_view& in, const char* fallback) {
  std::string_view line = fuzz::take_line(in);
  return line.empty() ? std::string(fallback) : std::string(line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  fuzz::World& w = fuzz::world();
  server::ServerContext& ctx = w.ctx();
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  const unsigned route = data[0] % 9;
  std::string id, version;
  if (route == 1 || route == 2 || route == 7 || route == 8) id = param(in, fuzz::kProduct);
  if (route == 7 || route == 8) version = param(in, "1.0.0");
  httplib::Request req;
  req.body = std::string(in);
  req.remote_addr = "203.0.113.7";
  // Portal routes: the server's own portal (any org), or a seller's widget allowed for fuzz-org.
  server::PortalScope scope;
  if ((data[0] / 9) % 2) scope = server::PortalScope{false, {fuzz::kOrg}};
  json body;
  if (route < 7 && !answer("parse_json_body", [&] { body = server::parse_json_body(req); })) return 0;

  switch (route) {
    case 0:
      answer("create_product", [&] {
        must_serialise("create_product",
                       server::CreatedProduct{server::create_product(ctx, fuzz::kOrg, body)});
      });
      break;
    case 1:
      answer("update_product",
             [&] { must_serialise("update_product", server::update_product(ctx, fuzz::kOrg, id, body)); });
      answer("change_org_profile", [&] {
        must_serialise("change_org_profile",
                       server::change_org_profile(ctx, fuzz::kOrg, server::read_org_profile_change(body)));
      });
      answer("portal_profile", [&] {
        auto p = server::portal_profile(ctx, scope, std::string(fuzz::kOrg));
        if (!p || p->name.empty()) fuzz::finding("portal_profile: the org lost its name");
        must_serialise("portal_profile", *p);
      });
      break;
    case 2:
      answer("create_version",
             [&] { must_serialise("create_version", server::create_version(ctx, fuzz::kOrg, id, body)); });
      break;
    case 3:
      answer("generate_download_url", [&] {
        must_serialise("generate_download_url", server::mint_from_request(ctx, fuzz::kOrg, body));
      });
      break;
    case 4:
      w.now_ms += 60000;  // a minute between requests: rate limits are reached, but not for ever
      answer("request_verification",
             [&] { server::request_verification(ctx, body, req.remote_addr, scope); });
      break;
    case 5:
      w.now_ms += 60000;
      answer("open_session", [&] {
        must_serialise("open_session", server::open_session(ctx, body, req.remote_addr, scope));
      });
      break;
    case 6: {
      server::store::PortalSession session{1, fuzz::kEmail, std::nullopt, w.now_ms + 3600000};
      answer("portal_download_link", [&] {
        must_serialise("portal_download_link", server::portal_download_link(ctx, session, body));
      });
      answer("portal_purchases", [&] {
        must_serialise("portal_purchases", server::portal_purchases(ctx, session, std::nullopt));
      });
      break;
    }
    case 7:
      answer("get_manifest",
             [&] { must_serialise("get_manifest", server::get_manifest(ctx, fuzz::kOrg, id, version)); });
      break;
    case 8:
      answer("activate_version", [&] {
        must_serialise("activate_version", server::activate_version(ctx, fuzz::kOrg, id, version));
      });
      break;
  }
  return 0;
}
