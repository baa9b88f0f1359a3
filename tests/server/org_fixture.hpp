// An org on a real test server, for the tests that need two of them (tenant isolation) or a
// product with files: its admin key, webhook secret, helpers for the seller API over HTTP.
#pragma once
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "server/crypto_util.hpp"
#include "server/server_fixture.hpp"
#include "server/service_auth.hpp"
#include "server/store_seller.hpp"

namespace continuata::testing {

struct TestOrg {
  TestServer& server;
  std::string id, admin, secret;
  httplib::Headers A;
  TestOrg(TestServer& s, std::string org_id) : server(s), id(std::move(org_id)), secret("whsec_" + id) {
    auto& ctx = server.app().context();
    auto& db = ctx.db->connection();
    server::store::insert_org(db, id, "Org " + id, ctx.now_ms());
    server::store::set_webhook_secret(db, id, secret);
    admin = server::create_api_key(ctx, id, server::Role::Admin);
    A = {{"Authorization", "Bearer " + admin}};
  }
  httplib::Client c() const { return server.client(); }
  httplib::Result post(const std::string& path, const nlohmann::json& body) const {
    return c().Post(path.c_str(), A, body.dump(), "application/json");
  }
  // A product with one active version 1.0.0 holding the given files.
  void product(const std::string& pid, const std::vector<std::pair<std::string, std::string>>& files) const {
    REQUIRE(post("/api/products", {{"name", pid}, {"slug", pid}})->status == 201);
    REQUIRE(post("/api/products/" + pid + "/versions", {{"version", "1.0.0"}})->status == 201);
    for (auto& [path, content] : files)
      REQUIRE(c().Put(("/api/products/" + pid + "/versions/1.0.0/files/" + path).c_str(), A, content,
                      "application/octet-stream")
                  ->status == 201);
    REQUIRE(post("/api/products/" + pid + "/versions/1.0.0/activate", nlohmann::json::object())->status ==
            200);
  }
  // The /download?token=... path of a fresh link to the product's active version.
  std::string mint(const std::string& pid) const {
    auto r = post("/api/generate-download-url", {{"productId", pid}});
    REQUIRE(r->status == 200);
    std::string url = nlohmann::json::parse(r->body)["downloadUrl"];
    return url.substr(url.find("/download"));
  }
  // A signed purchase webhook for this org (or signed with `key` and sent to `to_org`).
  httplib::Result webhook(const std::string& body, const std::string& to_org = "",
                          const std::string& key = "") const {
    std::string ts = std::to_string(server.app().context().now_ms() / 1000);
    std::string sig = "sha256=" + server::hmac_sha256_hex(key.empty() ? secret : key, ts + "." + body);
    return c().Post(("/api/webhooks/" + (to_org.empty() ? id : to_org) + "/purchase").c_str(),
                    {{"X-Continuata-Timestamp", ts}, {"X-Continuata-Signature", sig}}, body,
                    "application/json");
  }
  void buy(const std::string& email, const std::string& order, const std::string& pid) const {
    nlohmann::json body = {{"orderId", order}, {"email", email}, {"items", {{{"productId", pid}}}}};
    auto r = webhook(body.dump());
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
  }
};

}  // namespace continuata::testing
