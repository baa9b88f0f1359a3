// The Database's bounded connection pool: a thread keeps the connection it borrowed until it
// gives it back, a full pool makes the next borrower wait (then DatabaseBusy), a returned
// connection is lent again rather than a new one opened; and over HTTP, a server with two
// connections serves many clients at once while downloads and uploads stall mid-stream.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "server/org_fixture.hpp"
#include "server/server_config.hpp"
#include "server/server_fixture.hpp"
#include "server/store_db.hpp"

namespace srv = continuata::server;
namespace fs = std::filesystem;
using continuata::testing::connect_to;
using continuata::testing::TestOrg;
using continuata::testing::TestServer;

namespace {

struct TempFolder {
  fs::path path = fs::temp_directory_path() / ("continuata-pool-" + std::to_string(std::random_device{}()));
  TempFolder() { fs::create_directories(path); }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

srv::Database::PoolLimits limits(size_t max_connections, int wait_ms) {
  srv::Database::PoolLimits l;
  l.max_connections = max_connections;
  l.wait_ms = wait_ms;
  return l;
}

}  // namespace

TEST_CASE("pool: a thread keeps its connection until it gives it back; a full pool waits, then refuses") {
  TempFolder dir;
  srv::Database db((dir.path / "t.db").string(), limits(2, 50));
  srv::Db* mine = &db.connection();
  CHECK(&db.connection() == mine);  // the same thread asks again: the same connection
  srv::Db* other = nullptr;
  std::thread([&] { other = &db.connection(); }).join();  // that thread ended without giving it back
  CHECK(other != mine);
  CHECK(db.open_connections() == 2);

  bool refused = false;
  std::thread([&] {
    try {
      db.connection();
    } catch (const srv::DatabaseBusy&) {
      refused = true;
    }
  }).join();
  CHECK(refused);  // both lent out for the whole wait

  db.release_connection();
  srv::Db* next = nullptr;
  std::thread([&] {
    next = &db.connection();
    db.release_connection();
  }).join();
  CHECK(next == mine);  // the returned connection, not a third one
  CHECK(db.open_connections() == 2);
  db.release_connection();  // nothing borrowed on this thread any more: nothing happens
}

TEST_CASE("pool: a borrower waiting on a full pool gets the connection the next thread gives back") {
  TempFolder dir;
  srv::Database db((dir.path / "t.db").string(), limits(1, 60000));
  srv::Db* mine = &db.connection();
  std::atomic<bool> waiting{false};
  srv::Db* theirs = nullptr;
  std::thread waiter([&] {
    waiting = true;
    theirs = &db.connection();  // blocks until the main thread gives its connection back
    theirs->prepare("SELECT 1").run();
    db.release_connection();
  });
  while (!waiting) std::this_thread::yield();
  db.release_connection();
  waiter.join();
  CHECK(theirs == mine);
  CHECK(db.open_connections() == 1);
}

TEST_CASE("pool: no connections is a configuration error") {
  TempFolder dir;
  CHECK_THROWS_AS(srv::Database((dir.path / "t.db").string(), limits(0, 50)), srv::DbError);
}

// Over HTTP, on either store: two connections for 32 threads of clients, three downloads whose
// readers have stopped reading and two uploads whose senders have stopped sending (each holds a
// thread for as long as it stalls, but no connection: it gave its own back before the stream).
TEST_CASE("pool over HTTP: two connections serve 32 clients at once while downloads and uploads stall") {
  srv::ServerConfig cfg;
  cfg.db_connections = 2;
  TestServer server(cfg);
  TestOrg org{server, "acme"};
  org.product("big", {{"big.bin", std::string(8 << 20, 'x')}});
  REQUIRE(org.post("/api/products", {{"name", "slow"}, {"slug", "slow"}})->status == 201);
  REQUIRE(org.post("/api/products/slow/versions", {{"version", "1.0.0"}})->status == 201);
  std::string path = org.mint("big");
  server.app().context().db->release_connection();  // the test thread's own, borrowed by TestOrg

  std::vector<int> stalled;
  for (int i = 0; i < 3; ++i) {
    int fd = connect_to(server.port());
    REQUIRE(fd >= 0);
    std::string get = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    REQUIRE(::send(fd, get.data(), get.size(), MSG_NOSIGNAL) == ssize_t(get.size()));
    char first[16];
    REQUIRE(::recv(fd, first, sizeof first, MSG_WAITALL) == ssize_t(sizeof first));  // streaming has begun
    stalled.push_back(fd);  // and is never read again
  }
  for (int i = 0; i < 2; ++i) {  // and two uploads whose bodies stop arriving after 1 KiB
    int fd = connect_to(server.port());
    REQUIRE(fd >= 0);
    std::string put = "PUT /api/products/slow/versions/1.0.0/files/part" + std::to_string(i) +
                      ".bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + org.admin +
                      "\r\nContent-Type: application/octet-stream\r\nContent-Length: 1048576\r\n\r\n" +
                      std::string(1024, 'y');
    REQUIRE(::send(fd, put.data(), put.size(), MSG_NOSIGNAL) == ssize_t(put.size()));
    stalled.push_back(fd);
  }

  std::atomic<int> ok{0}, other{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 32; ++t)
    clients.emplace_back([&] {
      auto c = server.client();
      for (int i = 0; i < 10; ++i) {
        auto r = c.Get("/api/products", org.A);
        (r && r->status == 200 ? ok : other)++;
      }
    });
  for (auto& c : clients) c.join();
  for (int fd : stalled) ::close(fd);
  CHECK(ok.load() == 320);
  CHECK(other.load() == 0);
  CHECK(server.app().context().db->open_connections() <= 2);
}

TEST_CASE("--db-connections is read, bounded and documented") {
  auto parsed = srv::parse_server_config({"--data", "/tmp/x", "--db-connections", "8"});
  REQUIRE(parsed.config);
  CHECK(parsed.config->db_connections == 8);
  CHECK_FALSE(srv::parse_server_config({"--data", "/tmp/x", "--db-connections", "0"}).config);
  CHECK_FALSE(srv::parse_server_config({"--data", "/tmp/x", "--db-connections", "5000"}).config);
  CHECK(srv::server_usage().find("--db-connections N") != std::string::npos);
}
