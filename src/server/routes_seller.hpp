// The seller API of the reference documents: products, versions and their files, minting
// download URLs, purchases, the downloads report and the inbound purchase webhook.
#pragma once

namespace httplib { class Server; }

namespace continuata::server {

struct ServerContext;
void install_seller_routes(httplib::Server& http, ServerContext& ctx);

}  // namespace continuata::server
