// /download with --file-serving nginx over real HTTP: the same decisions as direct mode (token,
// file, conditional and Range requests, the log), answered with X-Accel-Redirect and no body;
// a Range the server ignores goes to the whole-file location. X-Real-IP from a trusted proxy is
// the address of the download log and the portal's per-IP limits. nginx itself is in
// tests/deploy.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "server/org_fixture.hpp"
#include "server/store_seller.hpp"

using continuata::testing::TestOrg;
using continuata::testing::TestServer;
namespace srv = continuata::server;

namespace {

srv::ServerConfig nginx_config(bool trust_loopback = true) {
  srv::ServerConfig cfg;
  cfg.file_serving = srv::FileServing::Nginx;
  if (trust_loopback) cfg.trusted_proxies.push_back(*srv::parse_ip_network("127.0.0.0/8"));
  return cfg;
}

struct NginxDownload {
  TestServer server;
  TestOrg org{server, "acme"};
  std::string content = std::string(200000, 'a') + std::string(200000, 'b'), url;
  explicit NginxDownload(srv::ServerConfig cfg = nginx_config()) : server(cfg) {
    org.product("pack", {{"Grüße kit.bin", content}});
    url = org.mint("pack");
  }
  httplib::Result get(httplib::Headers h) { return server.client().Get(url.c_str(), h); }
  std::vector<srv::store::ReportRow> rows() {
    auto& db = server.app().context().db->connection();
    return srv::store::download_report(db, "acme", 0, INT64_MAX, {}, 100000);
  }
  std::string stored(const std::string& rel) {
    std::ifstream in(server.dir() / "files" / rel, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

const std::regex kTarget(R"(/_continuata_files/(whole/)?(version_[0-9a-f]+/[0-9a-f]{32}))");

}  // namespace

TEST_CASE("nginx mode: X-Accel-Redirect names the stored file, no body, the download's headers") {
  NginxDownload d;
  auto r = d.get({});
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.empty());
  CHECK(r->get_header_value("Content-Length") == "0");
  std::smatch m;
  std::string target = r->get_header_value("X-Accel-Redirect");
  REQUIRE(std::regex_match(target, m, kTarget));
  CHECK(m[1].str().empty());
  CHECK(d.stored(m[2].str()) == d.content);
  CHECK(r->get_header_value("Content-Type") == "application/octet-stream");
  CHECK(r->get_header_value("Cache-Control") == "private, no-transform");
  CHECK(r->get_header_value("ETag").size() == 66);
  // Read raw: httplib's client percent-decodes header values.
  std::string raw =
      d.server.raw_request("GET " + d.url + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(raw.find("\r\nContent-Disposition: attachment; filename=\"Gr__e kit.bin\"; "
                 "filename*=UTF-8''Gr%C3%BC%C3%9Fe%20kit.bin\r\n") != std::string::npos);
  CHECK_FALSE(r->has_header("Accept-Ranges"));  // nginx sends its own
  auto rows = d.rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].counted);
  CHECK(rows[0].range_end == int64_t(d.content.size()) - 1);
}

TEST_CASE("nginx mode: Range, If-Range and If-None-Match decided as in direct mode, logged the same") {
  NginxDownload d;
  const std::string etag = d.get({})->get_header_value("ETag");
  auto target = [&](httplib::Headers h) {
    auto r = d.get(h);
    REQUIRE(r);
    CHECK(r->body.empty());
    return r->get_header_value("X-Accel-Redirect");
  };
  // Ranges the server keeps: nginx applies them itself (same location as a whole download).
  CHECK(target({{"Range", "bytes=0-99"}}).rfind("/_continuata_files/version_", 0) == 0);  // a probe: no row
  CHECK(target({{"Range", "bytes=100-"}}).rfind("/_continuata_files/version_", 0) == 0);  // a resume
  CHECK(target({{"Range", "bytes=100-"}, {"If-Range", etag}}).rfind("/_continuata_files/version_", 0) == 0);
  // Ranges it ignores: the whole-file location, counted as new downloads.
  CHECK(target({{"Range", "bytes=x-9"}}).rfind("/_continuata_files/whole/version_", 0) == 0);
  CHECK(target({{"Range", "bytes=100-"}, {"If-Range", "\"other\""}}).rfind("/_continuata_files/whole/", 0) ==
        0);
  CHECK(target({{"Range", "bytes=100-"}, {"If-Range", "Wed, 21 Oct 2015 07:28:00 GMT"}})
            .rfind("/_continuata_files/whole/", 0) == 0);
  // Answered by the server: no file to send.
  auto r = d.get({{"Range", "bytes=400000-"}});
  CHECK(r->status == 416);
  CHECK(r->get_header_value("Content-Range") == "bytes */400000");
  CHECK_FALSE(r->has_header("X-Accel-Redirect"));
  r = d.get({{"If-None-Match", etag}});
  CHECK(r->status == 304);
  CHECK_FALSE(r->has_header("X-Accel-Redirect"));
  r = d.server.client().Head(d.url.c_str());
  CHECK(r->status == 200);
  CHECK(r->has_header("X-Accel-Redirect"));
  auto rows = d.rows();  // the first GET, then: 100- twice (uncounted), three ignored ranges (counted)
  REQUIRE(rows.size() == 6);
  int counted = 0;
  for (const auto& row : rows) counted += row.counted;
  CHECK(counted == 4);
}

TEST_CASE("nginx mode: a custom internal prefix; a missing stored file is the server's 500 page") {
  auto cfg = nginx_config();
  cfg.nginx_internal_prefix = "/internal-files/";
  NginxDownload d(cfg);
  auto r = d.get({});
  std::string target = r->get_header_value("X-Accel-Redirect");
  CHECK(target.rfind("/internal-files/version_", 0) == 0);
  std::filesystem::remove(d.server.dir() / "files" / target.substr(std::string("/internal-files/").size()));
  r = d.get({});
  CHECK(r->status == 500);
  CHECK_FALSE(r->has_header("X-Accel-Redirect"));
}

TEST_CASE(
    "client address: X-Real-IP from a trusted proxy is the download log's and the rate limits' address") {
  {
    NginxDownload d;
    d.get({{"X-Real-IP", "203.0.113.9"}});
    NginxDownload untrusted(nginx_config(false));
    untrusted.get({{"X-Real-IP", "203.0.113.9"}});
    REQUIRE(d.rows().size() == 1);
    CHECK(d.rows()[0].ip == "203.0.113.9");
    REQUIRE(untrusted.rows().size() == 1);
    CHECK(untrusted.rows()[0].ip == "127.0.0.1");
  }
  // 20 codes a minute per IP: the 21st from one client is refused, another client behind the
  // same proxy is not.
  TestServer server(nginx_config());
  auto cli = server.client();
  auto ask = [&](int i, const std::string& ip) {
    nlohmann::json body = {{"email", "buyer" + std::to_string(i) + "@example.com"}};
    return cli.Post("/api/portal/verification", {{"X-Real-IP", ip}}, body.dump(), "application/json")->status;
  };
  for (int i = 0; i < 20; ++i) REQUIRE(ask(i, "198.51.100.1") == 202);
  CHECK(ask(20, "198.51.100.1") == 429);
  CHECK(ask(21, "198.51.100.2") == 202);
}
