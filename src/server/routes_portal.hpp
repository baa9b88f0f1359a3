// The customer portal API (/api/portal/*), its CORS handling for the seller-site widget, and the
// dev outbox (/api/dev/outbox, only with --demo or --dev).
#pragma once
#include <string>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace continuata::server {

class HttpEngine;
struct ServerContext;
void install_portal_routes(HttpEngine& http, ServerContext& ctx);
// The signed-in customer's other addresses (routes_portal_emails.cpp), installed by the above.
void install_portal_email_routes(HttpEngine& http, ServerContext& ctx);

// Adds CORS headers for an allowed Origin on /api/portal/* (called from the pre-routing hook so
// error responses carry them too). Returns true when the request was a preflight it answered.
bool apply_portal_cors(ServerContext& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace continuata::server
