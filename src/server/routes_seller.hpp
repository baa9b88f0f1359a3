// The seller API of the reference documents: products, versions and their files, minting
// download URLs, purchases, the downloads report and the inbound purchase webhook.
#pragma once

namespace continuata::server {

class HttpEngine;
struct ServerContext;
// PUT PATTERN uploads one file of a version; ServerApp admits large bodies only to this route.
constexpr const char* kUploadRoutePattern = R"(/api/products/([^/]+)/versions/([^/]+)/files/(.+))";
void install_seller_routes(HttpEngine& http, ServerContext& ctx);

}  // namespace continuata::server
