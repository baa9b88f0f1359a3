// The seller API over real HTTP beyond the status codes the OpenAPI test covers: slugs and merge
// updates, streamed uploads and their sha256, path traversal, upload limits, Range resume, ETag,
// expiry, multi-file listings, the CSV report, webhook signatures, replay window and idempotency,
// the admin command line and the demo seed.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/core_time.hpp"
#include "server/crypto_util.hpp"
#include "server/server_admin_cli.hpp"
#include "server/server_fixture.hpp"
#include "server/service_auth.hpp"
#include "server/service_demo.hpp"
#include "server/store_seller.hpp"

using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;

namespace {

struct Seller {
  int64_t now = 1790000000000;  // before the server: its threads read the clock until it stops
  TestServer server;
  std::string admin, member, secret = "whsec_test";
  httplib::Headers A, M;
  explicit Seller(srv::ServerConfig cfg = {}) : server(cfg) {
    auto& ctx = server.app().context();
    ctx.now_ms = [this] { return now; };
    auto& db = ctx.db->connection();
    srv::store::insert_org(db, "acme", "Acme", now);
    srv::store::set_webhook_secret(db, "acme", secret);
    admin = srv::create_api_key(ctx, "acme", srv::Role::Admin);
    member = srv::create_api_key(ctx, "acme", srv::Role::Member);
    A = {{"Authorization", "Bearer " + admin}};
    M = {{"Authorization", "Bearer " + member}};
  }
  httplib::Client c() { return server.client(); }
  json post(const std::string& path, const json& body, int expect) {
    auto r = c().Post(path.c_str(), A, body.dump(), "application/json");
    REQUIRE(r);
    CHECK_MESSAGE(r->status == expect, path << " -> " << r->status << " " << r->body);
    return json::parse(r->body, nullptr, false);
  }
  // A product with one active version holding the given files.
  void product(const std::string& id, const std::vector<std::pair<std::string, std::string>>& files) {
    post("/api/products", {{"name", id}, {"slug", id}}, 201);
    post("/api/products/" + id + "/versions", {{"version", "1.0.0"}}, 201);
    for (auto& [path, content] : files) {
      auto r = c().Put(("/api/products/" + id + "/versions/1.0.0/files/" + path).c_str(), A, content,
                       "application/octet-stream");
      REQUIRE(r);
      REQUIRE(r->status == 201);
    }
    post("/api/products/" + id + "/versions/1.0.0/activate", json::object(), 200);
  }
  std::string mint(const std::string& id) {
    auto j = post("/api/generate-download-url", {{"productId", id}}, 200);
    std::string url = j["downloadUrl"];
    return url.substr(url.find("/download"));
  }
  httplib::Result webhook(const std::string& body, int64_t ts_seconds, const std::string& key = "") {
    std::string ts = std::to_string(ts_seconds);
    std::string sig = "sha256=" + srv::hmac_sha256_hex(key.empty() ? secret : key, ts + "." + body);
    return c().Post("/api/webhooks/acme/purchase",
                    {{"X-Continuata-Timestamp", ts}, {"X-Continuata-Signature", sig}}, body,
                    "application/json");
  }
};

std::string bytes(size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = char((i * 131 + seed * 7 + (i >> 9)) & 0xff);
  return s;
}

}  // namespace

TEST_CASE("keys: missing and bad keys are 401, member keys read but cannot write") {
  Seller s;
  auto none = s.c().Get("/api/products");
  CHECK(none->status == 401);
  CHECK(json::parse(none->body)["error"] == "Invalid API key");
  CHECK(s.c().Get("/api/products", {{"Authorization", "Bearer ck_wrong"}})->status == 401);
  CHECK(s.c().Get("/api/products", {{"Authorization", "Basic " + s.admin}})->status == 401);
  CHECK(s.c().Get("/api/products", s.M)->status == 200);
  auto w = s.c().Post("/api/products", s.M, R"({"name":"X","slug":"x"})", "application/json");
  CHECK(w->status == 403);
  CHECK(json::parse(w->body)["error"].get<std::string>().find("admin") != std::string::npos);
  CHECK(s.c().Get("/api/reports/downloads?from=2026-01-01&to=2026-01-02", s.M)->status == 403);
}

TEST_CASE("products: created as drafts with normalised slugs; merge updates; clear 400s") {
  Seller s;
  auto p = s.post("/api/products", {{"name", "My Kit"}, {"slug", " My Kit_2 "}, {"description", "d"}}, 201);
  CHECK(p["id"] == "my-kit-2");
  CHECK(p["slug"] == "my-kit-2");
  CHECK(p["status"] == "draft");
  CHECK(p["orgId"] == "acme");
  CHECK(continuata::core::parse_iso8601_utc(p["createdAt"].get<std::string>()) == s.now);
  s.post("/api/products", {{"name", "Again"}, {"slug", "my-kit-2"}}, 409);
  s.post("/api/products", {{"name", "Bad"}, {"slug", "über!"}}, 400);
  s.post("/api/products", {{"name", 5}, {"slug", "x"}}, 400);
  s.post("/api/products", {{"name", "X"}, {"slug", "x"}, {"price", 1}}, 400);

  auto u = s.c().Put("/api/products/my-kit-2", s.A, R"({"description":"new"})", "application/json");
  REQUIRE(u->status == 200);
  CHECK(json::parse(u->body)["name"] == "My Kit");
  CHECK(json::parse(u->body)["description"] == "new");
  auto bad = s.c().Put("/api/products/my-kit-2", s.A, R"({"colour":"red"})", "application/json");
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body)["error"].get<std::string>().find("colour") != std::string::npos);
  CHECK(s.c().Put("/api/products/my-kit-2", s.A, R"({"slug":"x"})", "application/json")->status == 400);
  CHECK(s.c().Put("/api/products/my-kit-2", s.A, R"({"status":"gone"})", "application/json")->status == 400);
  CHECK(s.c().Put("/api/products/my-kit-2", s.A, "{not json", "application/json")->status == 400);
  auto list = json::parse(s.c().Get("/api/products", s.A)->body);
  REQUIRE(list.size() == 1);
  CHECK(list[0]["product"]["description"] == "new");
  CHECK(list[0]["activeVersion"].is_null());
}

TEST_CASE("uploads stream to disk with the right sha256; bad paths and sizes are refused") {
  srv::ServerConfig cfg;
  cfg.max_upload_bytes = 4 << 20;
  Seller s(cfg);
  s.post("/api/products", {{"name", "Kit"}, {"slug", "kit"}}, 201);
  s.post("/api/products/kit/versions", {{"version", "1.0.0"}}, 201);
  std::string content = bytes(3 << 20, 1);
  auto up =
      s.c().Put("/api/products/kit/versions/1.0.0/files/Kit.zip", s.A, content, "application/octet-stream");
  REQUIRE(up->status == 201);
  CHECK(json::parse(up->body)["sha256"] == srv::sha256_hex(content));
  CHECK(json::parse(up->body)["size"] == content.size());
  for (std::string bad : {"..%2Fescape", "a/../b", "a//b", "a%5Cb", "%2E%2E", "./a", "a%00b"}) {
    auto r = s.c().Put(("/api/products/kit/versions/1.0.0/files/" + bad).c_str(), s.A, "x",
                       "application/octet-stream");
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 400, bad);
  }
  // Over the limit by Content-Length: refused before the body is read.
  std::string head =
      "PUT /api/products/kit/versions/1.0.0/files/big.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
      s.admin + "\r\nContent-Type: application/octet-stream\r\n";
  CHECK(s.server.raw_request(head + "Content-Length: " + std::to_string(5 << 20) + "\r\n\r\nxx")
            .rfind("HTTP/1.1 413", 0) == 0);
  // Over the limit while streaming (chunked, no length up front): stopped at the limit.
  std::string chunk = bytes(1 << 20, 2), chunked = head + "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) chunked += "100000\r\n" + chunk + "\r\n";
  CHECK(s.server.raw_request(chunked + "0\r\n\r\n").rfind("HTTP/1.1 413", 0) == 0);
  // Nothing but the one good upload reached the manifest or the disk.
  auto manifest = json::parse(s.c().Get("/api/products/kit/versions/1.0.0", s.A)->body);
  REQUIRE(manifest["files"].size() == 1);
  size_t stored = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(s.server.dir() / "files"))
    stored += e.is_regular_file();
  CHECK(stored == 1);

  s.post("/api/products/kit/versions/1.0.0/activate", json::object(), 200);
  auto late =
      s.c().Put("/api/products/kit/versions/1.0.0/files/more.zip", s.A, "x", "application/octet-stream");
  CHECK(late->status == 409);
  auto list = json::parse(s.c().Get("/api/products", s.A)->body);
  CHECK(list[0]["activeVersion"]["version"] == "1.0.0");
  CHECK(list[0]["product"]["activeVersionId"] == list[0]["activeVersion"]["id"]);
}

TEST_CASE("generate-download-url: the documented shape, 24 hours, and the exact 404 message") {
  Seller s;
  s.product("kit", {{"Kit.zip", "abc"}});
  auto j = s.post("/api/generate-download-url", {{"productId", "kit"}, {"version", "1.0.0"}}, 200);
  CHECK(j["success"] == true);
  CHECK(j["productId"] == "kit");
  CHECK(j["version"] == "1.0.0");
  std::string token = j["downloadToken"];
  CHECK(token.size() == 64);
  CHECK(j["downloadUrl"] == s.server.app().config().public_url + "/download?token=" + token);
  CHECK(continuata::core::parse_iso8601_utc(j["expiresAt"].get<std::string>()) == s.now + 24LL * 3600 * 1000);
  CHECK(s.post("/api/generate-download-url", {{"productId", "nope"}, {"version", "1.0.0"}}, 404)["error"] ==
        "No active manifest for nope@1.0.0");
  CHECK(s.post("/api/generate-download-url", {{"productId", "kit"}, {"version", "2.0.0"}}, 404)["error"] ==
        "No active manifest for kit@2.0.0");
  s.post("/api/generate-download-url", {{"productId", 7}}, 400);
}

TEST_CASE("downloads: Range resume reassembles the exact file; ETag, 304, 416, expiry") {
  Seller s;
  std::string content = bytes(700 * 1024, 3);
  s.product("kit", {{"Kits/Kit – Vol. 1.zip", content}});
  std::string url = s.mint("kit");
  auto full = s.c().Get(url.c_str());
  REQUIRE(full->status == 200);
  CHECK(full->body == content);
  CHECK(full->get_header_value("Content-Length") == std::to_string(content.size()));
  CHECK(full->get_header_value("ETag") == "\"" + srv::sha256_hex(content) + "\"");
  // Read raw: httplib's client percent-decodes header values it receives.
  std::string head = s.server.raw_request(
      "GET " + url + " HTTP/1.1\r\nHost: x\r\nRange: bytes=0-0\r\nConnection: close\r\n\r\n");
  CHECK(head.find("Content-Disposition: attachment; filename=\"Kit _ Vol. 1.zip\"; "
                  "filename*=UTF-8''Kit%20%E2%80%93%20Vol.%201.zip\r\n") != std::string::npos);

  auto first = s.c().Get(url.c_str(), {{"Range", "bytes=0-99999"}});
  REQUIRE(first->status == 206);
  CHECK(first->get_header_value("Content-Range") == "bytes 0-99999/" + std::to_string(content.size()));
  auto rest = s.c().Get(url.c_str(), {{"Range", "bytes=100000-"}});
  REQUIRE(rest->status == 206);
  CHECK(srv::sha256_hex(first->body + rest->body) == srv::sha256_hex(content));
  auto tail = s.c().Get(url.c_str(), {{"Range", "bytes=-10"}});
  CHECK(tail->body == content.substr(content.size() - 10));

  auto none = s.c().Get(url.c_str(), {{"Range", "bytes=" + std::to_string(content.size()) + "-"}});
  CHECK(none->status == 416);
  CHECK(none->get_header_value("Content-Range") == "bytes */" + std::to_string(content.size()));
  CHECK(s.c().Get(url.c_str(), {{"If-None-Match", full->get_header_value("ETag")}})->status == 304);

  auto unknown = s.c().Get("/download?token=0000");
  CHECK(unknown->status == 404);
  CHECK(unknown->get_header_value("Content-Type").rfind("text/html", 0) == 0);
  s.now += 24LL * 3600 * 1000 + 1;
  auto expired = s.c().Get(url.c_str());
  CHECK(expired->status == 410);
  CHECK(expired->body.find("expired") != std::string::npos);
}

TEST_CASE("a version with several files lists them, each downloads; the report counts byte-0 starts") {
  Seller s;
  s.product("pack", {{"a.txt", "alpha"}, {"docs/b.txt", "bravo"}});
  std::string url = s.mint("pack");
  auto listing = s.c().Get(url.c_str());
  REQUIRE(listing->status == 200);
  CHECK(listing->body.find("a.txt") != std::string::npos);
  CHECK(listing->body.find("&amp;file=docs%2Fb.txt") != std::string::npos);
  CHECK(s.c().Get((url + "&file=a.txt").c_str())->body == "alpha");
  CHECK(s.c().Get((url + "&file=docs%2Fb.txt").c_str(), {{"User-Agent", "Get \"It\", Now"}})->body ==
        "bravo");
  CHECK(s.c().Get((url + "&file=docs%2Fb.txt").c_str(), {{"Range", "bytes=2-"}})->body == "avo");
  CHECK(s.c().Get((url + "&file=missing").c_str())->status == 404);

  auto report = s.c().Get("/api/reports/downloads?from=2026-01-01&to=2026-12-31", s.A);
  REQUIRE(report->status == 200);
  CHECK(report->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
  std::string csv = report->body;
  CHECK(csv.rfind("downloaded_at,order_id,email,product_id,version,file,range_start,range_end,new_download,",
                  0) == 0);
  size_t rows = 0;
  for (size_t at = csv.find("\r\n"); at != std::string::npos && at + 2 < csv.size();
       at = csv.find("\r\n", at + 2))
    ++rows;
  CHECK(rows == 3);  // the listing page is not a file download
  CHECK(csv.find(",docs/b.txt,0,4,yes,api,") != std::string::npos);
  CHECK(csv.find(",docs/b.txt,2,4,no,api,") != std::string::npos);
  CHECK(csv.find(",\"Get \"\"It\"\", Now\",file\r\n") != std::string::npos);  // RFC 4180 quoting
  CHECK(s.c().Get("/api/reports/downloads?from=2026-13-01&to=2026-12-31", s.A)->status == 400);
  CHECK(s.c().Get("/api/reports/downloads?from=2026-05-01&to=2026-04-01", s.A)->status == 400);
  CHECK(s.c().Get("/api/reports/downloads?to=2026-04-01", s.A)->status == 400);
  auto empty = s.c().Get("/api/reports/downloads?from=2020-01-01&to=2020-01-31", s.A);
  CHECK(std::count(empty->body.begin(), empty->body.end(), '\n') == 1);
}

TEST_CASE("webhook: signed, inside the replay window, idempotent, committed before the answer") {
  Seller s;
  s.product("kit", {{"Kit.zip", "abc"}});
  std::string body = R"({"orderId":"A-1","email":" Buyer@Example.com","items":[{"productId":"kit"}]})";
  int64_t ts = s.now / 1000;
  auto ok = s.webhook(body, ts);
  REQUIRE(ok->status == 200);
  auto first = json::parse(ok->body);
  CHECK(first["success"] == true);
  CHECK(first["orderId"] == "A-1");
  int64_t id = first["purchases"][0]["purchaseId"];
  auto again = s.webhook(body, ts + 1);
  REQUIRE(again->status == 200);
  CHECK(json::parse(again->body)["purchases"][0]["purchaseId"] == id);
  auto all = json::parse(s.c().Get("/api/purchases", s.M)->body);
  REQUIRE(all.size() == 1);
  CHECK(all[0]["email"] == " Buyer@Example.com");
  CHECK(all[0]["version"] == "1.0.0");

  CHECK(s.webhook(body, ts, "wrong-secret")->status == 401);
  CHECK(s.webhook(body, ts - 301)->status == 401);
  CHECK(s.webhook(body, ts + 301)->status == 401);
  auto tampered = s.c().Post("/api/webhooks/acme/purchase",
                             {{"X-Continuata-Timestamp", std::to_string(ts)},
                              {"X-Continuata-Signature",
                               "sha256=" + srv::hmac_sha256_hex(s.secret, std::to_string(ts) + "." + body)}},
                             body + " ", "application/json");
  CHECK(tampered->status == 401);
  CHECK(s.webhook(R"({"orderId":"B","email":"b@example.com","items":[{"productId":"nope"}]})", ts)->status ==
        404);
  CHECK(s.webhook(R"({"orderId":"B","items":[{"productId":"kit"}]})", ts)->status == 400);
  CHECK(s.webhook(R"({"orderId":"B","email":"b@example.com","items":[]})", ts)->status == 400);
  CHECK(json::parse(s.c().Get("/api/purchases", s.M)->body).size() == 1);  // nothing half-stored
}

TEST_CASE("admin command line sets up an org without a dashboard") {
  TestServer t;
  auto& ctx = t.app().context();
  CHECK(srv::run_admin_command(ctx, {"create-org", "--id", "shop", "--name", "Shop"}) == 0);
  CHECK(srv::run_admin_command(ctx, {"create-org", "--id", "shop", "--name", "Shop"}) == 1);
  CHECK(srv::run_admin_command(ctx, {"create-key", "--org", "shop", "--role", "admin"}) == 0);
  CHECK(srv::run_admin_command(ctx, {"create-key", "--org", "shop", "--role", "boss"}) == 2);
  CHECK(srv::run_admin_command(ctx, {"create-key", "--org", "nope", "--role", "admin"}) == 1);
  CHECK(srv::run_admin_command(ctx, {"create-webhook-secret", "--org", "shop"}) == 0);
  CHECK(srv::run_admin_command(ctx, {"allow-origin", "--org", "shop", "--origin", "https://shop.example"}) ==
        0);
  CHECK(srv::run_admin_command(
            ctx, {"allow-origin", "--org", "shop", "--origin", "https://shop.example/path"}) == 2);
  CHECK(srv::run_admin_command(
            ctx, {"set-portal-url", "--org", "shop", "--url", "https://shop.example/downloads"}) == 0);
  CHECK(srv::run_admin_command(ctx, {"frobnicate"}) == 2);
  auto org = srv::store::find_org(ctx.db->connection(), "shop");
  REQUIRE(org);
  CHECK(org->webhook_secret.value().rfind("whsec_", 0) == 0);
  CHECK(org->portal_url == "https://shop.example/downloads");
  CHECK(srv::store::orgs_allowing_origin(ctx.db->connection(), "https://shop.example") ==
        std::vector<std::string>{"shop"});
}

TEST_CASE("the demo seed: three products with active versions, idempotent") {
  TestServer t;
  std::string key = srv::seed_demo(t.app().context());
  CHECK(key.rfind("ck_", 0) == 0);
  auto list = json::parse(t.client().Get("/api/products", {{"Authorization", "Bearer " + key}})->body);
  REQUIRE(list.size() == 3);
  for (auto& row : list) CHECK(row["activeVersion"].is_object());
  CHECK(srv::seed_demo(t.app().context()) == key);
  CHECK(json::parse(t.client().Get("/api/products", {{"Authorization", "Bearer " + key}})->body).size() == 3);
}
