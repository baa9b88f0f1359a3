// Real responses checked against the committed OpenAPI document (docs/openapi.json): each
// status must be documented for its operation, each JSON body must match the documented schema
// (a small validator for the JSON Schema subset the document uses), and every documented
// operation must have been exercised. The portal's side of the contract (core_api) is checked
// against the same answers: the portal's requests are built by core_api's builders and match
// the documented request bodies, and every portal answer parses into core_api's model and goes
// back through its to_json to exactly the JSON the server sent.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/core_api.hpp"
#include "core/core_api_emails.hpp"
#include "core/core_history.hpp"
#include "server/crypto_util.hpp"
#include "server/server_fixture.hpp"
#include "server/service_auth.hpp"
#include "server/service_demo.hpp"
#include "server/service_update_mail.hpp"
#include "server/store_seller.hpp"

using nlohmann::json;
namespace srv = continuata::server;

namespace {

json load_doc() {
  std::ifstream in(std::string(CONTINUATA_SOURCE_DIR) + "/docs/openapi.json");
  return json::parse(in);
}

bool type_matches(const std::string& t, const json& v) {
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "string") return v.is_string();
  if (t == "integer") return v.is_number_integer();
  if (t == "number") return v.is_number();
  if (t == "boolean") return v.is_boolean();
  if (t == "null") return v.is_null();
  return false;
}

void validate(const json& doc, const json& schema, const json& v, const std::string& where,
              std::vector<std::string>& errors) {
  if (schema.contains("$ref")) {
    std::string name = schema["$ref"].get<std::string>().substr(std::string("#/components/schemas/").size());
    return validate(doc, doc["components"]["schemas"][name], v, where, errors);
  }
  if (schema.contains("oneOf")) {
    int ok = 0;
    for (auto& alt : schema["oneOf"]) {
      std::vector<std::string> e;
      validate(doc, alt, v, where, e);
      ok += e.empty();
    }
    if (ok != 1) errors.push_back(where + ": matches " + std::to_string(ok) + " of oneOf");
    return;
  }
  // OpenAPI 3.0's way of saying null is allowed too (3.1 writes "type": [..., "null"]).
  if (schema.value("nullable", false) && v.is_null()) return;
  if (schema.contains("type")) {
    bool any = false;
    if (schema["type"].is_array()) {
      for (auto& t : schema["type"]) any = any || type_matches(t, v);
    } else {
      any = type_matches(schema["type"], v);
    }
    if (!any) {
      errors.push_back(where + ": expected " + schema["type"].dump() + ", got " + v.dump().substr(0, 80));
      return;
    }
  }
  if (schema.contains("enum") &&
      std::find(schema["enum"].begin(), schema["enum"].end(), v) == schema["enum"].end())
    errors.push_back(where + ": " + v.dump() + " not in enum");
  if (v.is_object()) {
    const json required = schema.value("required", json::array());
    const json properties = schema.value("properties", json::object());  // named: items() must not dangle
    for (auto& r : required)
      if (!v.contains(r)) errors.push_back(where + ": missing required " + r.get<std::string>());
    for (auto& [k, sub] : properties.items())
      if (v.contains(k)) validate(doc, sub, v[k], where + "." + k, errors);
  }
  if (v.is_array() && schema.contains("items"))
    for (size_t i = 0; i < v.size(); ++i)
      validate(doc, schema["items"], v[i], where + "[" + std::to_string(i) + "]", errors);
}

// The documented path template an actual path matches, e.g. /api/products/{productId}.
std::string template_for(const json& doc, const std::string& path) {
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    size_t start = 1;
    while (start <= s.size()) {
      size_t end = s.find('/', start);
      if (end == std::string::npos) end = s.size();
      out.push_back(s.substr(start, end - start));
      start = end + 1;
    }
    return out;
  };
  auto actual = split(path.substr(0, path.find('?')));
  for (auto& [tmpl, _] : doc["paths"].items()) {
    auto parts = split(tmpl);
    bool tail = !parts.empty() && parts.back() == "{path}";  // a file path may hold slashes
    if (parts.size() != actual.size() && !(tail && actual.size() >= parts.size())) continue;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) ok = parts[i].front() == '{' || parts[i] == actual[i];
    if (ok) return tmpl;
  }
  return "";
}

struct Checker {
  json doc = load_doc();
  std::set<std::string> exercised;
  // A request body as core_api builds it, against its operation's documented requestBody.
  void check_request(const continuata::core::ApiRequest& r) {
    std::string tmpl = template_for(doc, r.path), m = r.method;
    for (auto& c : m) c = char(std::tolower(c));
    REQUIRE_MESSAGE(!tmpl.empty(), "undocumented path " << r.path);
    const json& op = doc["paths"][tmpl][m];
    if (r.body.empty()) {
      CHECK_MESSAGE(!op.contains("requestBody"),
                    r.method << " " << tmpl << " documents a body core_api does not send");
      return;
    }
    REQUIRE_MESSAGE(op.contains("requestBody"), r.method << " " << tmpl << " documents no request body");
    std::vector<std::string> errors;
    validate(doc, op["requestBody"]["content"]["application/json"]["schema"], json::parse(r.body),
             "request " + std::string(r.method) + " " + tmpl, errors);
    for (auto& e : errors) FAIL_CHECK(e);
  }
  // A JSON value against a named schema of the document.
  void check_schema(const std::string& name, const json& v) {
    std::vector<std::string> errors;
    validate(doc, {{"$ref", "#/components/schemas/" + name}}, v, name, errors);
    for (auto& e : errors) FAIL_CHECK(e);
  }
  void check(const std::string& method, const std::string& path, const httplib::Result& r) {
    REQUIRE_MESSAGE(r, method << " " << path << ": no response");
    std::string tmpl = template_for(doc, path);
    REQUIRE_MESSAGE(!tmpl.empty(), "undocumented path " << path);
    std::string m = method;
    for (auto& c : m) c = char(std::tolower(c));
    REQUIRE_MESSAGE(doc["paths"][tmpl].contains(m), "undocumented method " << method << " " << tmpl);
    auto& responses = doc["paths"][tmpl][m]["responses"];
    std::string status = std::to_string(r->status);
    CHECK_MESSAGE(responses.contains(status), method << " " << tmpl << " answered undocumented " << status);
    exercised.insert(m + " " + tmpl);
    if (!responses.contains(status)) return;
    auto& resp = responses[status];
    if (resp.contains("content") && resp["content"].contains("application/json") &&
        r->get_header_value("Content-Type").rfind("application/json", 0) == 0) {
      auto body = json::parse(r->body, nullptr, false);
      REQUIRE_MESSAGE(!body.is_discarded(), method << " " << path << ": body is not JSON");
      std::vector<std::string> errors;
      validate(doc, resp["content"]["application/json"]["schema"], body, method + " " + tmpl + " " + status,
               errors);
      for (auto& e : errors) FAIL_CHECK(e);
    }
  }
};

// Sends a core_api request as the portal's platform would.
httplib::Result send(httplib::Client& c, const continuata::core::ApiRequest& r,
                     const std::string& token = "") {
  httplib::Headers h;
  if (r.authenticated && !token.empty()) h.emplace("Authorization", "Bearer " + token);
  std::string method = r.method;
  if (method == "GET") return c.Get(r.path, h);
  if (method == "DELETE") return c.Delete(r.path, h);
  return c.Post(r.path, h, r.body, "application/json");
}

// The body parses into core_api's model and its to_json gives back exactly what was sent.
template <class Parse>
void round_trips(const httplib::Result& r, Parse parse) {
  REQUIRE(r);
  auto parsed = parse(r->body);
  REQUIRE_MESSAGE(parsed, "core_api cannot parse " << r->body.substr(0, 200));
  CHECK(json(*parsed) == json::parse(r->body));
}

}  // namespace

TEST_CASE("every documented operation answers as docs/openapi.json says") {
  srv::ServerConfig cfg;
  cfg.demo = true;
  continuata::testing::TestServer s(cfg);
  auto& ctx = s.app().context();
  std::string key = srv::seed_demo(ctx);
  std::string member = srv::create_api_key(ctx, srv::kDemoOrg, srv::Role::Member);
  auto secret = srv::store::find_org(ctx.db->connection(), srv::kDemoOrg)->webhook_secret.value();
  auto c = s.client();
  Checker k;
  httplib::Headers admin{{"Authorization", "Bearer " + key}};
  httplib::Headers memb{{"Authorization", "Bearer " + member}};
  auto J = "application/json";

  k.check("GET", "/api/products", c.Get("/api/products", admin));
  k.check("GET", "/api/products", c.Get("/api/products"));
  k.check("POST", "/api/products",
          c.Post("/api/products", admin, R"({"name":"New Kit","slug":"New Kit"})", J));
  k.check("POST", "/api/products",
          c.Post("/api/products", admin, R"({"name":"New Kit","slug":"new-kit"})", J));
  k.check("POST", "/api/products", c.Post("/api/products", memb, R"({"name":"X","slug":"x"})", J));
  k.check("POST", "/api/products", c.Post("/api/products", admin, R"({"slug":"x"})", J));
  k.check("PUT", "/api/products/new-kit",
          c.Put("/api/products/new-kit", admin, R"({"status":"published"})", J));
  k.check("PUT", "/api/products/new-kit", c.Put("/api/products/new-kit", admin, R"({"id":"other"})", J));
  k.check("PUT", "/api/products/missing", c.Put("/api/products/missing", admin, R"({"name":"y"})", J));
  k.check("POST", "/api/products/new-kit/versions",
          c.Post("/api/products/new-kit/versions", admin, R"({"version":"1.0.0"})", J));
  k.check("POST", "/api/products/new-kit/versions",
          c.Post("/api/products/new-kit/versions", admin, R"({"version":"1.0.0"})", J));
  k.check("POST", "/api/products/new-kit/versions/1.0.0/activate",
          c.Post("/api/products/new-kit/versions/1.0.0/activate", admin, "", J));
  k.check("PUT", "/api/products/new-kit/versions/1.0.0/files/Sounds/Kick.wav",
          c.Put("/api/products/new-kit/versions/1.0.0/files/Sounds/Kick.wav", admin, std::string(5000, 'k'),
                "application/octet-stream"));
  k.check("PUT", "/api/products/new-kit/versions/1.0.0/files/a/../b",
          c.Put("/api/products/new-kit/versions/1.0.0/files/a/../b", admin, "x", "application/octet-stream"));
  k.check("GET", "/api/products/new-kit/versions/1.0.0",
          c.Get("/api/products/new-kit/versions/1.0.0", admin));
  k.check("GET", "/api/products/new-kit/versions/9.9.9",
          c.Get("/api/products/new-kit/versions/9.9.9", admin));
  k.check("PUT", "/api/products/new-kit/versions/1.0.0",
          c.Put("/api/products/new-kit/versions/1.0.0", admin, R"({"notes":"First release."})", J));
  k.check("PUT", "/api/products/new-kit/versions/1.0.0",
          c.Put("/api/products/new-kit/versions/1.0.0", admin, R"({"status":"ready"})", J));
  k.check("PUT", "/api/products/new-kit/versions/9.9.9",
          c.Put("/api/products/new-kit/versions/9.9.9", admin, R"({"notes":null})", J));
  {
    std::string t = srv::unsubscribe_token(ctx.server_secret, srv::kDemoOrg, "buyer@example.com");
    const char* form = "application/x-www-form-urlencoded";
    k.check("GET", "/api/unsubscribe?t=" + t, c.Get(("/api/unsubscribe?t=" + t).c_str()));
    k.check("GET", "/api/unsubscribe?t=x", c.Get("/api/unsubscribe?t=x"));
    k.check("POST", "/api/unsubscribe?t=" + t,
            c.Post(("/api/unsubscribe?t=" + t).c_str(), "List-Unsubscribe=One-Click", form));
    k.check("POST", "/api/unsubscribe?t=" + t, c.Post(("/api/unsubscribe?t=" + t).c_str(), "", form));
    std::string forged = srv::unsubscribe_token("another secret", srv::kDemoOrg, "buyer@example.com");
    k.check("GET", "/api/unsubscribe?t=" + forged, c.Get(("/api/unsubscribe?t=" + forged).c_str()));
    k.check("POST", "/api/unsubscribe?t=" + forged,
            c.Post(("/api/unsubscribe?t=" + forged).c_str(), "List-Unsubscribe=One-Click", form));
  }
  k.check("POST", "/api/products/new-kit/versions/1.0.0/activate",
          c.Post("/api/products/new-kit/versions/1.0.0/activate", admin, "", J));
  auto minted =
      c.Post("/api/generate-download-url", admin, R"({"productId":"new-kit","version":"1.0.0"})", J);
  k.check("POST", "/api/generate-download-url", minted);
  k.check("POST", "/api/generate-download-url",
          c.Post("/api/generate-download-url", admin, R"({"productId":"nope"})", J));
  k.check("POST", "/api/generate-download-url",
          c.Post("/api/generate-download-url", memb, R"({"productId":"new-kit"})", J));
  std::string url = json::parse(minted->body)["downloadUrl"];
  std::string dl = url.substr(url.find("/download"));
  k.check("GET", dl, c.Get(dl.c_str()));
  k.check("GET", dl, c.Get(dl.c_str(), {{"Range", "bytes=10-19"}}));
  k.check("GET", dl, c.Get(dl.c_str(), {{"Range", "bytes=99999-"}}));
  k.check("GET", "/download?token=unknown", c.Get("/download?token=unknown"));

  std::string body = R"({"orderId":"o-77","email":"Buyer@Example.com","items":[{"productId":"new-kit"}]})";
  std::string ts = std::to_string(ctx.now_ms() / 1000);
  httplib::Headers signed_headers{
      {"X-Continuata-Timestamp", ts},
      {"X-Continuata-Signature", "sha256=" + srv::hmac_sha256_hex(secret, ts + "." + body)}};
  k.check("POST", "/api/webhooks/audio-company/purchase",
          c.Post("/api/webhooks/audio-company/purchase", signed_headers, body, J));
  k.check("POST", "/api/webhooks/audio-company/purchase",
          c.Post("/api/webhooks/audio-company/purchase",
                 {{"X-Continuata-Timestamp", ts}, {"X-Continuata-Signature", "sha256=00"}}, body, J));
  k.check("GET", "/api/purchases", c.Get("/api/purchases", admin));
  {  // refunds and licence keys (test_refunds.cpp tests them; here: their documented shapes)
    auto sign = [&](const std::string& b) {
      return httplib::Headers{
          {"X-Continuata-Timestamp", ts},
          {"X-Continuata-Signature", "sha256=" + srv::hmac_sha256_hex(secret, ts + "." + b)}};
    };
    std::string keys = "/api/products/new-kit/license-keys";
    k.check("POST", keys, c.Post(keys, admin, R"({"keys":["K-1","K-1"]})", J));
    k.check("POST", keys, c.Post(keys, admin, R"({"keys":[]})", J));
    k.check("POST", keys, c.Post(keys, memb, R"({"keys":["K-2"]})", J));
    k.check("POST", "/api/products/none/license-keys",
            c.Post("/api/products/none/license-keys", admin, "{}", J));
    k.check("GET", keys, c.Get(keys, memb));
    k.check("GET", "/api/purchases?email=buyer@example.com",
            c.Get("/api/purchases?email=buyer@example.com", memb));
    int64_t pid = json::parse(c.Get("/api/purchases?email=buyer@example.com", memb)->body).at(0)["id"];
    std::string p = "/api/purchases/" + std::to_string(pid);
    k.check("POST", p + "/revoke", c.Post(p + "/revoke", admin, R"({"reason":"test"})", J));
    k.check("POST", p + "/revoke", c.Post(p + "/revoke", memb, "{}", J));
    k.check("POST", "/api/purchases/0/revoke", c.Post("/api/purchases/0/revoke", admin, "{}", J));
    k.check("GET", p + "/events", c.Get(p + "/events", admin));
    k.check("POST", "/api/generate-download-url",
            c.Post("/api/generate-download-url", admin,
                   json{{"productId", "new-kit"}, {"purchaseId", pid}}.dump(), J));
    k.check("POST", p + "/reinstate", c.Post(p + "/reinstate", admin, "", J));
    k.check("POST", "/api/purchases/0/reinstate", c.Post("/api/purchases/0/reinstate", admin, "", J));
    std::string refund = R"({"orderId":"o-77"})", unknown = R"({"orderId":"none"})";
    k.check("POST", "/api/webhooks/audio-company/refund",
            c.Post("/api/webhooks/audio-company/refund", sign(refund), refund, J));
    k.check("POST", "/api/webhooks/audio-company/refund",
            c.Post("/api/webhooks/audio-company/refund", sign(unknown), unknown, J));
    k.check("POST", "/api/webhooks/audio-company/refund",
            c.Post("/api/webhooks/audio-company/refund", sign(body), body, J));
    k.check("POST", "/api/webhooks/audio-company/refund",
            c.Post("/api/webhooks/audio-company/refund", sign("x"), refund, J));
    c.Post((p + "/reinstate").c_str(), admin, "", J);
  }
  k.check("GET", "/api/reports/downloads?from=2020-01-01&to=2099-01-01",
          c.Get("/api/reports/downloads?from=2020-01-01&to=2099-01-01", admin));
  k.check("GET", "/api/reports/downloads?from=bad&to=2099-01-01",
          c.Get("/api/reports/downloads?from=bad&to=2099-01-01", admin));

  namespace core = continuata::core;
  k.check("GET", "/api/org/profile", c.Get("/api/org/profile", memb));
  k.check("GET", "/api/org/profile", c.Get("/api/org/profile"));
  k.check(
      "PATCH", "/api/org/profile",
      c.Patch(
          "/api/org/profile", admin,
          R"({"name":"Audio Company","helpEmail":"help@audio.example","helpUrl":"https://audio.example/help"})",
          J));
  k.check("PATCH", "/api/org/profile",
          c.Patch("/api/org/profile", admin, R"({"helpUrl":"javascript:x"})", J));
  k.check("PATCH", "/api/org/profile", c.Patch("/api/org/profile", memb, R"({"name":"X"})", J));
  k.check("PATCH", "/api/org/profile", c.Patch("/api/org/profile", R"({"name":"X"})", J));
  auto profile = send(c, core::profile_request("audio-company"));
  k.check_request(core::profile_request("audio-company"));
  k.check("GET", "/api/portal/profile", profile);
  round_trips(profile, core::parse_org_profile);
  CHECK(core::parse_org_profile(profile->body)->help_email == "help@audio.example");
  k.check("GET", "/api/portal/profile", c.Get("/api/portal/profile"));
  k.check("GET", "/api/portal/profile?org=nobody", c.Get("/api/portal/profile?org=nobody"));
  k.check("GET", "/api/portal/profile?org=audio-company",
          c.Get("/api/portal/profile?org=audio-company", {{"Origin", "https://evil.example"}}));
  k.check_schema("OrgProfile", core::OrgProfile{"o", "O", "", ""});

  auto ask = core::verification_request({"buyer@example.com", std::nullopt, std::nullopt});
  k.check_request(ask);
  auto accepted = send(c, ask);
  k.check(ask.method, ask.path, accepted);
  CHECK(json::parse(accepted->body) == json(core::VerificationAccepted{}));
  k.check_request(
      core::verification_request({"buyer@example.com", std::string("audio-company"), std::string("de")}));
  k.check("POST", "/api/portal/verification", c.Post("/api/portal/verification", R"({"email":"nope"})", J));
  auto outbox = c.Get("/api/dev/outbox?to=buyer@example.com");
  k.check("GET", "/api/dev/outbox?to=buyer@example.com", outbox);
  std::string text = json::parse(outbox->body)[0]["text"];
  std::string code = text.substr(text.find_first_of("0123456789"), 6);
  k.check("POST", "/api/portal/session",
          c.Post("/api/portal/session", R"({"email":"buyer@example.com","code":"12"})", J));
  std::string wrong = code == "000000" ? "111111" : "000000";
  auto refused = send(c, core::session_request({"buyer@example.com", wrong}));
  k.check("POST", "/api/portal/session", refused);
  round_trips(refused, core::parse_error);
  CHECK(core::parse_error(refused->body)->tries_left == 4);
  auto open = core::session_request({"buyer@example.com", code});
  k.check_request(open);
  auto session = send(c, open);
  k.check("POST", "/api/portal/session", session);
  round_trips(session, core::parse_session);
  std::string token = core::parse_session(session->body)->token;
  httplib::Headers customer{{"Authorization", "Bearer " + token}};
  auto list_request = core::purchases_request("");
  k.check_request(list_request);
  auto list = send(c, list_request, token);
  k.check("GET", "/api/portal/purchases", list);
  round_trips(list, core::parse_purchase_list);
  auto scoped = send(c, core::purchases_request("audio-company"), token);
  k.check("GET", "/api/portal/purchases", scoped);
  round_trips(scoped, core::parse_purchase_list);
  auto purchases = core::parse_purchase_list(list->body);
  REQUIRE(purchases);
  REQUIRE(!purchases->purchases.empty());
  CHECK(purchases->email == "buyer@example.com");
  int64_t pid = purchases->purchases[0].purchase_id;
  auto get_link = core::download_link_request({pid, std::nullopt});
  k.check_request(get_link);
  auto link = send(c, get_link, token);
  k.check("POST", "/api/portal/download-url", link);
  round_trips(link, core::parse_download_link);
  // Downloaded once: the purchase's history has it, and the list carries its summary.
  std::string portal_url = core::parse_download_link(link->body)->url;
  REQUIRE(c.Get(portal_url.substr(portal_url.find("/download")), {{"User-Agent", "curl/8.11.0"}})->status ==
          200);
  auto history_request = core::download_history_request(pid);
  auto history = send(c, history_request, token);
  k.check("GET", "/api/portal/purchases/" + std::to_string(pid) + "/downloads", history);
  round_trips(history, core::parse_download_history);
  CHECK(core::parse_download_history(history->body)->downloads.at(0).client == "curl");
  auto listed = send(c, list_request, token);
  k.check("GET", "/api/portal/purchases", listed);
  round_trips(listed, core::parse_purchase_list);
  k.check("GET", "/api/portal/purchases/999999/downloads",
          c.Get("/api/portal/purchases/999999/downloads", customer));
  k.check("GET", "/api/portal/purchases/1/downloads?limit=0",
          c.Get("/api/portal/purchases/" + std::to_string(pid) + "/downloads?limit=0", customer));
  k.check("GET", "/api/portal/purchases/1/downloads", c.Get("/api/portal/purchases/1/downloads"));
  k.check_request(core::download_link_request({pid, std::string("1.0.0")}));
  k.check("POST", "/api/portal/download-url",
          c.Post("/api/portal/download-url", customer, R"({"purchaseId":1})", J));
  {  // A second address (core_api_emails): list, ask, a refused and a right code, remove.
    auto mine = core::emails_request();
    k.check_request(mine);
    auto emails = send(c, mine, token);
    k.check("GET", "/api/portal/emails", emails);
    round_trips(emails, core::parse_email_list);
    auto add = core::add_email_request("second@example.com");
    k.check_request(add);
    k.check("POST", "/api/portal/emails", send(c, add, token));
    k.check("POST", "/api/portal/emails", c.Post("/api/portal/emails", customer, R"({"email":"nope"})", J));
    std::string text2 = json::parse(c.Get("/api/dev/outbox?to=second@example.com")->body)[0]["text"];
    std::string code2 = text2.substr(text2.find_first_of("0123456789"), 6);
    auto bad =
        send(c, core::verify_email_request({"second@example.com", code2 == "000000" ? "111111" : "000000"}),
             token);
    k.check("POST", "/api/portal/emails/verify", bad);
    auto verify = core::verify_email_request({"second@example.com", code2});
    k.check_request(verify);
    auto linked = send(c, verify, token);
    k.check("POST", "/api/portal/emails/verify", linked);
    round_trips(linked, core::parse_email_list);
    auto remove = core::remove_email_request("second@example.com");
    k.check_request(remove);
    auto removed = send(c, remove, token);
    k.check("DELETE", "/api/portal/emails/second%40example.com", removed);
    round_trips(removed, core::parse_email_list);
    k.check("DELETE", "/api/portal/emails/second%40example.com", send(c, remove, token));
  }
  auto out = core::sign_out_request();
  k.check_request(out);
  k.check("DELETE", "/api/portal/session", send(c, out, token));
  auto ended = send(c, list_request, token);
  k.check("GET", "/api/portal/purchases", ended);
  round_trips(ended, core::parse_error);
  for (int i = 0; i < 5; ++i) c.Post("/api/portal/verification", R"({"email":"busy@example.com"})", J);
  auto limited = send(c, core::verification_request({"busy@example.com", std::nullopt, std::nullopt}));
  k.check("POST", "/api/portal/verification", limited);
  round_trips(limited, core::parse_error);
  CHECK(core::parse_error(limited->body)->retry_after.has_value());

  // The seller API's minted link is the same model.
  round_trips(minted, core::parse_download_link);
  // core_api's own edge values (no versions recorded, no files) are documented shapes too.
  core::Purchase bare;
  bare.purchase_id = 1;
  k.check_schema("PortalPurchases", core::PurchaseList{"a@b.co", {bare}});
  k.check_schema("Session", core::Session{"t", "a@b.co", 0});
  k.check_schema("Error", core::ErrorBody{"x", 1, 2, "purchase_refunded"});

  for (auto& [path_key, ops] : k.doc["paths"].items())
    for (auto& op : ops.items()) {
      // Copies, not structured bindings: CHECK_MESSAGE's lambda cannot capture those in clang 14.
      const std::string path = path_key, method = op.key();
      CHECK_MESSAGE(k.exercised.count(method + " " + path), "not exercised: " << method << " " << path);
    }
}
