// The portal's download history over real HTTP (both stores): the summary in the purchase list
// and the full list of one purchase count only requests from byte 0, name the client from its
// User-Agent, never show the address, page newest first, and reach the session's own purchases
// only (another customer's is a 404 like a missing one); a "Download everything" ZIP counts once in
// each purchase's history.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/core_time.hpp"
#include "server/org_fixture.hpp"
#include "server/server_fixture.hpp"
#include "server/service_demo.hpp"

using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;

namespace {

constexpr const char* kFirefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

struct Buyers {
  int64_t now = 1790000000000;  // declared before the server, whose threads read it
  TestServer server{config()};
  Buyers() {
    server.app().context().now_ms = [this] { return now; };
    srv::seed_demo(server.app().context());
  }
  static srv::ServerConfig config() {
    srv::ServerConfig c;
    c.demo = true;
    return c;
  }
  httplib::Headers bearer(const std::string& token) const { return {{"Authorization", "Bearer " + token}}; }
  std::string sign_in(const std::string& email) {
    auto c = server.client();
    REQUIRE(c.Post("/api/portal/verification", json{{"email", email}}.dump(), "application/json")->status ==
            202);
    auto outbox = json::parse(c.Get(("/api/dev/outbox?to=" + email).c_str())->body);
    std::smatch m;
    std::string text = outbox[0]["text"];
    REQUIRE(std::regex_search(text, m, std::regex(R"(\b(\d{6})\b)")));
    auto s = c.Post("/api/portal/session", json{{"email", email}, {"code", m[1].str()}}.dump(),
                    "application/json");
    REQUIRE(s->status == 200);
    return json::parse(s->body)["sessionToken"];
  }
  json purchases(const std::string& token) {
    auto r = server.client().Get("/api/portal/purchases", bearer(token));
    REQUIRE(r->status == 200);
    return json::parse(r->body)["purchases"];
  }
  json of(const json& list, const std::string& product) {
    for (const auto& p : list)
      if (p["productId"] == product) return p;
    FAIL("no purchase of " << product);
    return {};
  }
  // The /download path of a fresh portal link for the purchase.
  std::string link(const std::string& token, int64_t purchase_id) {
    auto r = server.client().Post("/api/portal/download-url", bearer(token),
                                  json{{"purchaseId", purchase_id}}.dump(), "application/json");
    REQUIRE(r->status == 200);
    std::string url = json::parse(r->body)["downloadUrl"];
    return url.substr(url.find("/download"));
  }
  int download(const std::string& path, const std::string& user_agent, const std::string& range = "") {
    httplib::Headers h{{"User-Agent", user_agent}};
    if (!range.empty()) h.emplace("Range", range);
    auto r = server.client().Get(path.c_str(), h);
    REQUIRE(r);
    return r->status;
  }
  httplib::Result history(const std::string& token, const std::string& id, const std::string& query = "") {
    return server.client().Get(("/api/portal/purchases/" + id + "/downloads" + query).c_str(), bearer(token));
  }
};

}  // namespace

TEST_CASE("download history: byte-0 downloads counted, clients named, newest first, no address") {
  Buyers b;
  std::string token = b.sign_in("demo@example.com");
  json drums = b.of(b.purchases(token), "epic-drums-v1");
  CHECK(drums["downloads"] == json{{"count", 0}, {"lastAt", nullptr}, {"lastClient", nullptr}});
  int64_t id = drums["purchaseId"];
  std::string path = b.link(token, id);

  CHECK(b.download(path, "curl/8.11.0") == 200);
  b.now += 60000;
  CHECK(b.download(path, "aria2/1.37.0", "bytes=70000-") == 206);  // a resume: logged, not counted
  b.now += 60000;
  CHECK(b.download(path, kFirefox, "bytes=0-") == 206);  // from byte 0: a new download
  b.now += 60000;
  CHECK(b.download(path, "Wget/1.21", "bytes=0-0") == 206);  // a probe: not even logged

  json list = b.purchases(token);
  drums = b.of(list, "epic-drums-v1");
  CHECK(drums["downloads"]["count"] == 2);
  CHECK(drums["downloads"]["lastClient"] == "Firefox on Linux");
  CHECK(continuata::core::parse_iso8601_utc(drums["downloads"]["lastAt"].get<std::string>()) ==
        b.now - 60000);
  CHECK(b.of(list, "orchestral-strings")["downloads"]["count"] == 0);  // only the downloaded purchase

  auto r = b.history(token, std::to_string(id));
  REQUIRE(r->status == 200);
  CHECK(r->body.find("127.0.0.1") == std::string::npos);  // the address never leaves the server
  CHECK(r->body.find("Gecko") == std::string::npos);      // nor the raw User-Agent
  json h = json::parse(r->body);
  CHECK(h["purchaseId"] == id);
  CHECK(h["total"] == 2);
  CHECK(h["nextOffset"].is_null());
  REQUIRE(h["downloads"].size() == 2);
  CHECK(h["downloads"][0]["client"] == "Firefox on Linux");
  CHECK(h["downloads"][1]["client"] == "curl");
  CHECK(h["downloads"][0]["file"] == drums["files"][0]["path"]);
  CHECK(continuata::core::parse_iso8601_utc(h["downloads"][1]["at"].get<std::string>()) == b.now - 180000);

  // Paged: one at a time, newest first, the next offset given until the end.
  json first = json::parse(b.history(token, std::to_string(id), "?limit=1")->body);
  REQUIRE(first["downloads"].size() == 1);
  CHECK(first["downloads"][0]["client"] == "Firefox on Linux");
  CHECK(first["nextOffset"] == 1);
  json second = json::parse(b.history(token, std::to_string(id), "?limit=1&offset=1")->body);
  REQUIRE(second["downloads"].size() == 1);
  CHECK(second["downloads"][0]["client"] == "curl");
  CHECK(second["nextOffset"].is_null());
  CHECK(b.history(token, std::to_string(id), "?limit=0")->status == 400);
  CHECK(b.history(token, std::to_string(id), "?limit=201")->status == 400);
  CHECK(b.history(token, std::to_string(id), "?offset=-1")->status == 400);
  CHECK(b.history("", std::to_string(id))->status == 401);
}

TEST_CASE("download history: another customer's purchase is unreachable, and their downloads are theirs") {
  Buyers b;
  std::string mine = b.sign_in("demo@example.com");
  std::string theirs_token = b.sign_in("someone.else@example.com");
  json theirs = b.of(b.purchases(theirs_token), "epic-drums-v1");
  int64_t their_id = theirs["purchaseId"];
  CHECK(b.download(b.link(theirs_token, their_id), kFirefox) == 200);
  CHECK(b.of(b.purchases(theirs_token), "epic-drums-v1")["downloads"]["count"] == 1);

  // The same product bought by demo@ is another purchase: not downloaded.
  CHECK(b.of(b.purchases(mine), "epic-drums-v1")["downloads"]["count"] == 0);
  auto other = b.history(mine, std::to_string(their_id));
  auto missing = b.history(mine, "999999");
  REQUIRE(other);
  REQUIRE(missing);
  CHECK(other->status == 404);
  CHECK(missing->status == 404);
  CHECK(other->body == missing->body);
  CHECK(b.history(mine, "not-a-number")->status == 404);
  CHECK(b.history(theirs_token, std::to_string(their_id))->status == 200);
}

TEST_CASE("download history: a Download everything ZIP counts once for each purchase in it") {
  Buyers b;
  std::string token = b.sign_in("demo@example.com");
  auto minted = b.server.client().Post("/api/portal/download-url", b.bearer(token),
                                       json{{"all", true}}.dump(), "application/json");
  REQUIRE(minted->status == 200);
  std::string url = json::parse(minted->body)["downloadUrl"];
  std::string path = url.substr(url.find("/download"));

  httplib::Headers wget{{"User-Agent", "Wget/1.21.4"}};
  auto zip = b.server.client().Get(path.c_str(), wget);
  REQUIRE(zip);
  REQUIRE(zip->status == 200);
  CHECK(zip->get_header_value("Content-Type") == "application/zip");
  REQUIRE(zip->body.size() > 4);
  CHECK(zip->body.substr(0, 4) == std::string("PK\x03\x04", 4));
  b.now += 60000;
  CHECK(b.download(path, "aria2/1.37.0", "bytes=1000-") == 206);  // a resume: not another download

  int in_zip = 0;
  for (const auto& p : b.purchases(token)) {
    INFO(p["productId"]);
    if (p["files"].empty()) {  // no folder in the ZIP: not downloaded
      CHECK(p["downloads"]["count"] == 0);
      continue;
    }
    ++in_zip;
    CHECK(p["downloads"]["count"] == 1);
    CHECK(p["downloads"]["lastClient"] == "Wget");
    json h = json::parse(b.history(token, std::to_string(p["purchaseId"].get<int64_t>()))->body);
    CHECK(h["total"] == 1);
    REQUIRE(h["downloads"].size() == 1);
    CHECK(h["downloads"][0]["client"] == "Wget");
    std::string file = h["downloads"][0]["file"];
    CHECK(file.size() > 4);
    CHECK(file.substr(file.size() - 4) == ".zip");  // the archive's name
    CHECK(continuata::core::parse_iso8601_utc(h["downloads"][0]["at"].get<std::string>()) == b.now - 60000);
  }
  CHECK(in_zip >= 2);  // a bundle of several purchases, each counted once

  // A purchase's own link afterwards adds to that purchase's history only.
  json drums = b.of(b.purchases(token), "epic-drums-v1");
  CHECK(b.download(b.link(token, drums["purchaseId"].get<int64_t>()), "curl/8.11.0") == 200);
  json after = b.purchases(token);
  CHECK(b.of(after, "epic-drums-v1")["downloads"]["count"] == 2);
  CHECK(b.of(after, "epic-drums-v1")["downloads"]["lastClient"] == "curl");
  CHECK(b.of(after, "orchestral-strings")["downloads"]["count"] == 1);
}

TEST_CASE(
    "download history: a Download everything ZIP across two shops counts once in each, each shop reports "
    "it") {
  Buyers b;
  continuata::testing::TestOrg loops(b.server, "loop-shop");  // a second seller, same buyer
  loops.product("loops", {{"Loops/Beat.wav", std::string(4096, 'b')}});
  loops.buy("demo@example.com", "loop-order-1", "loops");
  std::string token = b.sign_in("demo@example.com");  // /my: no org scope, both shops' purchases
  auto minted = b.server.client().Post("/api/portal/download-url", b.bearer(token),
                                       json{{"all", true}}.dump(), "application/json");
  REQUIRE(minted->status == 200);
  std::string url = json::parse(minted->body)["downloadUrl"];
  std::string path = url.substr(url.find("/download"));
  auto zip = b.server.client().Get(path.c_str(), {{"User-Agent", "Wget/1.21.4"}});
  REQUIRE(zip);
  REQUIRE(zip->status == 200);
  CHECK(zip->body.find("Loops/Beat.wav") != std::string::npos);  // the second shop's folder is in it

  json list = b.purchases(token);
  std::set<std::string> orgs;
  for (const auto& p : list) {
    INFO(p["productId"]);
    if (p["files"].empty()) continue;
    orgs.insert(p["orgId"].get<std::string>());
    CHECK(p["downloads"]["count"] == 1);  // once, though the session is logged once per shop
    json h = json::parse(b.history(token, std::to_string(p["purchaseId"].get<int64_t>()))->body);
    CHECK(h["total"] == 1);
  }
  CHECK(orgs.size() == 2);

  // Each shop's report has the ZIP as one row of its own (kind zip), and nothing of the other's files.
  auto report = b.server.client().Get("/api/reports/downloads?from=2000-01-01&to=2100-01-01", loops.A);
  REQUIRE(report);
  REQUIRE(report->status == 200);
  size_t rows = 0;
  for (size_t at = report->body.find('\n'); at != std::string::npos && at + 1 < report->body.size();
       at = report->body.find('\n', at + 1))
    ++rows;
  CHECK(rows == 1);
  CHECK(report->body.find(",zip") != std::string::npos);
}
