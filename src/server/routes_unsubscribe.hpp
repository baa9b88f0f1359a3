// One-click unsubscribe from update mail (RFC 8058): GET /api/unsubscribe?t= shows a page whose
// button POSTs (a mail scanner fetching the link changes nothing), and POST with the body
// "List-Unsubscribe=One-Click" (what a mail client sends) opts out.
#pragma once

namespace continuata::server {

class HttpEngine;
struct ServerContext;
void install_unsubscribe_routes(HttpEngine& http, ServerContext& ctx);

}  // namespace continuata::server
