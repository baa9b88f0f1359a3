// The whole server as one object: configuration in, database opened and migrated, routes
// installed, bind/run/stop. main() and the HTTP tests both build it, so tests exercise what ships.
#pragma once
#include <memory>

#include "server/server_config.hpp"
#include "server/server_context.hpp"

namespace continuata::server {

class HttpEngine;

class ServerApp {
 public:
  explicit ServerApp(ServerConfig config);
  ~ServerApp();
  ServerApp(const ServerApp&) = delete;
  ServerApp& operator=(const ServerApp&) = delete;

  // Binds config.port (0: a free port). Returns the bound port, or -1.
  int bind();
  // Serves until stop() or the end of drain(); call after bind().
  void run();
  // Stops at once, cutting what is in flight.
  void stop();
  // Graceful stop (SIGTERM): no new connections, /readyz answers 503, requests in flight get
  // config().shutdown_grace_seconds to finish, then run() returns. Any thread but a signal handler.
  void drain();
  // Blocks until the server accepts connections (for tests running it on a thread).
  void wait_until_ready() const;

  const ServerConfig& config() const { return ctx_.config; }
  ServerContext& context() { return ctx_; }

 private:
  ServerContext ctx_;
  std::unique_ptr<HttpEngine> http_;
};

}  // namespace continuata::server
