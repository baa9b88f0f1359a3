// Builds the httplib server from the configuration and installs every route group.
#include "server/server_app.hpp"

#include <httplib.h>

#include <chrono>
#include <thread>

#include "server/routes_static.hpp"

namespace continuata::server {

ServerApp::ServerApp(ServerConfig config)
    : config_(std::move(config)), http_(std::make_unique<httplib::Server>()) {
  http_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"ok\":true}", "application/json");
  });
  install_static_routes(*http_, config_.web_dir);
}

ServerApp::~ServerApp() = default;

int ServerApp::bind() {
  int port = config_.port;
  if (port == 0) port = http_->bind_to_any_port(config_.host);
  else if (!http_->bind_to_port(config_.host, port)) port = -1;
  if (port < 0) return -1;
  config_.port = port;
  if (config_.public_url.empty()) config_.public_url = "http://" + config_.host + ":" + std::to_string(port);
  return port;
}

void ServerApp::run() { http_->listen_after_bind(); }
void ServerApp::stop() { http_->stop(); }
void ServerApp::wait_until_ready() const {
  // httplib 0.11 has no wait_until_ready(); is_running() turns true once listening starts.
  while (!http_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace continuata::server
