// Refunds and licence keys over real HTTP (both stores): the signed refund webhook (idempotent,
// whole order or one product, unknown orders, bad signatures, a purchase body replayed as a
// refund), revoke and reinstate by an admin key of the purchase's own org only, the log of each
// change, refunded links answering 410, no new link for a refunded purchase, the portal's
// refund state; licence-key pools (bounds, duplicates, roles, orgs), assignment in the webhook,
// pending keys given on refill, keys seen only by their own customer, and racing webhooks that
// never share a key.
#include <doctest/doctest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "server/org_fixture.hpp"

using continuata::testing::TestOrg;
using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;

namespace {

srv::ServerConfig dev_config() {
  srv::ServerConfig c;
  c.dev = true;  // the dev outbox, for the sign-in codes
  return c;
}

json body_of(const httplib::Result& r) {
  REQUIRE(r);
  return json::parse(r->body, nullptr, false);
}

struct Shop {
  TestServer server{dev_config()};
  TestOrg org{server, "shop"}, other{server, "other"};

  // A signed refund webhook (signed with `key` when given).
  httplib::Result refund(const json& body, const std::string& key = "", int64_t skew_s = 0) {
    std::string text = body.dump();
    std::string ts = std::to_string(server.app().context().now_ms() / 1000 + skew_s);
    std::string sig = "sha256=" + srv::hmac_sha256_hex(key.empty() ? org.secret : key, ts + "." + text);
    return server.client().Post("/api/webhooks/shop/refund",
                                {{"X-Continuata-Timestamp", ts}, {"X-Continuata-Signature", sig}}, text,
                                "application/json");
  }
  std::string sign_in(const std::string& email) {
    auto c = server.client();
    REQUIRE(c.Post("/api/portal/verification", json{{"email", email}}.dump(), "application/json")->status ==
            202);
    auto list = body_of(c.Get(("/api/dev/outbox?to=" + email).c_str()));
    std::smatch m;
    std::string text = list.at(0)["text"];
    REQUIRE(std::regex_search(text, m, std::regex(R"(\b(\d{6})\b)")));
    auto s = c.Post("/api/portal/session", json{{"email", email}, {"code", m[1].str()}}.dump(),
                    "application/json");
    REQUIRE(s->status == 200);
    return body_of(s)["sessionToken"];
  }
  httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
  json portal_purchases(const std::string& token) {
    auto r = server.client().Get("/api/portal/purchases", bearer(token));
    REQUIRE(r->status == 200);
    return body_of(r)["purchases"];
  }
  httplib::Result portal_link(const std::string& token, int64_t purchase) {
    return server.client().Post("/api/portal/download-url", bearer(token),
                                json{{"purchaseId", purchase}}.dump(), "application/json");
  }
  int64_t purchase_id(const std::string& order, const std::string& product) {
    for (auto& p : body_of(server.client().Get("/api/purchases", org.A)))
      if (p["orderId"] == order && p["productId"] == product) return p["id"];
    FAIL("no purchase " << order << "/" << product);
    return 0;
  }
  json events(int64_t purchase) {
    return body_of(server.client().Get(("/api/purchases/" + std::to_string(purchase) + "/events").c_str(),
                                       org.A))["events"];
  }
  httplib::Result buy_items(const std::string& order, const std::string& email, const json& items) {
    return org.webhook(json{{"orderId", order}, {"email", email}, {"items", items}}.dump());
  }
};

std::string path_of(const json& link) {
  std::string url = link["downloadUrl"];
  return url.substr(url.find("/download"));
}

}  // namespace

TEST_CASE("refund webhook: signed, idempotent, one product or the whole order, links die with 410") {
  Shop s;
  s.org.product("kit", {{"kit.zip", "kit bytes"}});
  s.org.product("pads", {{"pads.zip", "pads bytes"}});
  REQUIRE(
      s.buy_items("O-1", "Buyer@Example.com", {{{"productId", "kit"}}, {{"productId", "pads"}}})->status ==
      200);
  int64_t kit = s.purchase_id("O-1", "kit"), pads = s.purchase_id("O-1", "pads");
  std::string token = s.sign_in("buyer@example.com");
  auto link = s.portal_link(token, kit);
  REQUIRE(link->status == 200);
  std::string kit_path = path_of(body_of(link));
  CHECK(s.server.client().Get(kit_path.c_str())->status == 200);

  // Bad signatures, another org's secret, a stale timestamp: nothing changes.
  CHECK(s.refund({{"orderId", "O-1"}}, "wrong-secret")->status == 401);
  CHECK(s.refund({{"orderId", "O-1"}}, s.other.secret)->status == 401);
  CHECK(s.refund({{"orderId", "O-1"}}, "", -301)->status == 401);
  auto unsigned_ = s.server.client().Post("/api/webhooks/shop/refund", json{{"orderId", "O-1"}}.dump(),
                                          "application/json");
  CHECK(unsigned_->status == 401);
  // A signed purchase body replayed to the refund endpoint is refused.
  CHECK(s.refund({{"orderId", "O-1"}, {"email", "buyer@example.com"}, {"items", {{{"productId", "kit"}}}}})
            ->status == 400);
  CHECK(s.server.client().Get(kit_path.c_str())->status == 200);

  // Unknown order or product: 404, so a processor retries it.
  auto unknown = s.refund({{"orderId", "O-404"}});
  CHECK(unknown->status == 404);
  CHECK(body_of(unknown)["error"] == "Order \"O-404\" not found");
  CHECK(s.refund({{"orderId", "O-1"}, {"productId", "nope"}})->status == 404);

  // One product of the order.
  auto first = s.refund({{"orderId", "O-1"}, {"productId", "kit"}, {"reason", "chargeback"}});
  REQUIRE(first->status == 200);
  json answer = body_of(first);
  REQUIRE(answer["purchases"].size() == 1);
  CHECK(answer["purchases"][0]["purchaseId"] == kit);
  CHECK(answer["purchases"][0]["status"] == "refunded");
  // A repeat answers the same and changes nothing.
  auto again = s.refund({{"orderId", "O-1"}, {"productId", "kit"}, {"reason", "chargeback"}});
  CHECK(body_of(again) == answer);
  CHECK(s.events(kit).size() == 1);
  CHECK(s.events(kit)[0]["action"] == "refund");
  CHECK(s.events(kit)[0]["source"] == "webhook");
  CHECK(s.events(kit)[0]["reason"] == "chargeback");
  CHECK(s.events(kit)[0]["apiKeyId"].is_null());
  // The buyer is told once, in the catalogue's words (mail_refund), for the refund that changed it.
  int notices = 0;
  for (auto& m : body_of(s.server.client().Get("/api/dev/outbox?to=buyer@example.com")))
    if (m["subject"].get<std::string>().find("was refunded") != std::string::npos) {
      ++notices;
      CHECK(m["text"].get<std::string>().find("order O-1") != std::string::npos);
    }
  CHECK(notices == 1);

  // The existing link answers 410 with a plain page; no new link from the portal or the seller API.
  auto dead = s.server.client().Get(kit_path.c_str());
  CHECK(dead->status == 410);
  CHECK(dead->get_header_value("Content-Type").find("text/html") == 0);
  CHECK(dead->body.find("This purchase was refunded") != std::string::npos);
  auto refused = s.portal_link(token, kit);
  CHECK(refused->status == 410);
  CHECK(body_of(refused)["code"] == "purchase_refunded");
  auto seller_refused = s.org.post("/api/generate-download-url", {{"productId", "kit"}, {"purchaseId", kit}});
  CHECK(seller_refused->status == 410);
  CHECK(body_of(seller_refused)["code"] == "purchase_refunded");
  CHECK(s.portal_link(token, pads)->status == 200);  // the order's other product is untouched

  json listed = s.portal_purchases(token);
  REQUIRE(listed.size() == 2);
  for (auto& p : listed) {
    bool is_kit = p["purchaseId"] == kit;
    CHECK(p["status"] == (is_kit ? "refunded" : "active"));
    CHECK(p["refundedAt"].is_string() == is_kit);
    CHECK(p["files"].empty() == is_kit);
  }

  // Without productId: the whole order; the refunded one keeps its first refund.
  auto whole = s.refund({{"orderId", "O-1"}});
  REQUIRE(whole->status == 200);
  CHECK(body_of(whole)["purchases"].size() == 2);
  CHECK(s.events(kit).size() == 1);
  CHECK(s.events(pads).size() == 1);
  CHECK(s.portal_link(token, pads)->status == 410);

  // Reinstating restores the old link and new ones; a replayed refund does not undo it.
  auto back = s.org.post("/api/purchases/" + std::to_string(kit) + "/reinstate", json::object());
  REQUIRE(back->status == 200);
  CHECK(body_of(back)["status"] == "active");
  CHECK(s.server.client().Get(kit_path.c_str())->status == 200);
  CHECK(s.portal_link(token, kit)->status == 200);
  CHECK(s.refund({{"orderId", "O-1"}, {"productId", "kit"}})->status == 200);
  CHECK(s.server.client().Get(kit_path.c_str())->status == 200);
  auto log = s.events(kit);
  REQUIRE(log.size() == 2);
  CHECK(log[1]["action"] == "reinstate");
  CHECK(log[1]["source"] == "api");
  CHECK(log[1]["apiKeyId"].is_number_integer());
}

TEST_CASE("refund by the seller: admin key of the purchase's own org, logged, idempotent") {
  Shop s;
  s.org.product("kit", {{"kit.zip", "kit bytes"}});
  s.other.product("kit", {{"kit.zip", "other bytes"}});
  s.org.buy("a@example.com", "A-1", "kit");
  s.other.buy("a@example.com", "B-1", "kit");
  int64_t mine = s.purchase_id("A-1", "kit");
  int64_t theirs = 0;
  for (auto& p : body_of(s.server.client().Get("/api/purchases", s.other.A))) theirs = p["id"];
  std::string revoke = "/api/purchases/" + std::to_string(mine) + "/revoke";

  // Another org's purchase is a 404 (to revoke, reinstate and read), like none at all.
  CHECK(s.org.post("/api/purchases/" + std::to_string(theirs) + "/revoke", json::object())->status == 404);
  CHECK(s.org.post("/api/purchases/" + std::to_string(theirs) + "/reinstate", json::object())->status == 404);
  CHECK(s.server.client()
            .Get(("/api/purchases/" + std::to_string(theirs) + "/events").c_str(), s.org.A)
            ->status == 404);
  CHECK(s.org.post("/api/purchases/999999/revoke", json::object())->status == 404);
  CHECK(s.org.post("/api/purchases/x1/revoke", json::object())->status == 404);
  // A member key may not; no key at all is 401; a reason is bounded.
  std::string member = srv::create_api_key(s.server.app().context(), "shop", srv::Role::Member);
  auto as_member = s.server.client().Post(revoke.c_str(), {{"Authorization", "Bearer " + member}}, "{}",
                                          "application/json");
  CHECK(as_member->status == 403);
  CHECK(s.server.client().Post(revoke.c_str(), "{}", "application/json")->status == 401);
  CHECK(s.org.post(revoke, {{"reason", std::string(501, 'r')}})->status == 400);
  CHECK(s.events(mine).empty());

  // Revoked without a body at all; again changes nothing.
  auto r = s.server.client().Post(revoke.c_str(), s.org.A, "", "application/json");
  REQUIRE(r->status == 200);
  CHECK(body_of(r)["status"] == "refunded");
  CHECK(body_of(r)["changed"] == true);
  auto twice = s.org.post(revoke, {{"reason", "fraud"}});
  CHECK(body_of(twice)["changed"] == false);
  CHECK(s.events(mine).size() == 1);
  CHECK(s.events(mine)[0]["action"] == "revoke");
  CHECK(s.events(mine)[0]["reason"].is_null());
  // The other org's purchase of the same email and product is untouched.
  std::string token = s.sign_in("a@example.com");
  CHECK(s.portal_link(token, theirs)->status == 200);
  CHECK(s.portal_link(token, mine)->status == 410);
  auto listed = body_of(s.server.client().Get("/api/purchases?email=A@example.com", s.org.A));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["status"] == "refunded");
  CHECK(listed[0]["refundedAt"].is_string());
}

TEST_CASE(
    "refund and licence keys: pools are bounded, deduplicated, per org; keys go to their own buyer only") {
  Shop s;
  s.org.product("kit", {{"kit.zip", "kit bytes"}});
  s.other.product("kit", {{"kit.zip", "other bytes"}});
  std::string pool = "/api/products/kit/license-keys";
  std::string member = srv::create_api_key(s.server.app().context(), "shop", srv::Role::Member);
  httplib::Headers M = {{"Authorization", "Bearer " + member}};

  CHECK(s.server.client().Post(pool.c_str(), M, json{{"keys", {"K-1"}}}.dump(), "application/json")->status ==
        403);
  CHECK(s.org.post("/api/products/nope/license-keys", {{"keys", {"K-1"}}})->status == 404);
  CHECK(s.org.post(pool, {{"keys", json::array()}})->status == 400);
  CHECK(s.org.post(pool, {{"keys", {1}}})->status == 400);
  CHECK(s.org.post(pool, {{"keys", {std::string(201, 'k')}}})->status == 400);
  CHECK(s.org.post(pool, {{"keys", {"bad\nkey"}}})->status == 400);
  json many = json::array();
  for (int i = 0; i < 1001; ++i) many.push_back("K-" + std::to_string(i));
  CHECK(s.org.post(pool, {{"keys", many}})->status == 413);

  // A purchase before any pool: no key, nothing pending.
  auto before = s.buy_items("O-0", "early@example.com", {{{"productId", "kit"}}});
  CHECK(!body_of(before).contains("licenseKeysPending"));

  auto up = s.org.post(pool, {{"keys", {"K-1", "K-2", " K-1 ", "K-2"}}});
  REQUIRE(up->status == 200);
  json counts = body_of(up);
  CHECK(counts["added"] == 2);
  CHECK(counts["duplicates"] == 2);
  CHECK(counts["assignedNow"] == 1);  // the early buyer's purchase gets the first key
  CHECK(counts["available"] == 1);
  CHECK(counts["pending"] == 0);
  // The pool's counts, readable with a member key; never the keys.
  auto read = s.server.client().Get(pool.c_str(), M);
  REQUIRE(read->status == 200);
  CHECK(body_of(read) ==
        json{{"productId", "kit"}, {"total", 2}, {"available", 1}, {"assigned", 1}, {"pending", 0}});
  CHECK(read->body.find("K-") == std::string::npos);
  // Another org's pool of a product with the same id is its own.
  CHECK(body_of(s.server.client().Get(pool.c_str(), s.other.A))["total"] == 0);

  auto one = body_of(s.buy_items("O-1", "one@example.com", {{{"productId", "kit"}}}));
  CHECK(!one.contains("licenseKeysPending"));
  CHECK(one["purchases"][0]["licenseKeyPending"] == false);
  auto two = body_of(s.buy_items("O-2", "two@example.com", {{{"productId", "kit"}}}));
  CHECK(two["licenseKeysPending"] == 1);  // recorded all the same
  CHECK(two["purchases"][0]["licenseKeyPending"] == true);
  // A repeat of the webhook keeps the key it gave.
  auto one_again = body_of(s.buy_items("O-1", "one@example.com", {{{"productId", "kit"}}}));
  CHECK(one_again["purchases"][0]["licenseKeyPending"] == false);

  std::string t1 = s.sign_in("one@example.com"), t2 = s.sign_in("two@example.com");
  json p1 = s.portal_purchases(t1), p2 = s.portal_purchases(t2);
  REQUIRE(p1.size() == 1);
  CHECK(p1[0]["licenseKey"] == "K-2");
  CHECK(p2[0]["licenseKey"].is_null());
  CHECK(s.server.client().Get("/api/portal/purchases", s.bearer(t2))->body.find("K-") == std::string::npos);

  // The refill gives the waiting purchase its key.
  auto refill = body_of(s.org.post(pool, {{"keys", {"K-3", "K-4"}}}));
  CHECK(refill["assignedNow"] == 1);
  CHECK(s.portal_purchases(t2)[0]["licenseKey"] == "K-3");

  // The webhook's own licenseKey per item; a key another purchase holds is a 409.
  auto given =
      body_of(s.buy_items("O-3", "three@example.com", {{{"productId", "kit"}, {"licenseKey", "OWN-1"}}}));
  CHECK(given["purchases"][0]["licenseKeyPending"] == false);
  CHECK(s.buy_items("O-4", "four@example.com", {{{"productId", "kit"}, {"licenseKey", "K-2"}}})->status ==
        409);

  // The seller lists purchases with their keys, by email too.
  auto listed = body_of(s.server.client().Get("/api/purchases?email=three@example.com", M));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["licenseKey"] == "OWN-1");
  // A refunded purchase no longer shows its key in the portal; reinstated, it does again.
  int64_t first = s.purchase_id("O-1", "kit");
  s.org.post("/api/purchases/" + std::to_string(first) + "/revoke", json::object());
  CHECK(s.portal_purchases(t1)[0]["licenseKey"].is_null());
  CHECK(s.portal_purchases(t1)[0]["status"] == "refunded");
  s.org.post("/api/purchases/" + std::to_string(first) + "/reinstate", json::object());
  CHECK(s.portal_purchases(t1)[0]["licenseKey"] == "K-2");
}

TEST_CASE("refund and licence keys: racing webhooks never share a key, and the rest wait") {
  Shop s;
  s.org.product("kit", {{"kit.zip", "kit bytes"}});
  constexpr int kKeys = 12, kBuyers = 20;
  json keys = json::array();
  for (int i = 0; i < kKeys; ++i) keys.push_back("RACE-" + std::to_string(i));
  REQUIRE(s.org.post("/api/products/kit/license-keys", {{"keys", keys}})->status == 200);
  std::atomic<int> ok{0}, pending{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = t; i < kBuyers; i += 4) {
        auto r = s.buy_items("R-" + std::to_string(i), "r" + std::to_string(i) + "@example.com",
                             {{{"productId", "kit"}}});
        if (!r || r->status != 200) continue;
        ++ok;
        auto b = json::parse(r->body, nullptr, false);
        if (b.is_object() && b.contains("licenseKeysPending")) pending += b["licenseKeysPending"].get<int>();
      }
    });
  for (auto& t : threads) t.join();
  CHECK(ok == kBuyers);
  CHECK(pending == kBuyers - kKeys);
  std::set<std::string> given;
  int with_key = 0;
  for (auto& p : body_of(s.server.client().Get("/api/purchases", s.org.A)))
    if (p["licenseKey"].is_string()) {
      ++with_key;
      given.insert(p["licenseKey"].get<std::string>());
    }
  CHECK(with_key == kKeys);
  CHECK(given.size() == size_t(kKeys));
  auto counts = body_of(s.server.client().Get("/api/products/kit/license-keys", s.org.A));
  CHECK(counts["available"] == 0);
  CHECK(counts["pending"] == kBuyers - kKeys);
}
