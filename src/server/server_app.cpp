// Builds the server from the configuration: opens the database, installs the cross-cutting
// hooks (portal CORS and body rules before routing, one handler turning exceptions into JSON
// errors, JSON for httplib's own errors, the access log) and every route group on the engine.
#include "server/server_app.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "core/core_time.hpp"
#include "server/api_error.hpp"
#include "server/http_engine.hpp"
#include "server/mail_outbox.hpp"
#include "server/mail_smtp.hpp"
#include "server/routes_after_sale.hpp"
#include "server/routes_download.hpp"
#include "server/routes_ops.hpp"
#include "server/routes_portal.hpp"
#include "server/routes_seller.hpp"
#include "server/routes_static.hpp"
#include "server/routes_unsubscribe.hpp"
#include "server/routes_util.hpp"
#include "server/server_secret.hpp"
#include "server/service_crc_backfill.hpp"
#include "server/service_storage.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

constexpr size_t kMaxJsonBody = 1 << 20;  // 1 MiB: JSON requests are small; uploads stream

// Debian's cpp-httplib is built with Brotli and answers "Accept-Encoding: br" at Brotli's quality
// 11: 14 s of CPU for a 10,000-purchase list (3.5 MB), where gzip takes 0.3 s for 2.4x the bytes.
// Browsers always offer br, so we take it off the request before httplib chooses; gzip remains.
void drop_brotli(const httplib::Request& req) {
  // The Request is httplib's per-connection object, not itself const; only this header is
  // edited, before any handler or the compressor reads it.
  auto& headers = const_cast<httplib::Headers&>(req.headers);
  auto range = headers.equal_range("Accept-Encoding");
  for (auto it = range.first; it != range.second; ++it)
    for (size_t at; (at = it->second.find("br")) != std::string::npos;) it->second.replace(at, 2, "identity");
}

int64_t system_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The upload route's pattern, compiled once: only a request that will reach that route may
// send a body larger than kMaxJsonBody (it streams to disk); any other is refused before it is read.
bool is_upload(const httplib::Request& req) {
  static const std::regex pattern(kUploadRoutePattern);
  return req.method == "PUT" && std::regex_match(req.path, pattern);
}

// Body rules applied before routing, so before any body byte is read: bodies arrive as sent
// (no Content-Encoding: a gzip body would inflate past every limit), with a length (chunked only
// for uploads), and JSON bodies are at most kMaxJsonBody. Content-Length itself has been checked
// by the engine (one decimal number).
std::optional<ApiError> body_refusal(const httplib::Request& req) {
  if (req.has_header("Content-Encoding") && req.get_header_value("Content-Encoding") != "identity")
    return ApiError(415, "Request bodies are accepted without Content-Encoding: send them as they are");
  if (is_upload(req)) return std::nullopt;  // the route checks its own limit, after authentication
  if (req.has_header("Transfer-Encoding"))
    return ApiError(411,
                    "Send a Content-Length with the body (chunked bodies are only accepted for uploads)");
  uint64_t length = std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10);
  if (length > kMaxJsonBody) return ApiError(413, "Request body too large: at most 1 MiB");
  return std::nullopt;
}

void log_line(const nlohmann::json& line) {
  std::string text = json_text(line);
  std::fprintf(stdout, "%s\n", text.c_str());
  std::fflush(stdout);
}

}  // namespace

ServerApp::ServerApp(ServerConfig config) {
  ctx_.config = std::move(config);
  HttpLimits limits;
  limits.api_threads = ctx_.config.threads;
  limits.download_threads = ctx_.config.download_threads;
  http_ = std::make_unique<HttpEngine>(limits);
  ctx_.now_ms = system_now_ms;
  Database::PoolLimits pool;
  pool.max_connections = ctx_.config.db_connections;
  ctx_.db = std::make_unique<Database>(database_location(ctx_.config), pool);
  // A request keeps the connection it borrowed until its answer is sent; then it goes back.
  http_->after_request = [this] { ctx_.db->release_connection(); };
  ctx_.server_secret = load_or_create_server_secret(ctx_.config.data_dir);
  auto smtp = SmtpConfig::from_environment();
  if (smtp && !ctx_.config.demo && !ctx_.config.dev) {
    ctx_.mailer = std::make_unique<SmtpMailer>(*smtp, *ctx_.db, [this] { return ctx_.now_ms(); });
  } else {
    ctx_.mailer = std::make_unique<OutboxMailer>(*ctx_.db, [this] { return ctx_.now_ms(); });
  }

  // httplib's own limit must admit uploads (they stream to disk); every other body is bounded
  // to kMaxJsonBody by body_refusal, before it is read.
  http_->set_payload_max_length(size_t(ctx_.config.max_upload_bytes));
  // What the Keep-Alive header promises: the engine's idle timeout and request count.
  http_->set_keep_alive_max_count(limits.keep_alive_requests);
  http_->set_keep_alive_timeout(limits.idle_timeout_ms / 1000);
  http_->on_refused = [this](const std::string& remote, int status, const std::string& error) {
    log_line({{"time", core::format_iso8601_utc(ctx_.now_ms())},
              {"status", status},
              {"remote", remote},
              {"refused", error}});
  };
  http_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    // The portal's static files (/my/) are compressed at build time: br is chosen there, not here.
    if (req.path.rfind("/my/", 0) != 0) drop_brotli(req);
    if (apply_portal_cors(ctx_, req, res)) return httplib::Server::HandlerResponse::Handled;
    if (auto refusal = body_refusal(req)) {
      send_error(res, refusal->status, refusal->body);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // The one place a handler's exception becomes an answer; nothing thrown reaches the engine.
  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    try {
      std::rethrow_exception(ep);
    } catch (const ApiError& e) {
      send_error(res, e.status, e.body);
      for (const auto& [k, v] : e.headers) res.set_header(k, v);
    } catch (const DatabaseBusy&) {
      // Every pooled connection stayed lent out for the pool's wait (a launch-day surge).
      send_error(res, 503, "The server is busy; please try again in a moment");
      res.set_header("Retry-After", "1");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "{\"level\":\"error\",\"error\":%s}\n", json_text(e.what()).c_str());
      send_error(res, 500, "Internal server error");
    } catch (...) {
      send_error(res, 500, "Internal server error");
    }
  });
  // Statuses httplib sets without a body (unknown route, malformed request, body too large)
  // still answer JSON under /api.
  http_->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || req.path.rfind("/api/", 0) != 0) return;
    const char* message = res.status == 404   ? "Not found"
                          : res.status == 413 ? "Request body too large"
                          : res.status == 405 ? "Method not allowed"
                          : res.status == 400 ? "Bad request"
                          : res.status >= 500 ? "Internal server error"
                                              : "Request failed";
    send_error(res, res.status, message);
  });
  http_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    // Paths and other request text are logged with U+FFFD for invalid UTF-8 (json_text).
    log_line({{"time", core::format_iso8601_utc(ctx_.now_ms())},
              {"method", req.method},
              {"path", req.path},
              {"status", res.status},
              {"remote", client_ip(ctx_, req)},
              {"bytes", res.body.empty() ? res.content_length_ : res.body.size()}});
  });

  install_ops_routes(*http_, ctx_);
  install_static_routes(*http_, ctx_.config.web_dir);
  install_seller_routes(*http_, ctx_);
  install_after_sale_routes(*http_, ctx_);
  install_download_routes(*http_, ctx_);
  install_portal_routes(*http_, ctx_);
  install_unsubscribe_routes(*http_, ctx_);
}

ServerApp::~ServerApp() = default;

int ServerApp::bind() {
  // Serving starts here (admin commands build the app but never bind): nothing is uploading yet.
  if (size_t n = sweep_unreferenced_files(ctx_))
    log_line({{"level", "info"}, {"message", "removed partial or unreferenced upload files"}, {"count", n}});
  CrcBackfill crc = backfill_crc32(ctx_);  // files recorded before migration 104
  if (crc.computed || crc.unreadable)
    log_line({{"level", crc.unreadable ? "warning" : "info"},
              {"message", "computed the CRC-32 of older files"},
              {"count", crc.computed},
              {"unreadable", crc.unreadable}});
  ctx_.db->release_connection();  // the start-up work's, back to the pool for the requests
  int port = http_->bind_and_listen(ctx_.config.host, ctx_.config.port);
  if (port < 0) return -1;
  ctx_.config.port = port;
  if (ctx_.config.public_url.empty())
    ctx_.config.public_url = "http://" + ctx_.config.host + ":" + std::to_string(port);
  return port;
}

void ServerApp::run() {
  http_->run();
  if (http_->draining())
    log_line({{"level", "info"},
              {"message", "stopped"},
              {"cut", http_->cut_count()}});  // requests still running at the end of the grace
}
void ServerApp::stop() {
  http_->stop();
}
void ServerApp::drain() {
  if (http_->draining()) return;
  auto api = http_->api_load(), downloads = http_->download_load();
  log_line({{"level", "info"},
            {"message", "draining: no new connections; requests in flight may finish"},
            {"in_flight", api.busy + api.queued + downloads.busy + downloads.queued},
            {"grace_seconds", ctx_.config.shutdown_grace_seconds}});
  http_->drain(ctx_.config.shutdown_grace_seconds * 1000);
}

void ServerApp::wait_until_ready() const {
  while (!http_->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace continuata::server
