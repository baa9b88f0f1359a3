// Two orgs on one server, each trying to reach the other's data: every seller route with the
// other org's key, webhooks signed by the other org, and portal sessions across the orgs'
// widget origins. Nothing of org A is readable or writable through org B.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "server/org_fixture.hpp"
#include "server/store_seller.hpp"

using continuata::testing::TestOrg;
using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;

namespace {

srv::ServerConfig dev_config() {
  srv::ServerConfig c;
  c.dev = true;  // the dev outbox, for the codes
  return c;
}

struct TwoOrgs {
  TestServer server{dev_config()};
  TestOrg a{server, "alpha"}, b{server, "beta"};
  TwoOrgs() {
    a.product("alpha-pack", {{"a.txt", "alpha bytes"}});
    b.product("beta-pack", {{"b.txt", "beta bytes"}});
    auto& db = server.app().context().db->connection();
    srv::store::add_origin(db, "alpha", "https://alpha.example");
    srv::store::add_origin(db, "beta", "https://beta.example");
    a.buy("buyer@example.com", "A-1", "alpha-pack");
    b.buy("buyer@example.com", "B-1", "beta-pack");
  }
  httplib::Result portal(const std::string& method, const std::string& path, const json& body,
                         const std::string& origin, const std::string& token = "") {
    httplib::Headers h;
    if (!origin.empty()) h.emplace("Origin", origin);
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    auto c = server.client();
    if (method == "GET") return c.Get(path.c_str(), h);
    if (method == "DELETE") return c.Delete(path.c_str(), h);
    return c.Post(path.c_str(), h, body.dump(), "application/json");
  }
  std::string code(const std::string& email) {
    auto r = server.client().Get(("/api/dev/outbox?to=" + email).c_str());
    std::string text = json::parse(r->body)[0]["text"];
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex(R"(\b(\d{6})\b)")));
    return m[1];
  }
  // Signs in on `origin` (asking for `org`, if given) and returns the session token.
  std::string sign_in(const std::string& origin, const std::string& org = "") {
    json v = {{"email", "buyer@example.com"}};
    if (!org.empty()) v["org"] = org;
    REQUIRE(portal("POST", "/api/portal/verification", v, origin)->status == 202);
    auto s = portal("POST", "/api/portal/session",
                    {{"email", "buyer@example.com"}, {"code", code("buyer@example.com")}}, origin);
    REQUIRE(s->status == 200);
    return json::parse(s->body)["sessionToken"];
  }
  std::vector<std::string> products(const std::string& origin, const std::string& token) {
    auto r = portal("GET", "/api/portal/purchases", {}, origin, token);
    REQUIRE(r->status == 200);
    std::vector<std::string> out;
    json body = json::parse(r->body);
    for (auto& p : body["purchases"]) out.push_back(p["productId"]);
    return out;
  }
};

}  // namespace

TEST_CASE("tenants: org B's key reaches none of org A's products, versions, files, links or reports") {
  TwoOrgs t;
  auto c = t.server.client();
  auto listed = json::parse(c.Get("/api/products", t.b.A)->body);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["product"]["id"] == "beta-pack");
  CHECK(c.Put("/api/products/alpha-pack", t.b.A, R"({"name":"stolen"})", "application/json")->status == 404);
  CHECK(t.b.post("/api/products/alpha-pack/versions", {{"version", "9.0.0"}})->status == 404);
  CHECK(c.Get("/api/products/alpha-pack/versions/1.0.0", t.b.A)->status == 404);
  CHECK(c.Put("/api/products/alpha-pack/versions/1.0.0/files/x.txt", t.b.A, "x", "application/octet-stream")
            ->status == 404);
  CHECK(t.b.post("/api/products/alpha-pack/versions/1.0.0/activate", json::object())->status == 404);
  auto mint = t.b.post("/api/generate-download-url", {{"productId", "alpha-pack"}});
  CHECK(mint->status == 404);
  CHECK(json::parse(mint->body)["error"] == "No active manifest for alpha-pack@latest");
  // Purchases and reports: only the key's own org.
  auto purchases = json::parse(c.Get("/api/purchases", t.b.A)->body);
  REQUIRE(purchases.size() == 1);
  CHECK(purchases[0]["productId"] == "beta-pack");
  std::string link = t.a.mint("alpha-pack");
  CHECK(c.Get(link.c_str())->body == "alpha bytes");
  auto report = c.Get("/api/reports/downloads?from=2000-01-01&to=2100-01-01", t.b.A)->body;
  CHECK(report.find("alpha") == std::string::npos);
  CHECK(c.Get("/api/reports/downloads?from=2000-01-01&to=2100-01-01", t.a.A)->body.find("alpha-pack") !=
        std::string::npos);
  // A's product and name unchanged.
  auto a_list = json::parse(c.Get("/api/products", t.a.A)->body);
  CHECK(a_list[0]["product"]["name"] == "alpha-pack");
}

TEST_CASE("tenants: a webhook is only accepted with the org's own secret, for its own products") {
  TwoOrgs t;
  json body = {
      {"orderId", "X-1"}, {"email", "thief@example.com"}, {"items", {{{"productId", "alpha-pack"}}}}};
  // B's secret on A's webhook URL.
  CHECK(t.b.webhook(body.dump(), "alpha")->status == 401);
  // B's own webhook naming A's product.
  CHECK(t.b.webhook(body.dump())->status == 404);
  auto& db = t.server.app().context().db->connection();
  CHECK(srv::store::list_purchases(db, "alpha").size() == 1);
  CHECK(srv::store::list_purchases(db, "beta").size() == 1);
}

TEST_CASE("tenants: a widget's origin only gets sessions scoped to orgs that allowed it") {
  TwoOrgs t;
  // First party (no Origin): the customer's whole library, both orgs.
  std::string all = t.sign_in("");
  CHECK(t.products("", all).size() == 2);
  // On alpha.example the session is alpha's, whether or not the page names the org.
  std::string on_a = t.sign_in("https://alpha.example");
  CHECK(t.products("https://alpha.example", on_a) == std::vector<std::string>{"alpha-pack"});
  // ... and a client-sent org cannot widen it.
  auto widened =
      json::parse(t.portal("GET", "/api/portal/purchases?org=beta", {}, "https://alpha.example", on_a)->body);
  REQUIRE(widened["purchases"].size() == 1);
  CHECK(widened["purchases"][0]["productId"] == "alpha-pack");
  // alpha.example may not ask for beta's codes, and unknown origins get nothing.
  CHECK(t.portal("POST", "/api/portal/verification", {{"email", "buyer@example.com"}, {"org", "beta"}},
                 "https://alpha.example")
            ->status == 403);
  CHECK(t.portal("POST", "/api/portal/verification", {{"email", "buyer@example.com"}}, "https://evil.example")
            ->status == 403);
  // alpha's session used from beta's widget, and the unscoped session from a widget: refused.
  CHECK(t.portal("GET", "/api/portal/purchases", {}, "https://beta.example", on_a)->status == 403);
  CHECK(t.portal("GET", "/api/portal/purchases", {}, "https://beta.example", all)->status == 403);
  // A beta purchase id with alpha's session: not found.
  auto beta_id = json::parse(t.portal("GET", "/api/portal/purchases", {}, "", all)->body)["purchases"];
  int64_t beta_purchase = 0;
  for (auto& p : beta_id)
    if (p["productId"] == "beta-pack") beta_purchase = p["purchaseId"];
  REQUIRE(beta_purchase != 0);
  CHECK(t.portal("POST", "/api/portal/download-url", {{"purchaseId", beta_purchase}}, "https://alpha.example",
                 on_a)
            ->status == 404);
  // A code asked for on alpha.example cannot be redeemed on beta.example.
  REQUIRE(
      t.portal("POST", "/api/portal/verification", {{"email", "buyer@example.com"}}, "https://alpha.example")
          ->status == 202);
  auto cross = t.portal("POST", "/api/portal/session",
                        {{"email", "buyer@example.com"}, {"code", t.code("buyer@example.com")}},
                        "https://beta.example");
  CHECK(cross->status == 403);
  // CORS: the preflight of an unknown origin is refused, a known one allowed.
  httplib::Headers pre = {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}};
  CHECK(t.server.client().Options("/api/portal/verification", pre)->status == 403);
  pre = {{"Origin", "https://beta.example"}, {"Access-Control-Request-Method", "POST"}};
  auto ok = t.server.client().Options("/api/portal/verification", pre);
  CHECK(ok->status == 204);
  CHECK(ok->get_header_value("Access-Control-Allow-Origin") == "https://beta.example");
}

TEST_CASE("tenants: each org's key reads and changes only its own profile; each widget sees only its own") {
  TwoOrgs t;
  auto c = t.server.client();
  auto set = [&](const TestOrg& org, const json& body) {
    return c.Patch("/api/org/profile", org.A, body.dump(), "application/json");
  };
  REQUIRE(set(t.a, {{"name", "Alpha Audio"}, {"helpEmail", "help@alpha.example"}})->status == 200);
  REQUIRE(set(t.b, {{"name", "Beta Beats"}, {"helpUrl", "https://beta.example/help"}})->status == 200);
  // A body naming the other org cannot reach it.
  CHECK(set(t.b, {{"orgId", "alpha"}, {"name", "Taken"}})->status == 400);
  auto mine = [&](const TestOrg& org) { return json::parse(c.Get("/api/org/profile", org.A)->body); };
  CHECK(mine(t.a) == json{{"orgId", "alpha"},
                          {"name", "Alpha Audio"},
                          {"helpEmail", "help@alpha.example"},
                          {"helpUrl", nullptr}});
  CHECK(mine(t.b)["name"] == "Beta Beats");
  CHECK(mine(t.b)["helpEmail"].is_null());
  // Each widget: its own org's profile, asked for or not, and never the other's.
  auto on_a = t.portal("GET", "/api/portal/profile", {}, "https://alpha.example");
  REQUIRE(on_a->status == 200);
  CHECK(json::parse(on_a->body)["name"] == "Alpha Audio");
  CHECK(t.portal("GET", "/api/portal/profile?org=beta", {}, "https://alpha.example")->status == 403);
  CHECK(t.portal("GET", "/api/portal/profile?org=alpha", {}, "https://beta.example")->status == 403);
  CHECK(json::parse(
            t.portal("GET", "/api/portal/profile?org=beta", {}, "https://beta.example")->body)["name"] ==
        "Beta Beats");
}
