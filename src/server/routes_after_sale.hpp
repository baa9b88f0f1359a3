// Seller API routes of what happens after the sale: the signed refund webhook, revoking and
// reinstating a purchase (admin), its refund log, and a product's licence-key pool.
#pragma once

namespace continuata::server {

class HttpEngine;
struct ServerContext;
void install_after_sale_routes(HttpEngine& http, ServerContext& ctx);

}  // namespace continuata::server
