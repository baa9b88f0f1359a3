// A real continuata-server on a free loopback port, in a temporary data folder, for the HTTP
// tests. Started in the constructor, stopped and cleaned up in the destructor (a scope guard).
#pragma once
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "server/server_app.hpp"

namespace continuata::testing {

class TestServer {
 public:
  explicit TestServer(server::ServerConfig cfg = {}) {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("continuata-test-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    if (cfg.data_dir.empty()) cfg.data_dir = dir_.string();
    cfg.host = "127.0.0.1";
    cfg.port = 0;
    app_ = std::make_unique<server::ServerApp>(cfg);
    port_ = app_->bind();
    thread_ = std::thread([this] { app_->run(); });
    app_->wait_until_ready();
  }
  ~TestServer() {
    app_->stop();
    thread_.join();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }
  server::ServerApp& app() { return *app_; }
  // Sends raw bytes and returns everything the server answers before closing (or 2 s of
  // silence): for requests httplib's client cannot make, such as headers without their body.
  std::string raw_request(const std::string& bytes) const {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(uint16_t(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string out;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      // MSG_NOSIGNAL: a server that answers early and closes must not SIGPIPE the test.
      for (size_t sent = 0; sent < bytes.size();) {
        ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += size_t(n);
      }
      timeval tv{2, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      char buf[4096];
      ssize_t n;
      while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, size_t(n));
    }
    ::close(fd);
    return out;
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(10, 0);
    return c;
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<server::ServerApp> app_;
  std::thread thread_;
  int port_ = -1;
};

}  // namespace continuata::testing
