// The epoll front of continuata-server: accepting, idle and half-sent connections, strict head
// checks, worker pools, lingering close, the request metrics and the graceful drain. See
// http_engine.hpp for why it exists.
#include "server/http_engine.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/core_api.hpp"
#include "server/http_request_head.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

int64_t monotonic_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

const char* reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 431:
      return "Request Header Fields Too Large";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Error";
  }
}

// The whole answer to a request refused before routing: a JSON error, then the connection closes.
std::string refusal_answer(int status, const std::string& error) {
  core::ErrorBody shape;  // the API's error shape
  shape.error = error;
  std::string body = json_text(shape);
  return "HTTP/1.1 " + std::to_string(status) + " " + reason(status) +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n" + (status == 503 ? "Retry-After: 1\r\n" : "") + "\r\n" + body;
}

std::string address_of(const sockaddr_storage& a, int& port) {
  char host[INET6_ADDRSTRLEN] = "";
  char serv[16] = "";
  getnameinfo(reinterpret_cast<const sockaddr*>(&a), sizeof a, host, sizeof host, serv, sizeof serv,
              NI_NUMERICHOST | NI_NUMERICSERV);
  port = std::atoi(serv);
  std::string h = host;
  if (h.rfind("::ffff:", 0) == 0 && h.find('.') != std::string::npos) h = h.substr(7);  // v4-mapped
  return h;
}

// One poll() on one descriptor: true when ready within timeout_ms.
bool wait_for(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    int r = ::poll(&p, 1, timeout_ms);
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}

// The first line's target, for choosing a pool before the head is checked.
std::string_view target_of(const std::string& buf) {
  size_t sp1 = buf.find(' ');
  if (sp1 == std::string::npos) return {};
  size_t sp2 = buf.find(' ', sp1 + 1);
  if (sp2 == std::string::npos) return {};
  return std::string_view(buf).substr(sp1 + 1, sp2 - sp1 - 1);
}

// The first line's method, for the metrics of a head refused before it was checked.
std::string_view method_of(const std::string& buf) {
  return std::string_view(buf).substr(0, std::min(buf.find(' '), buf.size()));
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void strip_leading_blank_lines(std::string& buf) {
  // RFC 9112 §2.2: a server should ignore empty lines received before a request line.
  size_t n = 0;
  while (n + 1 < buf.size() && buf[n] == '\r' && buf[n + 1] == '\n') n += 2;
  if (n) buf.erase(0, n);
}

}  // namespace

struct HttpEngine::Connection {
  int fd = -1;
  std::string remote_ip, local_ip;
  int remote_port = 0, local_port = 0;
  std::string buf;            // received, not yet consumed
  int64_t deadline = 0;       // monotonic ms: idle, head or linger deadline
  bool head_started = false;  // first byte of the current head has arrived
  bool lingering = false;     // answered and half-closed; input is discarded until EOF
  bool closing = false;       // set by a worker: close (lingering) instead of keeping alive
  size_t requests = 0;
  std::chrono::steady_clock::time_point ready_at;  // its head was complete (latency starts here)
  ~Connection() {
    if (fd >= 0) ::close(fd);
  }
};

// Workers and their bounded queue.
struct HttpEngine::Pool {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::unique_ptr<Connection>> queue;
  std::vector<std::thread> threads;
  size_t max_queued = 0;
  bool stopping = false;
  std::atomic<size_t> busy{0};  // workers serving a connection

  bool submit(std::unique_ptr<Connection>& c) {
    std::lock_guard<std::mutex> lock(mu);
    if (queue.size() >= max_queued || stopping) return false;
    queue.push_back(std::move(c));
    cv.notify_one();
    return true;
  }
  std::unique_ptr<Connection> take() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return stopping || !queue.empty(); });
    if (stopping) return nullptr;  // what is still queued is dropped (closed) by stop_and_join
    auto c = std::move(queue.front());
    queue.pop_front();
    return c;
  }
  void stop_and_join() {
    {
      std::lock_guard<std::mutex> lock(mu);
      stopping = true;
    }
    cv.notify_all();
    for (auto& t : threads) t.join();
    threads.clear();
    queue.clear();
  }
};

struct HttpEngine::State {
  std::unordered_map<int, std::unique_ptr<Connection>> connections;  // event loop thread only
  std::mutex returns_mu;
  std::vector<std::unique_ptr<Connection>> returns;  // from workers, picked up by the loop
  // Descriptors workers are serving, so a stop can shut them down (a worker waiting on a slow
  // client would otherwise hold on for the whole I/O timeout); cut: no new ones are served.
  std::mutex serving_mu;
  std::unordered_set<int> serving;
  bool cut = false;
};

namespace {

// What the handler hooks learn about the request being served on this thread.
struct RequestProgress {
  const RequestHead* head = nullptr;
  uint64_t head_bytes = 0;
  uint64_t consumed = 0;  // bytes httplib read of this request, head included
  HttpMetrics* metrics = nullptr;
  int route = HttpMetrics::kOther;  // set by the route's handler (HttpEngine::labelled)
  int method = 0;                   // HttpMetrics::method_slot
  int status = 0;                   // the answer's, once httplib is about to write it
  bool body_unread() const {
    if (!head) return false;
    if (head->chunked) return true;  // its end is only known to httplib's decoder: close after
    return consumed < head_bytes + head->content_length.value_or(0);
  }
};
thread_local RequestProgress* t_request = nullptr;

}  // namespace

bool HttpEngine::request_body_unread() {
  return t_request && t_request->body_unread();
}

// httplib reads and writes through this: first the bytes the event loop already received, then
// the socket, with poll() timeouts (never select(), so any descriptor number works).
class HttpEngine::ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(Connection& c, RequestProgress& progress, int timeout_ms)
      : c_(c), progress_(progress), timeout_ms_(timeout_ms) {}
  size_t buffered_consumed() const { return pos_; }

  bool is_readable() const override { return pos_ < c_.buf.size() || wait_for(c_.fd, POLLIN, timeout_ms_); }
  bool is_writable() const override { return wait_for(c_.fd, POLLOUT, timeout_ms_); }
  ssize_t read(char* ptr, size_t size) override {
    if (size == 0) return 0;
    if (pos_ < c_.buf.size()) {
      size_t n = std::min(size, c_.buf.size() - pos_);
      std::memcpy(ptr, c_.buf.data() + pos_, n);
      pos_ += n;
      progress_.consumed += n;
      return ssize_t(n);
    }
    for (;;) {
      ssize_t n = ::recv(c_.fd, ptr, size, 0);
      if (n > 0) progress_.consumed += uint64_t(n);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_for(c_.fd, POLLIN, timeout_ms_)) continue;
      return -1;
    }
  }
  ssize_t write(const char* ptr, size_t size) override {
    for (;;) {
      ssize_t n = ::send(c_.fd, ptr, size, MSG_NOSIGNAL);
      if (n > 0 && progress_.metrics)
        progress_.metrics->add_bytes(progress_.route, progress_.method, uint64_t(n));
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if ((errno == EAGAIN || errno == EWOULDBLOCK) && wait_for(c_.fd, POLLOUT, timeout_ms_)) continue;
      return -1;
    }
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.remote_ip;
    port = c_.remote_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.local_ip;
    port = c_.local_port;
  }
  // httplib 0.11 answers 500 to a descriptor at or past FD_SETSIZE because its own streams
  // select() on it; it uses the number for nothing else, and this stream only poll()s.
  socket_t socket() const override { return c_.fd < FD_SETSIZE ? c_.fd : 0; }

 private:
  Connection& c_;
  RequestProgress& progress_;
  int timeout_ms_;
  size_t pos_ = 0;
};

HttpEngine::HttpEngine(HttpLimits limits)
    : limits_(limits),
      metrics_(std::make_unique<HttpMetrics>()),
      api_pool_(std::make_unique<Pool>()),
      download_pool_(std::make_unique<Pool>()),
      state_(std::make_unique<State>()) {
  // Thousands of connections need thousands of descriptors: take the hard limit.
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    if (rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      setrlimit(RLIMIT_NOFILE, &rl);
      getrlimit(RLIMIT_NOFILE, &rl);
    }
    // Keep descriptors for files, the database and the listener beside the connections.
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > 256)
      limits_.max_connections = std::min<size_t>(limits_.max_connections, size_t(rl.rlim_cur) - 256);
  }
  // Add "Connection: close" to any answer given before its request's body was read whole, and
  // note the status for the metrics (this runs just before httplib writes the status line).
  set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    if (request_body_unread() && !res.has_header("Connection")) res.set_header("Connection", "close");
    if (t_request) t_request->status = res.status;
  });
}

// Each route's handler first tells the request's progress which route it is.
template <class H>
H HttpEngine::labelled(const std::string& pattern, H handler) {
  int route = metrics_->route(pattern);
  return [route, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res,
                                               auto&&... rest) {
    if (t_request) t_request->route = route;
    handler(req, res, rest...);
  };
}

HttpEngine& HttpEngine::Get(const std::string& pattern, Handler handler) {
  httplib::Server::Get(pattern, labelled(pattern, std::move(handler)));
  return *this;
}
HttpEngine& HttpEngine::Post(const std::string& pattern, Handler handler) {
  httplib::Server::Post(pattern, labelled(pattern, std::move(handler)));
  return *this;
}
HttpEngine& HttpEngine::Post(const std::string& pattern, HandlerWithContentReader handler) {
  httplib::Server::Post(pattern, labelled(pattern, std::move(handler)));
  return *this;
}
HttpEngine& HttpEngine::Put(const std::string& pattern, Handler handler) {
  httplib::Server::Put(pattern, labelled(pattern, std::move(handler)));
  return *this;
}
HttpEngine& HttpEngine::Put(const std::string& pattern, HandlerWithContentReader handler) {
  httplib::Server::Put(pattern, labelled(pattern, std::move(handler)));
  return *this;
}
HttpEngine& HttpEngine::Patch(const std::string& pattern, Handler handler) {
  httplib::Server::Patch(pattern, labelled(pattern, std::move(handler)));
  return *this;
}
HttpEngine& HttpEngine::Patch(const std::string& pattern, HandlerWithContentReader handler) {
  httplib::Server::Patch(pattern, labelled(pattern, std::move(handler)));
  return *this;
}
HttpEngine& HttpEngine::Delete(const std::string& pattern, Handler handler) {
  httplib::Server::Delete(pattern, labelled(pattern, std::move(handler)));
  return *this;
}
HttpEngine& HttpEngine::Delete(const std::string& pattern, HandlerWithContentReader handler) {
  httplib::Server::Delete(pattern, labelled(pattern, std::move(handler)));
  return *this;
}
HttpEngine& HttpEngine::Options(const std::string& pattern, Handler handler) {
  httplib::Server::Options(pattern, labelled(pattern, std::move(handler)));
  return *this;
}

HttpEngine::PoolLoad HttpEngine::api_load() const {
  std::lock_guard<std::mutex> lock(api_pool_->mu);
  return {api_pool_->queue.size(), api_pool_->busy.load(), api_pool_->threads.size()};
}
HttpEngine::PoolLoad HttpEngine::download_load() const {
  std::lock_guard<std::mutex> lock(download_pool_->mu);
  return {download_pool_->queue.size(), download_pool_->busy.load(), download_pool_->threads.size()};
}

HttpEngine::~HttpEngine() {
  stop();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

int HttpEngine::bind_and_listen(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.empty() ? nullptr : host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0)
    return -1;
  int fd = -1;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) return -1;
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  int bound_port = 0;
  address_of(bound, bound_port);
  listen_fd_ = fd;
  svr_sock_ = fd;  // httplib's content providers stop early once this is INVALID_SOCKET (stop())
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = listen_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
  ev.data.fd = wake_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  return bound_port;
}

void HttpEngine::run() {
  if (listen_fd_ < 0) return;
  auto start = [this](Pool& pool, size_t n) {
    pool.max_queued = limits_.max_queued;
    for (size_t i = 0; i < n; ++i)
      pool.threads.emplace_back([this, &pool] {
        while (auto c = pool.take()) {
          ++pool.busy;
          serve(std::move(c));
          --pool.busy;
        }
      });
  };
  {
    // The pools' thread lists are read by api_load() and download_load() under the pool's lock.
    std::scoped_lock lock(api_pool_->mu, download_pool_->mu);
    start(*api_pool_, limits_.api_threads);
    start(*download_pool_, limits_.download_threads);
  }
  running_ = true;
  event_loop();
  // Stopping: no new requests; what workers still serve is cut (streams also end early through
  // svr_sock_), and requests still queued are dropped.
  svr_sock_ = INVALID_SOCKET;
  cut_in_service();
  api_pool_->stop_and_join();
  download_pool_->stop_and_join();
  state_->connections.clear();
  std::lock_guard<std::mutex> lock(state_->returns_mu);
  state_->returns.clear();
  running_ = false;
}

void HttpEngine::stop() {
  if (stopping_.exchange(true)) return;
  svr_sock_ = INVALID_SOCKET;
  if (wake_fd_ >= 0) {
    uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
  }
}

void HttpEngine::drain(int grace_ms) {
  if (draining_) return;
  drain_deadline_ms_ = monotonic_ms() + std::max(0, grace_ms);
  draining_ = true;
  if (wake_fd_ >= 0) {
    uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
  }
}

// On the event loop while draining: close the listener (new connections are refused by the
// kernel) and every connection with no request under way; end the loop once nothing is in
// flight (no connection here or with a worker) or at the deadline.
void HttpEngine::drain_step() {
  if (!drain_started_) {
    drain_started_ = true;
    if (listen_fd_ >= 0) {
      epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
      ::close(listen_fd_);
      listen_fd_ = -1;
    }
  }
  for (auto it = state_->connections.begin(); it != state_->connections.end();) {
    if (!it->second->head_started && !it->second->lingering)
      it = state_->connections.erase(it);  // idle: closes
    else
      ++it;
  }
  bool returns_pending;
  {
    std::lock_guard<std::mutex> lock(state_->returns_mu);
    returns_pending = !state_->returns.empty();
  }
  if ((state_->connections.empty() && !returns_pending && in_service_ == 0) ||
      monotonic_ms() >= drain_deadline_ms_)
    stopping_ = true;
}

void HttpEngine::cut_in_service() {
  std::lock_guard<std::mutex> lock(state_->serving_mu);
  state_->cut = true;
  for (int fd : state_->serving) ::shutdown(fd, SHUT_RDWR);  // its worker's next read or write fails
  cut_count_ += state_->serving.size();
}

void HttpEngine::event_loop() {
  std::vector<epoll_event> events(256);
  int64_t next_sweep = monotonic_ms() + 250;
  while (!stopping_) {
    if (draining_) {
      drain_step();
      if (stopping_) break;
    }
    int n = epoll_wait(epoll_fd_, events.data(), int(events.size()), 250);
    for (int i = 0; i < n && !stopping_; ++i) {
      int fd = events[size_t(i)].data.fd;
      if (fd == listen_fd_) {
        accept_all();
      } else if (fd == wake_fd_) {
        uint64_t count;
        while (::read(wake_fd_, &count, sizeof count) > 0) {
        }
        std::vector<std::unique_ptr<Connection>> back;
        {
          std::lock_guard<std::mutex> lock(state_->returns_mu);
          back.swap(state_->returns);
        }
        for (auto& c : back) watch(std::move(c));
      } else {
        on_readable(fd);
      }
    }
    if (int64_t now = monotonic_ms(); now >= next_sweep) {
      sweep_deadlines();
      next_sweep = now + 250;
      if (accept_paused_until_ && now >= accept_paused_until_ && listen_fd_ >= 0) {
        accept_paused_until_ = 0;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = listen_fd_;
        epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
      }
    }
  }
}

void HttpEngine::accept_all() {
  for (;;) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE) {
        // Out of descriptors: the listener stays readable, so stop watching it for a moment
        // (the backlog holds new clients) instead of spinning on accept.
        epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
        accept_paused_until_ = monotonic_ms() + 100;
      }
      return;
    }
    if (state_->connections.size() >= limits_.max_connections) {
      ::close(fd);
      continue;
    }
    int yes = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);  // headers and body: no Nagle delay
    auto c = std::make_unique<Connection>();
    c->fd = fd;
    c->remote_ip = address_of(peer, c->remote_port);
    sockaddr_storage local{};
    len = sizeof local;
    getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
    c->local_ip = address_of(local, c->local_port);
    watch(std::move(c));
  }
}

// Takes a connection (new, or back from a worker) into the event loop.
void HttpEngine::watch(std::unique_ptr<Connection> c) {
  int64_t now = monotonic_ms();
  if (c->closing) {
    // Half-close and read what the client still sends until it closes (or 2 s): closing with
    // unread input would reset the connection and could destroy the answer before it is read.
    ::shutdown(c->fd, SHUT_WR);
    c->lingering = true;
    c->buf.clear();
    c->deadline = now + 2000;
  } else {
    c->head_started = !c->buf.empty();
    c->deadline = now + (c->head_started ? limits_.head_timeout_ms : limits_.idle_timeout_ms);
  }
  int fd = c->fd;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.fd = fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) return;  // c closes its descriptor
  state_->connections[fd] = std::move(c);
  // A worker may hand back a connection whose next request is already buffered (pipelining).
  if (!state_->connections[fd]->lingering && find_head_end(state_->connections[fd]->buf) != std::string::npos)
    dispatch(fd);
}

void HttpEngine::on_readable(int fd) {
  auto it = state_->connections.find(fd);
  if (it == state_->connections.end()) return;
  Connection& c = *it->second;
  char chunk[16384];
  bool eof = false;
  for (;;) {
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n > 0) {
      if (!c.lingering) c.buf.append(chunk, size_t(n));
      if (c.buf.size() > limits_.max_head_bytes) break;
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) eof = true;
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  if (c.lingering) {
    if (eof) state_->connections.erase(it);  // epoll forgets a descriptor when it is closed
    return;
  }
  strip_leading_blank_lines(c.buf);
  if (eof) {
    // A client may half-close after sending its request: answer it, then close.
    if (find_head_end(c.buf) == std::string::npos)
      state_->connections.erase(it);
    else
      dispatch(fd);
    return;
  }
  if (c.buf.empty()) return;
  if (!c.head_started) {
    c.head_started = true;
    c.deadline = monotonic_ms() + limits_.head_timeout_ms;  // a deadline for the whole head
  }
  size_t end = find_head_end(c.buf);
  size_t head = std::min(end, c.buf.size());
  int refusal = head > limits_.max_head_bytes ? 431 : 0;
  // A head with a bare LF never ends in CRLF CRLF: refuse it now rather than wait for its deadline.
  for (size_t i = 0; i < head && !refusal; ++i)
    if (c.buf[i] == '\n' && (i == 0 || c.buf[i - 1] != '\r')) refusal = 400;
  if (refusal) {
    auto owned = std::move(it->second);
    state_->connections.erase(it);
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    refuse_and_close(std::move(owned), refusal,
                     refusal == 431 ? "The request head is larger than " +
                                          std::to_string(limits_.max_head_bytes) + " bytes"
                                    : "Bare LF in the request head");
    return;
  }
  if (end != std::string::npos) dispatch(fd);
}

void HttpEngine::dispatch(int fd) {
  auto it = state_->connections.find(fd);
  auto c = std::move(it->second);
  state_->connections.erase(it);
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  bool download = target_of(c->buf).substr(0, 9) == "/download";
  Pool& pool = download ? *download_pool_ : *api_pool_;
  c->ready_at = std::chrono::steady_clock::now();
  ++in_service_;  // before the worker can finish with it
  if (!pool.submit(c)) {
    --in_service_;
    refuse_and_close(std::move(c), 503, "The server is busy. Try again in a moment.");
  }
}

// An answer written by the event loop itself (it never blocks: a full socket buffer truncates
// it, which only happens to clients that send far more than they read).
void HttpEngine::refuse_and_close(std::unique_ptr<Connection> c, int status, const std::string& error) {
  std::string out = refusal_answer(status, error);
  ssize_t sent = ::send(c->fd, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  int method = HttpMetrics::method_slot(method_of(c->buf));
  if (sent > 0) metrics_->add_bytes(HttpMetrics::kOther, method, uint64_t(sent));
  metrics_->observe(HttpMetrics::kOther, method, status, 0);
  if (on_refused) on_refused(c->remote_ip, status, error);
  c->closing = true;
  watch(std::move(c));
}

void HttpEngine::sweep_deadlines() {
  int64_t now = monotonic_ms();
  for (auto it = state_->connections.begin(); it != state_->connections.end();) {
    if (it->second->deadline <= now)
      it = state_->connections.erase(it);  // idle, slow or lingered out
    else
      ++it;
  }
}

void HttpEngine::hand_back(std::unique_ptr<Connection> c) {
  {
    std::lock_guard<std::mutex> lock(state_->returns_mu);
    if (stopping_) return;  // c closes
    state_->returns.push_back(std::move(c));
  }
  uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
}

// On a worker: serve the buffered request, and any further ones already buffered behind it.
void HttpEngine::serve(std::unique_ptr<Connection> c) {
  {
    std::lock_guard<std::mutex> lock(state_->serving_mu);
    if (state_->cut) {
      --in_service_;
      return;  // stopped before this worker got to it: c closes
    }
    state_->serving.insert(c->fd);
  }
  try {
    auto started = c->ready_at;
    for (;;) {
      size_t end = find_head_end(c->buf);
      RequestHead head = check_request_head(std::string_view(c->buf).substr(0, end));
      if (head.status) {
        std::string out = refusal_answer(head.status, head.error);
        RequestProgress none;
        none.metrics = metrics_.get();
        none.method = HttpMetrics::method_slot(head.method);
        ConnectionStream(*c, none, limits_.io_timeout_ms).write(out.data(), out.size());
        metrics_->observe(HttpMetrics::kOther, none.method, head.status, seconds_since(started));
        if (on_refused) on_refused(c->remote_ip, head.status, head.error);
        c->closing = true;
        break;
      }
      // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112
      // §6.3); httplib would read one until the connection closes, so say it explicitly.
      if (!head.content_length && !head.chunked) {
        static const std::string kNoBody = "Content-Length: 0\r\n";
        c->buf.insert(end - 2, kNoBody);
        end += kNoBody.size();
        head.content_length = 0;
      }
      for (auto at = head.range_fields.rbegin(); at != head.range_fields.rend(); ++at) {
        c->buf.replace(*at, 5, kRangeField);
        end += std::strlen(kRangeField) - 5;
      }
      RequestProgress progress{&head, end, 0};
      progress.metrics = metrics_.get();
      progress.method = HttpMetrics::method_slot(head.method);
      ConnectionStream stream(*c, progress, limits_.io_timeout_ms);
      bool last = ++c->requests >= limits_.keep_alive_requests || stopping_ || draining_;
      bool client_closes = false;
      t_request = &progress;
      bool ok = false;
      try {
        ok = process_request(stream, last, client_closes, nullptr);
      } catch (...) {
        ok = false;  // httplib's exception handler already answered handler errors
      }
      t_request = nullptr;
      if (after_request) after_request();
      if (progress.status)
        metrics_->observe(progress.route, progress.method, progress.status, seconds_since(started));
      started = std::chrono::steady_clock::now();  // a pipelined request behind it starts now
      c->buf.erase(0, stream.buffered_consumed());
      if (!ok || last || client_closes || progress.body_unread() || draining_) {
        c->closing = true;
        break;
      }
      strip_leading_blank_lines(c->buf);
      if (find_head_end(c->buf) == std::string::npos) break;  // wait for the next request in the loop
    }
  } catch (...) {
    c->closing = true;  // nothing leaves a worker thread
  }
  {
    std::lock_guard<std::mutex> lock(state_->serving_mu);
    state_->serving.erase(c->fd);
  }
  hand_back(std::move(c));
  --in_service_;  // after the hand-back, so a drain sees it among the returns until then
}

}  // namespace continuata::server
