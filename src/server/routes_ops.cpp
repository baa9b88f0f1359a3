// The operations routes (see routes_ops.hpp). /metrics is refused to anything but a loopback peer
// that did not come through a proxy, unless a token is configured: a reverse proxy on the same host
// connects from loopback, so it must not forward /metrics (README, Operating it), and a request
// carrying forwarding headers is refused as a second guard.
#include "server/routes_ops.hpp"

#include <httplib.h>

#include "server/crypto_util.hpp"
#include "server/http_engine.hpp"
#include "server/routes_util.hpp"
#include "server/server_context.hpp"
#include "server/server_metrics.hpp"
#include "server/store_health.hpp"
#include "server/store_portal.hpp"

namespace continuata::server {
namespace {

bool is_loopback_peer(const std::string& ip) {
  return ip == "::1" || ip.rfind("127.", 0) == 0;
}

// Whether this request may read /metrics; answers the refusal itself when not.
bool metrics_allowed(const ServerContext& ctx, const httplib::Request& req, httplib::Response& res) {
  const std::string& token = ctx.config.metrics_token;
  if (!token.empty()) {
    const std::string auth = req.get_header_value("Authorization");
    const std::string prefix = "Bearer ";
    if (auth.rfind(prefix, 0) == 0 &&
        constant_time_equal(std::string_view(auth).substr(prefix.size()), token))
      return true;
    res.set_header("WWW-Authenticate", "Bearer");
    send_error(res, 401, "GET /metrics needs \"Authorization: Bearer\" with the metrics token");
    return false;
  }
  bool proxied =
      req.has_header("Forwarded") || req.has_header("X-Forwarded-For") || req.has_header("X-Real-IP");
  if (is_loopback_peer(req.remote_addr) && !proxied) return true;
  send_error(res, 403,
             "GET /metrics answers loopback peers only (not through a proxy) unless the server has "
             "a --metrics-token");
  return false;
}

std::string render_metrics(HttpEngine& http, ServerContext& ctx) {
  std::string out = http.metrics().render();
  auto api = http.api_load(), downloads = http.download_load();
  auto per_pool = [&](size_t HttpEngine::PoolLoad::*field) {
    return std::vector<std::pair<std::string, double>>{{"pool=\"api\"", double(api.*field)},
                                                       {"pool=\"download\"", double(downloads.*field)}};
  };
  append_gauge(out,
               {"continuata_http_requests_queued", "Complete requests waiting for a worker thread, by pool.",
                per_pool(&HttpEngine::PoolLoad::queued)});
  append_gauge(out, {"continuata_http_requests_in_progress", "Requests a worker thread is serving, by pool.",
                     per_pool(&HttpEngine::PoolLoad::busy)});
  append_gauge(
      out, {"continuata_http_threads", "Worker threads, by pool.", per_pool(&HttpEngine::PoolLoad::threads)});
  append_gauge(out, {"continuata_download_streams_active",
                     "/download answers being sent now (the download pool's busy threads).",
                     {{"", double(downloads.busy)}}});
  bool db_up = true;
  int64_t pending = 0;
  try {
    pending = store::pending_mail_count(ctx.db->connection());
  } catch (const std::exception&) {
    db_up = false;
  }
  if (db_up)
    append_gauge(out, {"continuata_mail_queue_pending",
                       "Messages in the mail queue neither sent nor given up.",
                       {{"", double(pending)}}});
  append_gauge(out, {"continuata_database_up",
                     "1 when the database answered this scrape's query, else 0.",
                     {{"", db_up ? 1.0 : 0.0}}});
  append_gauge(out, {"continuata_draining",
                     "1 once SIGTERM or SIGINT started the graceful stop, else 0.",
                     {{"", http.draining() ? 1.0 : 0.0}}});
  return out;
}

}  // namespace

void install_ops_routes(HttpEngine& http, ServerContext& ctx) {
  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content("{\"ok\":true}", "application/json");
  });
  http.Get("/readyz", [&http, &ctx](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    if (http.draining()) return send_error(res, 503, "The server is shutting down");
    try {
      store::ping(ctx.db->connection());
    } catch (const std::exception&) {
      return send_error(res, 503, "The database does not answer");
    }
    res.set_content("{\"status\":\"ready\"}", "application/json");
  });
  http.Get("/metrics", [&http, &ctx](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    if (!metrics_allowed(ctx, req, res)) return;
    res.set_content(render_metrics(http, ctx), kMetricsContentType);
  });
}

}  // namespace continuata::server
