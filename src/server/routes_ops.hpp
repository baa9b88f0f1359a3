// What operators and load balancers ask: GET /healthz (liveness: the process answers), GET /readyz
// (readiness: the database answers and the server is not draining) and GET /metrics (Prometheus
// text; loopback peers only, or a bearer token when --metrics-token is set).
#pragma once

namespace continuata::server {

class HttpEngine;
struct ServerContext;
void install_ops_routes(HttpEngine& http, ServerContext& ctx);

}  // namespace continuata::server
