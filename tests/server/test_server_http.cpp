// The server answers over real HTTP on a free port: health check, the portal redirect keeps the
// magic link's query, and the portal's wasm goes out as application/wasm.
#include <doctest/doctest.h>

#include <fstream>

#include "server/server_fixture.hpp"

using continuata::testing::TestServer;

TEST_CASE("health check answers JSON over HTTP") {
  TestServer s;
  REQUIRE(s.port() > 0);
  auto res = s.client().Get("/healthz");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  CHECK(res->body == "{\"ok\":true}");
}

TEST_CASE("/my redirects to /my/ keeping the query and serves the portal files") {
  auto web = std::filesystem::temp_directory_path() / "continuata-test-web";
  std::filesystem::create_directories(web);
  std::ofstream(web / "index.html") << "<!doctype html><title>portal</title>";
  std::ofstream(web / "portal.wasm") << "\0asm";
  continuata::server::ServerConfig cfg;
  cfg.web_dir = web.string();
  TestServer s(cfg);
  auto c = s.client();
  c.set_url_encode(false);  // send the query exactly as a mail client would

  auto r = c.Get("/my?email=a%40b.c&code=123456");
  REQUIRE(r);
  CHECK(r->status == 302);
  // httplib's client percent-decodes the Location it reads; curl shows it verbatim.
  auto loc = r->get_header_value("Location");
  CHECK((loc == "/my/?email=a%40b.c&code=123456" || loc == "/my/?email=a@b.c&code=123456"));

  auto page = c.Get("/my/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("<title>portal</title>") != std::string::npos);

  auto wasm = c.Get("/my/portal.wasm");
  REQUIRE(wasm);
  CHECK(wasm->get_header_value("Content-Type") == "application/wasm");

  auto missing = c.Get("/my/nope.js");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  std::filesystem::remove_all(web);
}
