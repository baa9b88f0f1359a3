// Builds the httplib server from the configuration: opens the database, installs the cross-cutting
// hooks (JSON errors, access log, body limit) and every route group.
#include "server/server_app.hpp"

#include <httplib.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/core_time.hpp"
#include "server/api_error.hpp"
#include "server/mail_outbox.hpp"
#include "server/mail_smtp.hpp"
#include "server/routes_download.hpp"
#include "server/routes_portal.hpp"
#include "server/service_verification.hpp"
#include "server/routes_seller.hpp"
#include "server/routes_static.hpp"

namespace continuata::server {
namespace {

constexpr size_t kMaxJsonBody = 1 << 20;  // 1 MiB: JSON requests are small; uploads stream

bool is_upload(const httplib::Request& req) {
  return req.method == "PUT" && req.path.find("/files/") != std::string::npos &&
         req.path.rfind("/api/products/", 0) == 0;
}

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

// httplib 0.11 listens with a backlog of 5 (compiled into Debian's library): a burst of new
// connections overflows it and the dropped SYNs are retried a second later. Listening again on
// the same socket raises the backlog; the socket is found by its port.
void raise_listen_backlog(int port) {
  for (int fd = 3; fd < 1024; ++fd) {
    int accepting = 0;
    socklen_t len = sizeof accepting;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) != 0 || !accepting) continue;
    sockaddr_storage addr{};
    socklen_t alen = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) continue;
    int bound = addr.ss_family == AF_INET    ? ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port)
                : addr.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                                             : -1;
    if (bound == port) listen(fd, SOMAXCONN);
  }
}

int64_t system_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void send_error(httplib::Response& res, int status, const std::string& message,
                const nlohmann::json& extra = nlohmann::json::object()) {
  nlohmann::json body = extra.is_object() ? extra : nlohmann::json::object();
  body["error"] = message;
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

}  // namespace

ServerApp::ServerApp(ServerConfig config) : http_(std::make_unique<httplib::Server>()) {
  ctx_.config = std::move(config);
  ctx_.now_ms = system_now_ms;
  ctx_.db = std::make_unique<Database>((std::filesystem::path(ctx_.config.data_dir) / "continuata.db").string());
  ctx_.server_secret = load_or_create_server_secret(ctx_.config.data_dir);
  auto smtp = SmtpConfig::from_environment();
  if (smtp && !ctx_.config.demo && !ctx_.config.dev) {
    ctx_.mailer = std::make_unique<SmtpMailer>(*smtp);
  } else {
    ctx_.mailer = std::make_unique<OutboxMailer>(*ctx_.db, [this] { return ctx_.now_ms(); });
  }

  // httplib's own limit must admit uploads (they stream to disk); every other body is bounded
  // to kMaxJsonBody here, before it is read.
  http_->set_payload_max_length(size_t(ctx_.config.max_upload_bytes));
  // httplib serves each keep-alive connection on one pool thread for its whole life, so the pool
  // must be at least as large as the connections we want to serve at once.
  http_->new_task_queue = [n = ctx_.config.threads] { return new httplib::ThreadPool(n); };
  http_->set_keep_alive_max_count(1000);
  http_->set_tcp_nodelay(true);  // headers and body go out in separate writes: no Nagle delay
  http_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    // The portal's static files (/my/) are compressed at build time: br is chosen there, not here.
    if (req.path.rfind("/my/", 0) != 0) drop_brotli(req);
    if (apply_portal_cors(ctx_, req, res)) return httplib::Server::HandlerResponse::Handled;
    if (is_upload(req)) return httplib::Server::HandlerResponse::Unhandled;
    bool chunked = req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
    size_t length = 0;
    if (req.has_header("Content-Length")) {
      try {
        length = std::stoull(req.get_header_value("Content-Length"));
      } catch (...) {
        length = SIZE_MAX;
      }
    }
    if (chunked || length > kMaxJsonBody) {
      send_error(res, 413, "Request body too large: at most 1 MiB");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    try {
      std::rethrow_exception(ep);
    } catch (const ApiError& e) {
      send_error(res, e.status, e.what(), e.extra);
      for (const auto& [k, v] : e.headers) res.set_header(k, v);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "{\"level\":\"error\",\"error\":%s}\n", nlohmann::json(e.what()).dump().c_str());
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
    nlohmann::json line = {{"time", core::format_iso8601_utc(ctx_.now_ms())},
                           {"method", req.method},
                           {"path", req.path},
                           {"status", res.status},
                           {"remote", req.remote_addr},
                           {"bytes", res.body.size()}};
    // A path with invalid UTF-8 is logged with U+FFFD, not thrown about (dump() would terminate).
    std::fprintf(stdout, "%s\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    std::fflush(stdout);
  });

  http_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"ok\":true}", "application/json");
  });
  install_static_routes(*http_, ctx_.config.web_dir);
  install_seller_routes(*http_, ctx_);
  install_download_routes(*http_, ctx_);
  install_portal_routes(*http_, ctx_);
}

ServerApp::~ServerApp() = default;

int ServerApp::bind() {
  int port = ctx_.config.port;
  if (port == 0) port = http_->bind_to_any_port(ctx_.config.host);
  else if (!http_->bind_to_port(ctx_.config.host, port)) port = -1;
  if (port < 0) return -1;
  raise_listen_backlog(port);
  ctx_.config.port = port;
  if (ctx_.config.public_url.empty())
    ctx_.config.public_url = "http://" + ctx_.config.host + ":" + std::to_string(port);
  return port;
}

void ServerApp::run() { http_->listen_after_bind(); }
void ServerApp::stop() { http_->stop(); }

void ServerApp::wait_until_ready() const {
  // httplib 0.11 has no wait_until_ready(); is_running() turns true once listening starts.
  while (!http_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace continuata::server
