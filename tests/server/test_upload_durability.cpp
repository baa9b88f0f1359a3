// What uploads may never do to stored data: change an active manifest (an upload that finishes
// after activation), store a name that breaks later listings, or leave partial files behind.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "server/org_fixture.hpp"

using continuata::testing::TestOrg;
using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;
namespace fs = std::filesystem;

TEST_CASE("an upload that finishes after its version was activated is refused; the manifest stays") {
  TestServer s;
  TestOrg org(s, "acme");
  REQUIRE(org.post("/api/products", {{"name", "Pack"}, {"slug", "pack"}})->status == 201);
  REQUIRE(org.post("/api/products/pack/versions", {{"version", "1.0.0"}})->status == 201);
  REQUIRE(
      s.client().Put("/api/products/pack/versions/1.0.0/files/a.txt", org.A, "alpha", "text/plain")->status ==
      201);
  // Half an upload of b.txt on a raw connection...
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(s.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::string head =
      "PUT /api/products/pack/versions/1.0.0/files/b.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
      org.admin + "\r\nContent-Length: 10\r\nConnection: close\r\n\r\nbravo";
  REQUIRE(::send(fd, head.data(), head.size(), MSG_NOSIGNAL) == ssize_t(head.size()));
  usleep(200000);
  // ... the version is activated meanwhile ...
  auto act = org.post("/api/products/pack/versions/1.0.0/activate", json::object());
  REQUIRE(act->status == 200);
  CHECK(json::parse(act->body)["files"].size() == 1);
  // ... then the rest of the bytes arrive.
  REQUIRE(::send(fd, "bravo", 5, MSG_NOSIGNAL) == 5);
  std::string answer;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) answer.append(buf, size_t(n));
  ::close(fd);
  CHECK(answer.rfind("HTTP/1.1 409", 0) == 0);
  auto manifest = json::parse(s.client().Get("/api/products/pack/versions/1.0.0", org.A)->body);
  REQUIRE(manifest["files"].size() == 1);
  CHECK(manifest["files"][0]["path"] == "a.txt");
  // Nothing of b.txt stays on disk.
  size_t on_disk = 0;
  for (auto& e : fs::recursive_directory_iterator(s.dir() / "files"))
    if (e.is_regular_file()) ++on_disk;
  CHECK(on_disk == 1);
}

TEST_CASE("uploading a draft's file again replaces its bytes on disk, not only its row") {
  TestServer s;
  TestOrg org(s, "acme");
  REQUIRE(org.post("/api/products", {{"name", "Pack"}, {"slug", "pack"}})->status == 201);
  REQUIRE(org.post("/api/products/pack/versions", {{"version", "1.0.0"}})->status == 201);
  for (std::string body : {"first", "second", "third"})
    REQUIRE(
        s.client().Put("/api/products/pack/versions/1.0.0/files/a.txt", org.A, body, "text/plain")->status ==
        201);
  size_t on_disk = 0;
  for (auto& e : fs::recursive_directory_iterator(s.dir() / "files"))
    if (e.is_regular_file()) ++on_disk;
  CHECK(on_disk == 1);
  REQUIRE(org.post("/api/products/pack/versions/1.0.0/activate", json::object())->status == 200);
  CHECK(s.client().Get(org.mint("pack").c_str())->body == "third");
}

TEST_CASE("file names that are not well-formed UTF-8 are refused; listings stay readable") {
  TestServer s;
  TestOrg org(s, "acme");
  org.product("pack", {{"ok.txt", "fine"}});
  REQUIRE(org.post("/api/products/pack/versions", {{"version", "1.1.0"}})->status == 201);
  for (std::string bad :
       {"%C0%AF.txt", "%ED%A0%80.txt", "%F4%90%80%80.txt", "%FF.txt", "a%C3.txt", "%E0%80%AF"}) {
    auto r =
        s.client().Put(("/api/products/pack/versions/1.1.0/files/" + bad).c_str(), org.A, "x", "text/plain");
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 400, bad);
  }
  CHECK(s.client()
            .Put("/api/products/pack/versions/1.1.0/files/%CE%A9mega.txt", org.A, "x", "text/plain")
            ->status == 201);
  CHECK(s.client().Get("/api/products/pack/versions/1.1.0", org.A)->status == 200);
  CHECK(s.client().Get("/api/products", org.A)->status == 200);
}

TEST_CASE("at start, partial and unreferenced upload files are swept; manifest files stay") {
  continuata::testing::SharedStore store;  // the restart finds the same data
  srv::ServerConfig cfg = store.config();
  fs::path data = cfg.data_dir;
  std::string link;
  fs::path folder;
  {
    TestServer s(cfg);
    TestOrg org(s, "acme");
    org.product("pack", {{"a.txt", "alpha"}});
    link = org.mint("pack");
    for (auto& e : fs::directory_iterator(data / "files")) folder = e.path();
  }
  std::ofstream(folder / "0123456789abcdef.part") << "half an upload";
  std::ofstream(folder / "fedcba9876543210") << "renamed, row never committed";
  // Left by a crash two hours ago: on PostgreSQL, where instances share the folder, younger
  // unreferenced files may be another instance's upload in progress, and stay.
  auto crash = fs::file_time_type::clock::now() - std::chrono::hours(2);
  fs::last_write_time(folder / "0123456789abcdef.part", crash);
  fs::last_write_time(folder / "fedcba9876543210", crash);
  std::ofstream(folder / "89abcdef01234567.part") << "an upload still running";
  {
    TestServer s(cfg);
    CHECK(!fs::exists(folder / "0123456789abcdef.part"));
    CHECK(!fs::exists(folder / "fedcba9876543210"));
    bool shared = s.app().context().db->dialect() == srv::Dialect::Postgres;
    CHECK(fs::exists(folder / "89abcdef01234567.part") == shared);
    CHECK(s.client().Get(link.c_str())->body == "alpha");
  }
}
