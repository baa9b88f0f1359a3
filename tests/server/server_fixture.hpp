// A real continuata-server on a free loopback port, in a temporary data folder, for the HTTP
// tests. Started in the constructor, stopped and cleaned up in the destructor (a scope guard).
// With CONTINUATA_TEST_DATABASE set to a postgresql:// URL (scripts/postgres_cluster.py sets
// it), each server's store is a schema of its own in that database instead of SQLite.
#pragma once
#include <arpa/inet.h>
#include <httplib.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

#include "server/server_app.hpp"

namespace continuata::testing {

// A TCP connection to 127.0.0.1:port, or -1: for bytes no HTTP client would send.
inline int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

class TestServer {
 public:
  explicit TestServer(server::ServerConfig cfg = {}) {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("continuata-test-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    if (cfg.data_dir.empty()) cfg.data_dir = dir_.string();
    if (const char* base = std::getenv("CONTINUATA_TEST_DATABASE"); base && *base && cfg.database.empty()) {
      base_url_ = base;
      schema_ = "test_" + std::to_string(rd());
      postgres(base_url_, "CREATE SCHEMA " + schema_);
      cfg.database = with_schema(base_url_, schema_);
    }
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
    app_.reset();  // closes its database connections
    if (!schema_.empty()) postgres(base_url_, "DROP SCHEMA " + schema_ + " CASCADE");
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
    int fd = connect_to(port_);
    std::string out;
    if (fd >= 0) {
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

  // The URL of `schema` in the database at `url`: libpq's options set its search_path.
  static std::string with_schema(const std::string& url, const std::string& schema) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
  }
  // Runs one trusted statement on PostgreSQL (a schema's creation and removal).
  static void postgres(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    PGresult* r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql.c_str()) : nullptr;
    bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string error = PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
    if (!ok) throw std::runtime_error("PostgreSQL: " + sql + ": " + error);
  }
  std::string base_url_, schema_;
  std::filesystem::path dir_;
  std::unique_ptr<server::ServerApp> app_;
  std::thread thread_;
  int port_ = -1;
};

// For a test about SQLite's own files: TestServers made while it lives use SQLite even when the
// suite runs on PostgreSQL (CONTINUATA_TEST_DATABASE is put aside, and back at the end).
class SqliteOnly {
 public:
  SqliteOnly() {
    if (const char* v = std::getenv("CONTINUATA_TEST_DATABASE")) saved_ = v;
    ::unsetenv("CONTINUATA_TEST_DATABASE");
  }
  ~SqliteOnly() {
    if (saved_) ::setenv("CONTINUATA_TEST_DATABASE", saved_->c_str(), 1);
  }
  SqliteOnly(const SqliteOnly&) = delete;
  SqliteOnly& operator=(const SqliteOnly&) = delete;

 private:
  std::optional<std::string> saved_;
};

// One store for several TestServers (instances of one deployment): a shared data folder and,
// with CONTINUATA_TEST_DATABASE, a shared PostgreSQL schema; else SQLite in that folder.
class SharedStore {
 public:
  SharedStore() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("continuata-shared-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    if (const char* base = std::getenv("CONTINUATA_TEST_DATABASE"); base && *base) {
      base_url_ = base;
      schema_ = "shared_" + std::to_string(rd());
      TestServer::postgres(base_url_, "CREATE SCHEMA " + schema_);
    }
  }
  ~SharedStore() {
    if (!schema_.empty()) TestServer::postgres(base_url_, "DROP SCHEMA " + schema_ + " CASCADE");
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  SharedStore(const SharedStore&) = delete;
  SharedStore& operator=(const SharedStore&) = delete;
  server::ServerConfig config() const {
    server::ServerConfig cfg;
    cfg.data_dir = dir_.string();
    if (!schema_.empty()) cfg.database = TestServer::with_schema(base_url_, schema_);
    return cfg;
  }

 private:
  std::filesystem::path dir_;
  std::string base_url_, schema_;
};

}  // namespace continuata::testing
