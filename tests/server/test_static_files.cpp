// The portal's static files over real HTTP: precompressed copies chosen by Accept-Encoding (q=0
// refuses), immutable caching for content-hashed names, no-cache + ETag/304 for the page and the
// config, HEAD, and nothing outside the web folder however the path is spelled.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "server/routes_static.hpp"
#include "server/server_fixture.hpp"

using continuata::server::accept_encoding_q;
using continuata::server::etag_matches;
using continuata::testing::TestServer;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

// A site folder: <tmp>/outside.txt (must never be served) and <tmp>/web (the portal).
struct Site {
  fs::path dir, web;
  Site() {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("continuata-static-" + std::to_string(rd()));
    web = dir / "web";
    write(dir / "outside.txt", "SECRET-OUTSIDE");
    write(web / "index.html", "<!doctype html><title>plain page</title>");
    write(web / "index.html.gz", "GZ-PAGE");
    write(web / "index.html.br", "BR-PAGE");
    write(web / "portal.config.json", "{\"api\":\"\"}");
    write(web / "portal.0123abcd89.wasm", "PLAIN-WASM");
    write(web / "portal.0123abcd89.wasm.br", "BR-WASM");
    write(web / "portal.0123abcd89.wasm.gz", "GZ-WASM");
    write(web / "continuata-embed.js", "embed();");
    write(web / ".hidden", "SECRET-HIDDEN");
    fs::create_directories(web / "sub");
  }
  ~Site() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  continuata::server::ServerConfig config() const {
    continuata::server::ServerConfig cfg;
    cfg.web_dir = web.string();
    return cfg;
  }
};

httplib::Headers accept(const std::string& encodings) {
  return {{"Accept-Encoding", encodings}};
}

}  // namespace

TEST_CASE("Accept-Encoding: q-values parsed, q=0 refuses, * covers what is not named") {
  CHECK(accept_encoding_q("gzip, deflate, br", "br") == 1);
  CHECK(accept_encoding_q("gzip, deflate, br", "gzip") == 1);
  CHECK(accept_encoding_q("gzip", "br") == 0);
  CHECK(accept_encoding_q("br;q=0, gzip", "br") == 0);
  CHECK(accept_encoding_q("BR ; Q=0.5", "br") == doctest::Approx(0.5));
  CHECK(accept_encoding_q("*", "br") == 1);
  CHECK(accept_encoding_q("*;q=0, gzip", "br") == 0);
  CHECK(accept_encoding_q("*;q=0.2, br;q=0", "br") == 0);
  CHECK(accept_encoding_q("*;q=0.2, br;q=0", "gzip") == doctest::Approx(0.2));
  CHECK(accept_encoding_q("x-gzip", "gzip") == 1);
  CHECK(accept_encoding_q("gzip;q=1.5", "gzip") == 0);  // malformed q: not usable
  CHECK(accept_encoding_q("gzip;q=abc", "gzip") == 0);
  CHECK(accept_encoding_q("brotli", "br") == 0);  // a different token, not a prefix match
  CHECK(accept_encoding_q("", "gzip") == 0);
}

TEST_CASE("If-None-Match: lists, weak tags and *") {
  CHECK(etag_matches("\"a\"", "\"a\""));
  CHECK(etag_matches("\"x\", W/\"a\"", "\"a\""));
  CHECK(etag_matches("*", "\"a\""));
  CHECK_FALSE(etag_matches("\"ab\"", "\"a\""));
  CHECK_FALSE(etag_matches("", "\"a\""));
}

TEST_CASE("the precompressed copy the browser accepts, with Vary") {
  Site site;
  TestServer s(site.config());
  auto c = s.client();
  c.set_decompress(false);  // the copies here are stand-ins, not real br/gzip
  struct Case {
    const char* accept;
    const char* body;
    const char* encoding;
  } cases[] = {
      {"gzip, deflate, br", "BR-WASM", "br"},
      {"gzip", "GZ-WASM", "gzip"},
      {"br;q=0, gzip", "GZ-WASM", "gzip"},
      {"br;q=0.5, gzip;q=0.8", "GZ-WASM", "gzip"},
      {"gzip;q=0, br;q=0", "PLAIN-WASM", ""},
      {"identity", "PLAIN-WASM", ""},
      {"*", "BR-WASM", "br"},
  };
  for (const auto& k : cases) {
    CAPTURE(k.accept);
    auto r = c.Get("/my/portal.0123abcd89.wasm", accept(k.accept));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == k.body);
    CHECK(r->get_header_value("Content-Encoding") == k.encoding);
    CHECK(r->get_header_value("Content-Type") == "application/wasm");
    CHECK(r->get_header_value("Vary") == "Accept-Encoding");
    CHECK(r->get_header_value("Content-Length") == std::to_string(std::string(k.body).size()));
  }
  auto none = c.Get("/my/portal.0123abcd89.wasm");  // no Accept-Encoding at all
  REQUIRE(none);
  CHECK(none->body == "PLAIN-WASM");
}

TEST_CASE("a copy older than its file (edited after the build) is not used") {
  Site site;
  auto old = fs::last_write_time(site.web / "portal.config.json") - std::chrono::hours(1);
  write(site.web / "portal.config.json.br", "STALE");
  fs::last_write_time(site.web / "portal.config.json.br", old);
  TestServer s(site.config());
  auto c = s.client();
  c.set_decompress(false);
  auto r = c.Get("/my/portal.config.json", accept("br"));
  REQUIRE(r);
  CHECK(r->body == "{\"api\":\"\"}");
  CHECK_FALSE(r->has_header("Content-Encoding"));
}

TEST_CASE("hashed names are immutable; the page, config and embed loader revalidate by ETag") {
  Site site;
  TestServer s(site.config());
  auto c = s.client();
  c.set_decompress(false);  // the copies here are stand-ins, not real br/gzip
  auto wasm = c.Get("/my/portal.0123abcd89.wasm", accept("br"));
  REQUIRE(wasm);
  CHECK(wasm->get_header_value("Cache-Control") == "public, max-age=31536000, immutable");

  for (const char* path : {"/my/", "/my/index.html", "/my/portal.config.json", "/my/continuata-embed.js"}) {
    CAPTURE(path);
    auto r = c.Get(path, accept("gzip, br"));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Cache-Control") == "no-cache");
    std::string etag = r->get_header_value("ETag");
    REQUIRE(etag.size() > 2);
    auto again = c.Get(path, {{"Accept-Encoding", "gzip, br"}, {"If-None-Match", etag}});
    REQUIRE(again);
    CHECK(again->status == 304);
    CHECK(again->body.empty());
    CHECK(again->get_header_value("ETag") == etag);
    auto other = c.Get(path, {{"Accept-Encoding", "gzip, br"}, {"If-None-Match", "\"something-else\""}});
    REQUIRE(other);
    CHECK(other->status == 200);
  }
  // Each coding is its own representation with its own tag.
  auto br = c.Get("/my/", accept("br")), gz = c.Get("/my/", accept("gzip"));
  REQUIRE(br);
  REQUIRE(gz);
  CHECK(br->body == "BR-PAGE");
  CHECK(gz->body == "GZ-PAGE");
  CHECK(br->get_header_value("ETag") != gz->get_header_value("ETag"));
  CHECK(br->get_header_value("Content-Type") == "text/html; charset=utf-8");
  auto changed =
      c.Get("/my/", {{"Accept-Encoding", "gzip"}, {"If-None-Match", br->get_header_value("ETag")}});
  REQUIRE(changed);
  CHECK(changed->status == 200);
}

TEST_CASE("HEAD answers the headers of GET without a body") {
  Site site;
  TestServer s(site.config());
  std::string raw = s.raw_request(
      "HEAD /my/portal.0123abcd89.wasm HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nConnection: "
      "close\r\n\r\n");
  CHECK(raw.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(raw.find("Content-Length: 7\r\n") != std::string::npos);
  CHECK(raw.find("Content-Encoding: br\r\n") != std::string::npos);
  CHECK(raw.find("immutable") != std::string::npos);
  CHECK(raw.find("BR-WASM") == std::string::npos);
}

TEST_CASE("no path leaves the web folder, and malformed paths are refused without harm") {
  Site site;
  TestServer s(site.config());
  const char* paths[] = {
      "/my/../outside.txt",
      "/my/%2e%2e/outside.txt",
      "/my/%2E%2E%2Foutside.txt",
      "/my/..%2foutside.txt",
      "/my/sub/../../outside.txt",
      "/my/sub/%2e%2e/%2e%2e/outside.txt",
      "/my/..\\outside.txt",
      "/my/%5c..%5coutside.txt",
      "/my/..%5coutside.txt",
      "/my/index.html%00.png",
      "/my/%00",
      "/my/%ff%fe",
      "/my/%c0%ae%c0%ae/outside.txt",
      "/my/%ed%a0%80",
      "/my/.hidden",
      "/my/%2ehidden",
      "/my//etc/passwd",
      "/my/%2fetc%2fpasswd",
      "/my/sub",
      "/my/sub/",
      "/my/./index.html",
      "/my/index.html.br",
      "/my/nope.js",
      "/my/C:%5cwindows",
      "/my/%0d%0aSet-Cookie:%20x=1",
      "/my/\xff\xfe",
  };
  for (const char* p : paths) {
    CAPTURE(p);
    std::string raw =
        s.raw_request(std::string("GET ") + p + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    REQUIRE(raw.size() > 12);
    std::string status = raw.substr(9, 3);
    CHECK((status == "400" || status == "404"));
    CHECK(raw.find("SECRET") == std::string::npos);
    CHECK(raw.find("Set-Cookie") == std::string::npos);
  }
  // A long path is refused, not a crash.
  std::string raw = s.raw_request("GET /my/" + std::string(8000, 'a') +
                                  " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(raw.rfind("HTTP/1.1 4", 0) == 0);
  auto health = s.client().Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
}

TEST_CASE("a symlink inside the web folder that points out of it is not followed") {
  Site site;
  fs::create_symlink(site.dir / "outside.txt", site.web / "link.txt");
  TestServer s(site.config());
  auto r = s.client().Get("/my/link.txt");
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(r->body.find("SECRET") == std::string::npos);
}
