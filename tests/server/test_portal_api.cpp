// The customer portal API over real HTTP with the dev outbox: the whole flow, every limit (code
// expiry, tries, rate limits, replacement), no enumeration, no cross-customer access, CORS, and
// bad input.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "core/core_api.hpp"
#include "core/core_time.hpp"
#include "server/crypto_util.hpp"
#include "server/server_fixture.hpp"
#include "server/service_demo.hpp"
#include "server/store_seller.hpp"

using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;

namespace {

struct Portal {
  int64_t now = 1790000000000;  // moved by hand; declared before the server, whose threads read it
  TestServer server;
  explicit Portal(srv::ServerConfig cfg = demo_config()) : server(cfg) {
    server.app().context().now_ms = [this] { return now; };
    srv::seed_demo(server.app().context());
  }
  static srv::ServerConfig demo_config() {
    srv::ServerConfig c;
    c.demo = true;
    return c;
  }
  httplib::Result post(const std::string& path, const json& body, const std::string& token = "",
                       const std::string& ip_header = "") {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    if (!ip_header.empty()) h.emplace("Origin", ip_header);
    return server.client().Post(path.c_str(), h, body.dump(), "application/json");
  }
  httplib::Result get(const std::string& path, const std::string& token = "") {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return server.client().Get(path.c_str(), h);
  }
  std::string code_for(const std::string& email) {
    auto r = get("/api/dev/outbox?to=" + email);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    auto list = json::parse(r->body);
    REQUIRE(!list.empty());
    std::smatch m;
    std::string text = list[0]["text"];
    REQUIRE(std::regex_search(text, m, std::regex(R"(\b(\d{6})\b)")));
    return m[1];
  }
  std::string sign_in(const std::string& email) {
    auto r = post("/api/portal/verification", {{"email", email}});
    REQUIRE(r);
    REQUIRE(r->status == 202);
    auto s = post("/api/portal/session", {{"email", email}, {"code", code_for(email)}});
    REQUIRE(s);
    REQUIRE(s->status == 200);
    return json::parse(s->body)["sessionToken"];
  }
};

json body_of(const httplib::Result& r) {
  return json::parse(r->body, nullptr, false);
}

}  // namespace

TEST_CASE("whole flow: code by mail, session, purchases, link that downloads, sign out") {
  Portal p;
  auto v = p.post("/api/portal/verification", {{"email", "  DEMO@example.com "}});
  REQUIRE(v);
  CHECK(v->status == 202);
  auto outbox = body_of(p.get("/api/dev/outbox?to=demo@example.com"));
  REQUIRE(outbox.size() == 1);
  std::string text = outbox[0]["text"], html = outbox[0]["html"];
  std::string code = p.code_for("demo@example.com");
  CHECK(text.find("/my?email=demo%40example.com&code=" + code) != std::string::npos);
  CHECK(html.find(code) != std::string::npos);
  CHECK(std::string(outbox[0]["subject"]).find("Audio Company") == std::string::npos);  // not org-scoped

  auto s = p.post("/api/portal/session", {{"email", "demo@example.com"}, {"code", code}});
  REQUIRE(s);
  REQUIRE(s->status == 200);
  auto session = body_of(s);
  std::string token = session["sessionToken"];
  CHECK(token.size() == 64);
  CHECK(session["email"] == "demo@example.com");
  CHECK(continuata::core::parse_iso8601_utc(session["expiresAt"].get<std::string>()) ==
        p.now + 7LL * 24 * 3600 * 1000);

  auto list = body_of(p.get("/api/portal/purchases", token));
  REQUIRE(list["purchases"].size() == 3);  // two recorded as demo@, one as Demo@ (case differs)
  CHECK(list["email"] == "demo@example.com");
  json drums;
  for (auto& row : list["purchases"]) {
    for (const char* k : {"purchaseId", "orderId", "purchasedAt", "productId", "productName",
                          "purchasedVersion", "latestVersion", "files"})
      CHECK_MESSAGE(row.contains(k), k);
    if (row["productId"] == "epic-drums-v1") drums = row;
    CHECK(row["orderId"] != "order-2001");  // someone else's purchase
  }
  REQUIRE(drums.is_object());
  CHECK(drums["purchasedVersion"] == "1.0.0");
  CHECK(drums["latestVersion"] == "1.1.0");
  REQUIRE(drums["files"].size() == 1);
  CHECK(drums["files"][0]["path"] == "Epic-Drum-Kit-1.1.0.zip");

  auto link = p.post("/api/portal/download-url", {{"purchaseId", drums["purchaseId"]}}, token);
  REQUIRE(link);
  REQUIRE(link->status == 200);
  auto l = body_of(link);
  CHECK(l["success"] == true);
  CHECK(l["productId"] == "epic-drums-v1");
  CHECK(l["version"] == "1.1.0");
  CHECK(continuata::core::parse_iso8601_utc(l["expiresAt"].get<std::string>()) == p.now + 24LL * 3600 * 1000);
  std::string url = l["downloadUrl"];
  auto file = p.server.client().Get(url.substr(url.find("/download")).c_str());
  REQUIRE(file);
  CHECK(file->status == 200);
  CHECK(srv::sha256_hex(file->body) == drums["files"][0]["sha256"]);

  // The customer may also ask for the version they bought.
  auto old =
      p.post("/api/portal/download-url", {{"purchaseId", drums["purchaseId"]}, {"version", "1.0.0"}}, token);
  REQUIRE(old);
  CHECK(body_of(old)["version"] == "1.0.0");

  auto out = p.server.client().Delete("/api/portal/session", {{"Authorization", "Bearer " + token}});
  REQUIRE(out);
  CHECK(out->status == 204);
  auto after = p.get("/api/portal/purchases", token);
  REQUIRE(after);
  CHECK(after->status == 401);
  CHECK(body_of(after)["error"] == "Your session has ended. Please sign in again.");
}

TEST_CASE("each file of a multi-file purchase downloads by itself from core's file URL") {
  Portal p;
  std::string token = p.sign_in("demo@example.com");
  json presets, list = body_of(p.get("/api/portal/purchases", token));
  for (auto& row : list["purchases"])
    if (row["productId"] == "analog-synth-presets") presets = row;
  REQUIRE(presets["files"].size() == 3);
  auto minted = continuata::core::parse_download_link(
      p.post("/api/portal/download-url", {{"purchaseId", presets["purchaseId"]}}, token)->body);
  REQUIRE(minted);
  for (auto& f : presets["files"]) {
    std::string path = f["path"];  // "Manual/Analog Synth Presets – Manual.txt": a slash, spaces, UTF-8
    std::string url = continuata::core::file_download_url(minted->url, path);
    CAPTURE(url);
    auto r = p.server.client().Get(url.substr(url.find("/download")).c_str());
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(srv::sha256_hex(r->body) == f["sha256"]);
    CHECK(r->get_header_value("Content-Disposition").find("attachment") == 0);
  }
}

TEST_CASE("no enumeration: known and unknown emails get the same status and body") {
  Portal p;
  auto known = p.post("/api/portal/verification", {{"email", "demo@example.com"}});
  auto unknown = p.post("/api/portal/verification", {{"email", "nobody-at-all@example.com"}});
  REQUIRE(known);
  REQUIRE(unknown);
  CHECK(known->status == unknown->status);
  CHECK(known->body == unknown->body);
  // An unknown email can sign in; its library is simply empty.
  std::string token = p.sign_in("nobody2@example.com");
  CHECK(body_of(p.get("/api/portal/purchases", token))["purchases"].empty());
}

TEST_CASE("wrong codes count down, then the code dies; a used code does not work twice") {
  Portal p;
  p.post("/api/portal/verification", {{"email", "demo@example.com"}});
  std::string code = p.code_for("demo@example.com");
  std::string wrong = code == "000000" ? "111111" : "000000";
  for (int left = 4; left >= 1; --left) {
    auto r = p.post("/api/portal/session", {{"email", "demo@example.com"}, {"code", wrong}});
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(body_of(r)["triesLeft"] == left);
    CHECK(std::string(body_of(r)["error"])
              .find(std::to_string(left) + (left == 1 ? " try left" : " tries left")) != std::string::npos);
  }
  auto last = p.post("/api/portal/session", {{"email", "demo@example.com"}, {"code", wrong}});
  REQUIRE(last);
  CHECK(last->status == 410);
  CHECK(std::string(body_of(last)["error"]).find("no tries left") != std::string::npos);
  auto right_too_late = p.post("/api/portal/session", {{"email", "demo@example.com"}, {"code", code}});
  REQUIRE(right_too_late);
  CHECK(right_too_late->status == 401);

  p.now += 61000;
  std::string token = p.sign_in("demo@example.com");
  CHECK(!token.empty());
  auto reuse = p.post("/api/portal/session",
                      {{"email", "demo@example.com"}, {"code", p.code_for("demo@example.com")}});
  REQUIRE(reuse);
  CHECK(reuse->status == 401);
}

TEST_CASE("codes expire after 10 minutes and a new request replaces the old code") {
  Portal p;
  p.post("/api/portal/verification", {{"email", "demo@example.com"}});
  std::string first = p.code_for("demo@example.com");
  p.now += 10 * 60 * 1000;
  auto expired = p.post("/api/portal/session", {{"email", "demo@example.com"}, {"code", first}});
  REQUIRE(expired);
  CHECK(expired->status == 410);
  CHECK(body_of(expired)["error"] == "This code has expired. Ask for a new code.");

  p.post("/api/portal/verification", {{"email", "demo@example.com"}});
  std::string second = p.code_for("demo@example.com");
  p.post("/api/portal/verification", {{"email", "demo@example.com"}});
  std::string third = p.code_for("demo@example.com");
  if (second != third) {
    auto old = p.post("/api/portal/session", {{"email", "demo@example.com"}, {"code", second}});
    REQUIRE(old);
    CHECK(old->status == 401);
  }
  auto fresh = p.post("/api/portal/session", {{"email", "demo@example.com"}, {"code", third}});
  REQUIRE(fresh);
  CHECK(fresh->status == 200);
}

TEST_CASE("sessions expire after 7 days") {
  Portal p;
  std::string token = p.sign_in("demo@example.com");
  p.now += 7LL * 24 * 3600 * 1000 - 1000;
  CHECK(p.get("/api/portal/purchases", token)->status == 200);
  p.now += 2000;
  CHECK(p.get("/api/portal/purchases", token)->status == 401);
}

TEST_CASE("per-email and per-IP rate limits answer 429 with Retry-After") {
  Portal p;
  for (int i = 0; i < 5; ++i)
    CHECK(p.post("/api/portal/verification", {{"email", "a@example.com"}})->status == 202);
  auto limited = p.post("/api/portal/verification", {{"email", "A@example.com"}});
  REQUIRE(limited);
  CHECK(limited->status == 429);
  int wait = std::stoi(limited->get_header_value("Retry-After"));
  CHECK(wait >= 1);
  CHECK(wait <= 60);
  CHECK(body_of(limited)["retryAfter"] == wait);
  CHECK(std::string(body_of(limited)["error"]).find("Try again in") != std::string::npos);
  p.now += 61000;
  CHECK(p.post("/api/portal/verification", {{"email", "a@example.com"}})->status == 202);

  // 20 an hour per email, even spread out.
  Portal q;
  int accepted = 0;
  for (int i = 0; i < 25; ++i) {
    q.now += 61000;
    if (q.post("/api/portal/verification", {{"email", "b@example.com"}})->status == 202) ++accepted;
  }
  CHECK(accepted == 20);

  // Per IP: 20 a minute across different emails from one address.
  Portal r;
  int ok = 0, limited_ip = 0;
  for (int i = 0; i < 22; ++i) {
    int status =
        r.post("/api/portal/verification", {{"email", "c" + std::to_string(i) + "@example.com"}})->status;
    ok += status == 202;
    limited_ip += status == 429;
  }
  CHECK(ok == 20);
  CHECK(limited_ip == 2);
}

TEST_CASE("another customer's purchase is a 404, like one that does not exist") {
  Portal p;
  std::string token = p.sign_in("demo@example.com");
  auto api_key = srv::seed_demo(p.server.app().context());
  auto all = p.server.client().Get("/api/purchases", {{"Authorization", "Bearer " + api_key}});
  int64_t theirs = 0;
  for (auto& row : json::parse(all->body))
    if (row["email"] == "someone.else@example.com") theirs = row["id"];
  REQUIRE(theirs > 0);
  auto r = p.post("/api/portal/download-url", {{"purchaseId", theirs}}, token);
  REQUIRE(r);
  CHECK(r->status == 404);
  auto missing = p.post("/api/portal/download-url", {{"purchaseId", 999999}}, token);
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(r->body == missing->body);
}

TEST_CASE("bad input gets a clear 400 (or 413), nothing stored") {
  Portal p;
  struct Case {
    std::string path, body;
    int status;
  };
  std::vector<Case> cases = {
      {"/api/portal/verification", "not json", 400},
      {"/api/portal/verification", "{}", 400},
      {"/api/portal/verification", R"({"email": 42})", 400},
      {"/api/portal/verification", R"({"email": "no-at-sign"})", 400},
      {"/api/portal/verification", R"({"email": "a@b"})", 400},
      {"/api/portal/verification", "[\"a@example.com\"]", 400},
      {"/api/portal/verification", "{\"email\": \"a\xff@example.com\"}", 400},  // not UTF-8
      {"/api/portal/verification", R"({"email": "a@example.com", "org": 7})", 400},
      {"/api/portal/session", R"({"email": "demo@example.com"})", 400},
      {"/api/portal/session", R"({"email": "demo@example.com", "code": 123456})", 400},
      {"/api/portal/session", R"({"email": "demo@example.com", "code": "12345a"})", 400},
  };
  for (auto& c : cases) {
    auto r = p.server.client().Post(c.path.c_str(), c.body, "application/json");
    REQUIRE(r);
    CHECK_MESSAGE(r->status == c.status, c.path << " " << c.body.substr(0, 60));
    auto j = json::parse(r->body, nullptr, false);
    CHECK_MESSAGE((j.is_object() && j.contains("error") && j["error"].is_string()), r->body);
  }
  CHECK(json::parse(p.get("/api/dev/outbox?to=a@example.com")->body).empty());

  // A body over 1 MiB is refused from its Content-Length, before it is read.
  std::string answer = p.server.raw_request(
      "POST /api/portal/verification HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 2097152\r\n\r\n{");
  CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(answer.find("{\"error\":\"Request body too large: at most 1 MiB\"}") != std::string::npos);
  // Chunked bodies (no length to check up front) are refused on the JSON endpoints, in any case.
  for (std::string coding : {"chunked", "Chunked", "CHUNKED"}) {
    answer = p.server.raw_request("POST /api/portal/verification HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " +
                                  coding + "\r\n\r\n1\r\n{\r\n");
    CHECK(answer.rfind("HTTP/1.1 411", 0) == 0);
  }

  std::string token = p.sign_in("demo@example.com");
  for (std::string body : {R"({})", R"({"purchaseId": "x"})", R"({"purchaseId": 1, "version": 2})", "nope"}) {
    auto r = p.server.client().Post("/api/portal/download-url", {{"Authorization", "Bearer " + token}}, body,
                                    "application/json");
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 400, body);
  }
  CHECK(p.get("/api/portal/purchases")->status == 401);
  CHECK(p.get("/api/portal/purchases", "not-a-token")->status == 401);
}

TEST_CASE("CORS: allowed origins get headers and preflights, others do not; no credentials") {
  Portal p;
  srv::store::add_origin(p.server.app().context().db->connection(), srv::kDemoOrg, "https://shop.example");
  auto c = p.server.client();
  auto pre = c.Options("/api/portal/session", {{"Origin", "https://shop.example"},
                                               {"Access-Control-Request-Method", "POST"},
                                               {"Access-Control-Request-Headers", "content-type"}});
  REQUIRE(pre);
  CHECK(pre->status == 204);
  CHECK(pre->get_header_value("Access-Control-Allow-Origin") == "https://shop.example");
  CHECK(pre->get_header_value("Access-Control-Allow-Headers").find("Authorization") != std::string::npos);
  CHECK(pre->get_header_value("Access-Control-Allow-Methods").find("DELETE") != std::string::npos);
  CHECK_FALSE(pre->has_header("Access-Control-Allow-Credentials"));

  auto actual = c.Post("/api/portal/verification", {{"Origin", "https://shop.example"}},
                       R"({"email":"demo@example.com"})", "application/json");
  REQUIRE(actual);
  CHECK(actual->get_header_value("Access-Control-Allow-Origin") == "https://shop.example");
  auto error = c.Get("/api/portal/purchases", {{"Origin", "https://shop.example"}});
  REQUIRE(error);
  CHECK(error->status == 401);
  CHECK(error->get_header_value("Access-Control-Allow-Origin") == "https://shop.example");

  auto evil = c.Options("/api/portal/session", {{"Origin", "https://evil.example"}});
  REQUIRE(evil);
  CHECK(evil->status == 403);
  CHECK_FALSE(evil->has_header("Access-Control-Allow-Origin"));
  auto evil_post = c.Post("/api/portal/verification", {{"Origin", "https://evil.example"}},
                          R"({"email":"demo@example.com"})", "application/json");
  REQUIRE(evil_post);
  CHECK_FALSE(evil_post->has_header("Access-Control-Allow-Origin"));
}

TEST_CASE("org-scoped verification: the mail names the org, the magic link goes to its portal URL") {
  Portal p;
  auto& db = p.server.app().context().db->connection();
  srv::store::set_portal_url(db, srv::kDemoOrg, "https://shop.example/downloads");
  p.post("/api/portal/verification", {{"email", "demo@example.com"}, {"org", srv::kDemoOrg}});
  auto m = json::parse(p.get("/api/dev/outbox?to=demo@example.com")->body)[0];
  CHECK(std::string(m["subject"]).find("Audio Company") != std::string::npos);
  std::string code = p.code_for("demo@example.com");
  CHECK(std::string(m["text"]).find("https://shop.example/downloads?email=demo%40example.com&code=" + code) !=
        std::string::npos);
  auto s = p.post("/api/portal/session", {{"email", "demo@example.com"}, {"code", code}});
  std::string token = body_of(s)["sessionToken"];
  CHECK(body_of(p.get("/api/portal/purchases", token))["purchases"].size() == 3);
}

TEST_CASE("the dev outbox exists only with --demo or --dev") {
  TestServer plain;
  auto r = plain.client().Get("/api/dev/outbox?to=a@example.com");
  REQUIRE(r);
  CHECK(r->status == 404);
}

TEST_CASE("a browser's Accept-Encoding gets gzip, never Brotli's slow quality 11") {
  Portal p;
  std::string token = p.sign_in("demo@example.com");
  std::string answer = p.server.raw_request(
      "GET /api/portal/purchases HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Accept-Encoding: gzip, deflate, br, zstd\r\nAuthorization: Bearer " +
      token + "\r\n\r\n");
  std::string head = answer.substr(0, answer.find("\r\n\r\n"));
  CHECK(head.find("200 OK") != std::string::npos);
  CHECK(head.find("Content-Encoding: gzip") != std::string::npos);
  CHECK(head.find("Content-Encoding: br") == std::string::npos);
}
