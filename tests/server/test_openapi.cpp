// Real responses checked against the committed OpenAPI document (docs/openapi.json): each
// status must be documented for its operation, each JSON body must match the documented schema
// (a small validator for the JSON Schema subset the document uses), and every documented
// operation must have been exercised.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "server/crypto_util.hpp"
#include "server/server_fixture.hpp"
#include "server/service_auth.hpp"
#include "server/service_demo.hpp"
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
  if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), v) == schema["enum"].end())
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
    for (size_t i = 0; i < v.size(); ++i) validate(doc, schema["items"], v[i], where + "[" + std::to_string(i) + "]", errors);
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
    for (size_t i = 0; i < parts.size() && ok; ++i)
      ok = parts[i].front() == '{' || parts[i] == actual[i];
    if (ok) return tmpl;
  }
  return "";
}

struct Checker {
  json doc = load_doc();
  std::set<std::string> exercised;
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
      validate(doc, resp["content"]["application/json"]["schema"], body, method + " " + tmpl + " " + status, errors);
      for (auto& e : errors) FAIL_CHECK(e);
    }
  }
};

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
  k.check("POST", "/api/products", c.Post("/api/products", admin, R"({"name":"New Kit","slug":"New Kit"})", J));
  k.check("POST", "/api/products", c.Post("/api/products", admin, R"({"name":"New Kit","slug":"new-kit"})", J));
  k.check("POST", "/api/products", c.Post("/api/products", memb, R"({"name":"X","slug":"x"})", J));
  k.check("POST", "/api/products", c.Post("/api/products", admin, R"({"slug":"x"})", J));
  k.check("PUT", "/api/products/new-kit", c.Put("/api/products/new-kit", admin, R"({"status":"published"})", J));
  k.check("PUT", "/api/products/new-kit", c.Put("/api/products/new-kit", admin, R"({"id":"other"})", J));
  k.check("PUT", "/api/products/missing", c.Put("/api/products/missing", admin, R"({"name":"y"})", J));
  k.check("POST", "/api/products/new-kit/versions", c.Post("/api/products/new-kit/versions", admin, R"({"version":"1.0.0"})", J));
  k.check("POST", "/api/products/new-kit/versions", c.Post("/api/products/new-kit/versions", admin, R"({"version":"1.0.0"})", J));
  k.check("POST", "/api/products/new-kit/versions/1.0.0/activate",
          c.Post("/api/products/new-kit/versions/1.0.0/activate", admin, "", J));
  k.check("PUT", "/api/products/new-kit/versions/1.0.0/files/Sounds/Kick.wav",
          c.Put("/api/products/new-kit/versions/1.0.0/files/Sounds/Kick.wav", admin, std::string(5000, 'k'),
                "application/octet-stream"));
  k.check("PUT", "/api/products/new-kit/versions/1.0.0/files/a/../b",
          c.Put("/api/products/new-kit/versions/1.0.0/files/a/../b", admin, "x", "application/octet-stream"));
  k.check("GET", "/api/products/new-kit/versions/1.0.0", c.Get("/api/products/new-kit/versions/1.0.0", admin));
  k.check("GET", "/api/products/new-kit/versions/9.9.9", c.Get("/api/products/new-kit/versions/9.9.9", admin));
  k.check("POST", "/api/products/new-kit/versions/1.0.0/activate",
          c.Post("/api/products/new-kit/versions/1.0.0/activate", admin, "", J));
  auto minted = c.Post("/api/generate-download-url", admin, R"({"productId":"new-kit","version":"1.0.0"})", J);
  k.check("POST", "/api/generate-download-url", minted);
  k.check("POST", "/api/generate-download-url", c.Post("/api/generate-download-url", admin, R"({"productId":"nope"})", J));
  k.check("POST", "/api/generate-download-url", c.Post("/api/generate-download-url", memb, R"({"productId":"new-kit"})", J));
  std::string url = json::parse(minted->body)["downloadUrl"];
  std::string dl = url.substr(url.find("/download"));
  k.check("GET", dl, c.Get(dl.c_str()));
  k.check("GET", dl, c.Get(dl.c_str(), {{"Range", "bytes=10-19"}}));
  k.check("GET", dl, c.Get(dl.c_str(), {{"Range", "bytes=99999-"}}));
  k.check("GET", "/download?token=unknown", c.Get("/download?token=unknown"));

  std::string body = R"({"orderId":"o-77","email":"Buyer@Example.com","items":[{"productId":"new-kit"}]})";
  std::string ts = std::to_string(ctx.now_ms() / 1000);
  httplib::Headers signed_headers{{"X-Continuata-Timestamp", ts},
                                  {"X-Continuata-Signature", "sha256=" + srv::hmac_sha256_hex(secret, ts + "." + body)}};
  k.check("POST", "/api/webhooks/audio-company/purchase", c.Post("/api/webhooks/audio-company/purchase", signed_headers, body, J));
  k.check("POST", "/api/webhooks/audio-company/purchase",
          c.Post("/api/webhooks/audio-company/purchase", {{"X-Continuata-Timestamp", ts}, {"X-Continuata-Signature", "sha256=00"}}, body, J));
  k.check("GET", "/api/purchases", c.Get("/api/purchases", admin));
  k.check("GET", "/api/reports/downloads?from=2020-01-01&to=2099-01-01", c.Get("/api/reports/downloads?from=2020-01-01&to=2099-01-01", admin));
  k.check("GET", "/api/reports/downloads?from=bad&to=2099-01-01", c.Get("/api/reports/downloads?from=bad&to=2099-01-01", admin));

  k.check("POST", "/api/portal/verification", c.Post("/api/portal/verification", R"({"email":"buyer@example.com"})", J));
  k.check("POST", "/api/portal/verification", c.Post("/api/portal/verification", R"({"email":"nope"})", J));
  auto outbox = c.Get("/api/dev/outbox?to=buyer@example.com");
  k.check("GET", "/api/dev/outbox?to=buyer@example.com", outbox);
  std::string text = json::parse(outbox->body)[0]["text"];
  std::string code = text.substr(text.find_first_of("0123456789"), 6);
  k.check("POST", "/api/portal/session", c.Post("/api/portal/session", R"({"email":"buyer@example.com","code":"12"})", J));
  std::string wrong = code == "000000" ? "111111" : "000000";
  k.check("POST", "/api/portal/session",
          c.Post("/api/portal/session", R"({"email":"buyer@example.com","code":")" + wrong + "\"}", J));
  auto session = c.Post("/api/portal/session", R"({"email":"buyer@example.com","code":")" + code + "\"}", J);
  k.check("POST", "/api/portal/session", session);
  std::string token = json::parse(session->body)["sessionToken"];
  httplib::Headers customer{{"Authorization", "Bearer " + token}};
  auto list = c.Get("/api/portal/purchases", customer);
  k.check("GET", "/api/portal/purchases", list);
  int64_t pid = json::parse(list->body)["purchases"][0]["purchaseId"];
  k.check("POST", "/api/portal/download-url",
          c.Post("/api/portal/download-url", customer, json({{"purchaseId", pid}}).dump(), J));
  k.check("POST", "/api/portal/download-url", c.Post("/api/portal/download-url", customer, R"({"purchaseId":1})", J));
  k.check("DELETE", "/api/portal/session", c.Delete("/api/portal/session", customer));
  k.check("GET", "/api/portal/purchases", c.Get("/api/portal/purchases", customer));
  for (int i = 0; i < 5; ++i) c.Post("/api/portal/verification", R"({"email":"busy@example.com"})", J);
  k.check("POST", "/api/portal/verification", c.Post("/api/portal/verification", R"({"email":"busy@example.com"})", J));

  for (auto& [path_key, ops] : k.doc["paths"].items())
    for (auto& op : ops.items()) {
      // Copies, not structured bindings: CHECK_MESSAGE's lambda cannot capture those in clang 14.
      const std::string path = path_key, method = op.key();
      CHECK_MESSAGE(k.exercised.count(method + " " + path), "not exercised: " << method << " " << path);
    }
}
