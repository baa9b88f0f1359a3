// /download over real HTTP against RFC 9110 §13-14: clamped ranges, multipart/byteranges with
// exact parts, coalescing, the part limit, 416, If-Range, HEAD, and which requests are logged.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "server/org_fixture.hpp"
#include "server/store_seller.hpp"

using continuata::testing::TestOrg;
using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;

namespace {

std::string file_bytes(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = char((i * 7919 + (i >> 11)) & 0xff);
  return s;
}

struct Download {
  TestServer server;
  TestOrg org{server, "acme"};
  std::string content = file_bytes(1400000), url;
  Download() {
    org.product("pack", {{"kit.bin", content}});
    url = org.mint("pack");
  }
  httplib::Result get(httplib::Headers h) { return server.client().Get(url.c_str(), h); }
  size_t report_rows() {
    auto& db = server.app().context().db->connection();
    return srv::store::download_report(db, "acme", 0, INT64_MAX, {}, 100000).size();
  }
};

}  // namespace

TEST_CASE("ranges: an end past the file is clamped; totals and lengths are exact") {
  Download d;
  auto r = d.get({{"Range", "bytes=0-99999999999"}});
  REQUIRE(r);
  CHECK(r->status == 206);
  CHECK(r->get_header_value("Content-Range") == "bytes 0-1399999/1400000");
  CHECK(r->get_header_value("Content-Length") == "1400000");
  CHECK(r->body == d.content);
  r = d.get({{"Range", "bytes=-100"}});
  CHECK(r->body == d.content.substr(1400000 - 100));
  CHECK(r->get_header_value("Content-Range") == "bytes 1399900-1399999/1400000");
  // Overlapping ranges coalesce into one part (no multipart for one range).
  r = d.get({{"Range", "bytes=10-19,15-30"}});
  CHECK(r->status == 206);
  CHECK(r->get_header_value("Content-Range") == "bytes 10-30/1400000");
  CHECK(r->body == d.content.substr(10, 21));
}

TEST_CASE("ranges: several parts are a correct multipart/byteranges body") {
  Download d;
  auto r = d.get({{"Range", "bytes=500-509, 0-9, 1399990-"}});
  REQUIRE(r);
  CHECK(r->status == 206);
  std::string type = r->get_header_value("Content-Type");
  REQUIRE(type.rfind("multipart/byteranges; boundary=", 0) == 0);
  std::string boundary = type.substr(type.find('=') + 1);
  CHECK(r->get_header_value("Content-Length") == std::to_string(r->body.size()));
  // Parse the parts back: each has its Content-Range and exactly those bytes, ascending.
  std::vector<std::pair<std::string, std::string>> parts;
  size_t at = 0;
  std::string sep = "\r\n--" + boundary;
  while ((at = r->body.find(sep, at)) != std::string::npos) {
    at += sep.size();
    if (r->body.compare(at, 2, "--") == 0) break;
    size_t head_end = r->body.find("\r\n\r\n", at);
    std::string head = r->body.substr(at, head_end - at);
    size_t next = r->body.find(sep, head_end);
    parts.emplace_back(head, r->body.substr(head_end + 4, next - head_end - 4));
    at = next;
  }
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].first.find("Content-Range: bytes 0-9/1400000") != std::string::npos);
  CHECK(parts[0].second == d.content.substr(0, 10));
  CHECK(parts[1].first.find("Content-Range: bytes 500-509/1400000") != std::string::npos);
  CHECK(parts[1].second == d.content.substr(500, 10));
  CHECK(parts[2].second == d.content.substr(1399990));
  CHECK(r->body.substr(r->body.size() - boundary.size() - 8) == "\r\n--" + boundary + "--\r\n");
}

TEST_CASE("ranges: many parts get the whole file; bad syntax is ignored; nothing satisfiable is 416") {
  Download d;
  std::string many = "bytes=";
  for (int i = 0; i < 40; ++i) many += std::to_string(i * 1000) + "-" + std::to_string(i * 1000 + 1) + ",";
  auto r = d.get({{"Range", many}});
  CHECK(r->status == 200);
  CHECK(r->body.size() == d.content.size());
  for (std::string bad : {"bytes=abc", "bytes=5-2", "pages=1-2"}) {
    r = d.get({{"Range", bad}});
    CHECK_MESSAGE(r->status == 200, bad);
  }
  r = d.get({{"Range", "bytes=1400000-"}});
  CHECK(r->status == 416);
  CHECK(r->get_header_value("Content-Range") == "bytes */1400000");
  r = d.get({{"Range", "bytes=-0"}});
  CHECK(r->status == 416);
}

TEST_CASE("If-Range and conditional requests") {
  Download d;
  auto full = d.get({});
  std::string etag = full->get_header_value("ETag");
  REQUIRE(etag.size() == 66);
  CHECK(d.get({{"Range", "bytes=0-9"}, {"If-Range", etag}})->status == 206);
  auto changed = d.get({{"Range", "bytes=0-9"}, {"If-Range", "\"other\""}});
  CHECK(changed->status == 200);
  CHECK(changed->body.size() == d.content.size());
  CHECK(d.get({{"Range", "bytes=0-9"}, {"If-Range", "Tue, 01 Dec 2026 07:00:00 GMT"}})->status == 200);
  CHECK(d.get({{"If-None-Match", etag}})->status == 304);
  CHECK(d.get({{"If-None-Match", "\"x\", " + etag}})->status == 304);
  CHECK(full->get_header_value("Referrer-Policy") == "no-referrer");
  CHECK(full->get_header_value("X-Content-Type-Options") == "nosniff");
}

TEST_CASE("HEAD has the headers and no body; probes are not logged as downloads") {
  Download d;
  std::string head =
      d.server.raw_request("HEAD " + d.url + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(head.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(head.find("Content-Length: 1400000\r\n") != std::string::npos);
  CHECK(head.substr(head.find("\r\n\r\n") + 4).empty());
  CHECK(d.get({{"Range", "bytes=0-0"}})->body.size() == 1);
  CHECK(d.get({{"Range", "bytes=0-1023"}})->body.size() == 1024);
  CHECK(d.report_rows() == 0);  // HEAD, 1 byte and 1 KiB probes wrote nothing
  CHECK(d.get({})->body.size() == d.content.size());
  CHECK(d.get({{"Range", "bytes=700000-"}})->status == 206);  // a resume
  auto& db = d.server.app().context().db->connection();
  auto rows = srv::store::download_report(db, "acme", 0, INT64_MAX, {}, 100);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].counted);
  CHECK(!rows[1].counted);
  CHECK(rows[1].range_start == 700000);
}

TEST_CASE("server pages carry nosniff and a CSP that allows no script") {
  Download d;
  auto r = d.server.client().Get(("/download?token=" + std::string(64, 'a')).c_str());
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(r->get_header_value("Content-Security-Policy").find("default-src 'none'") != std::string::npos);
}
