// continuata-server's connection handling: httplib parses and routes each request, but the
// sockets are ours. httplib 0.11 gives every keep-alive connection a pool thread for its whole
// life and waits on sockets with select(), so ~128 idle or slowly-sending clients stalled every
// route, and a descriptor past FD_SETSIZE got a 500. Here one epoll thread holds every
// connection while it is idle or its request head is still arriving (no thread, a deadline for
// the whole head), checks each complete head strictly (http_request_head.hpp), and only then
// hands the connection to a worker, which runs httplib's process_request on a Stream of ours.
// Downloads and the API have separate workers, so long downloads never queue API requests.
// A request whose body was not read to its end (an early 401/413/415, a chunked body) closes
// its connection after the answer, so leftover body bytes are never parsed as a request.
// Routes are registered through the engine (httplib::Server is a protected base), so each handler
// is labelled with its pattern for the metrics (server_metrics.hpp), and drain() stops gracefully:
// the listener closes at once, idle connections close, requests in flight finish within a grace.
#pragma once
#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "server/server_metrics.hpp"

namespace continuata::server {

struct HttpLimits {
  size_t api_threads = 128;           // requests of the API and static files at once
  size_t download_threads = 128;      // /download streams at once (each holds a thread)
  size_t max_queued = 4096;           // complete requests waiting for a thread; then 503
  size_t max_connections = 20000;     // open connections; more are refused at accept
  size_t max_head_bytes = 32 * 1024;  // request line + header fields; then 431
  int head_timeout_ms = 15000;        // the whole head must arrive within this; then closed
  int idle_timeout_ms = 30000;        // a kept-alive connection with no new request; then closed
  int io_timeout_ms = 30000;          // a body read or response write that makes no progress
  size_t keep_alive_requests = 1000;  // requests on one connection before it is closed
};

// httplib 0.11 answers a Range it cannot parse with 416 before any handler (RFC 9110 says to
// ignore it), parses it with a recursive std::regex, and applies ranges without clamping them.
// So the engine renames the field before httplib reads the head, and the download route reads
// it under this name and decides with http_range.hpp.
constexpr const char* kRangeField = "Continuata-Range";

class HttpEngine : protected httplib::Server {
 public:
  using Handler = httplib::Server::Handler;
  using HandlerWithContentReader = httplib::Server::HandlerWithContentReader;
  using HandlerResponse = httplib::Server::HandlerResponse;

  explicit HttpEngine(HttpLimits limits);
  ~HttpEngine() override;

  // Routes, as httplib's, each labelled with its pattern in the metrics.
  HttpEngine& Get(const std::string& pattern, Handler handler);
  HttpEngine& Post(const std::string& pattern, Handler handler);
  HttpEngine& Post(const std::string& pattern, HandlerWithContentReader handler);
  HttpEngine& Put(const std::string& pattern, Handler handler);
  HttpEngine& Put(const std::string& pattern, HandlerWithContentReader handler);
  HttpEngine& Patch(const std::string& pattern, Handler handler);
  HttpEngine& Patch(const std::string& pattern, HandlerWithContentReader handler);
  HttpEngine& Delete(const std::string& pattern, Handler handler);
  HttpEngine& Delete(const std::string& pattern, HandlerWithContentReader handler);
  HttpEngine& Options(const std::string& pattern, Handler handler);
  // httplib's hooks and limits that the app sets (the post-routing hook is the engine's own).
  using httplib::Server::set_error_handler;
  using httplib::Server::set_exception_handler;
  using httplib::Server::set_keep_alive_max_count;
  using httplib::Server::set_keep_alive_timeout;
  using httplib::Server::set_logger;
  using httplib::Server::set_payload_max_length;
  using httplib::Server::set_pre_routing_handler;

  // Binds host:port (0: a free port) and listens. Returns the port, or -1.
  int bind_and_listen(const std::string& host, int port);
  // Serves until stop() or the end of a drain; returns when every worker has finished.
  void run();
  // Stops at once: what is in flight is cut.
  void stop();
  // Graceful stop, from any thread (not a signal handler): the listener closes now, idle
  // connections close, answers say "Connection: close"; once nothing is in flight, or after
  // grace_ms, run() returns (cutting what is still running).
  void drain(int grace_ms);
  bool draining() const { return draining_; }
  bool running() const { return running_; }
  // Connections whose request was still being served when a stop or the drain's grace cut it.
  size_t cut_count() const { return cut_count_; }

  HttpMetrics& metrics() { return *metrics_; }
  struct PoolLoad {
    size_t queued = 0, busy = 0, threads = 0;  // waiting for a thread, being served, threads
  };
  PoolLoad api_load() const;
  PoolLoad download_load() const;

  // Called for each head refused before routing (status and reason), for the access log.
  std::function<void(const std::string& remote, int status, const std::string& error)> on_refused;

  // Called on the worker thread after each request has been answered, streamed body included
  // (the app gives back the database connection the request borrowed). Must not throw.
  std::function<void()> after_request;

  // On a worker thread, inside a handler or hook: the current request's body has not been
  // read to its end, so the connection will close after the answer.
  static bool request_body_unread();

 private:
  struct Connection;
  struct Pool;
  class ConnectionStream;
  void event_loop();
  void serve(std::unique_ptr<Connection> c);
  void hand_back(std::unique_ptr<Connection> c);
  void accept_all();
  void on_readable(int fd);
  void watch(std::unique_ptr<Connection> c);
  void dispatch(int fd);
  void refuse_and_close(std::unique_ptr<Connection> c, int status, const std::string& error);
  void sweep_deadlines();
  void drain_step();
  void cut_in_service();
  template <class H>
  H labelled(const std::string& pattern, H handler);

  HttpLimits limits_;
  int listen_fd_ = -1, epoll_fd_ = -1, wake_fd_ = -1;
  int64_t accept_paused_until_ = 0;  // event loop only: accepting resumes then (out of descriptors)
  std::atomic<bool> running_{false}, stopping_{false}, draining_{false};
  std::atomic<int64_t> drain_deadline_ms_{0};
  bool drain_started_ = false;         // event loop only: the listener and idle connections are closed
  std::atomic<size_t> in_service_{0};  // connections handed to a pool and not yet handed back
  std::atomic<size_t> cut_count_{0};
  std::unique_ptr<HttpMetrics> metrics_;
  std::unique_ptr<Pool> api_pool_, download_pool_;
  struct State;
  std::unique_ptr<State> state_;  // connections owned by the event loop, returns from workers
};

}  // namespace continuata::server
