// Org profiles over real HTTP: the seller API reads and changes its own org's display name and
// help contact (admin to change, with the same validation as `admin set-profile`), the portal
// reads it before sign-in within the Origin's scope, and the admin CLI sets it.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/core_api.hpp"
#include "server/org_fixture.hpp"
#include "server/server_admin_cli.hpp"
#include "server/store_seller.hpp"

using continuata::testing::TestOrg;
using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;
namespace core = continuata::core;

namespace {

httplib::Result patch(const TestOrg& org, const json& body, const httplib::Headers& h) {
  return org.c().Patch("/api/org/profile", h, body.dump(), "application/json");
}

std::string error_of(const httplib::Result& r) {
  return json::parse(r->body).value("error", "");
}

}  // namespace

TEST_CASE("org profile: the seller API reads it and an admin key changes it, validated") {
  TestServer s;
  TestOrg org(s, "acme");
  auto& ctx = s.app().context();
  httplib::Headers member{{"Authorization", "Bearer " + srv::create_api_key(ctx, "acme", srv::Role::Member)}};

  auto first = org.c().Get("/api/org/profile", member);
  REQUIRE(first->status == 200);
  CHECK(json::parse(first->body) ==
        json{{"orgId", "acme"}, {"name", "Org acme"}, {"helpEmail", nullptr}, {"helpUrl", nullptr}});
  CHECK(org.c().Get("/api/org/profile")->status == 401);

  auto changed = patch(org,
                       {{"name", "  Acme Audio  "},
                        {"helpEmail", "help@acme.example"},
                        {"helpUrl", "https://acme.example/help"}},
                       org.A);
  REQUIRE(changed->status == 200);
  CHECK(json::parse(changed->body) == json{{"orgId", "acme"},
                                           {"name", "Acme Audio"},
                                           {"helpEmail", "help@acme.example"},
                                           {"helpUrl", "https://acme.example/help"}});
  // A subset changes only itself; null and "" clear a help field.
  auto partial = patch(org, {{"helpUrl", nullptr}}, org.A);
  REQUIRE(partial->status == 200);
  CHECK(json::parse(partial->body)["helpUrl"].is_null());
  CHECK(json::parse(partial->body)["helpEmail"] == "help@acme.example");
  CHECK(json::parse(patch(org, {{"helpEmail", ""}}, org.A)->body)["helpEmail"].is_null());
  CHECK(json::parse(org.c().Get("/api/org/profile", org.A)->body)["name"] == "Acme Audio");

  CHECK(patch(org, {{"name", "X"}}, member)->status == 403);
  CHECK(patch(org, {{"name", "X"}}, {})->status == 401);
  struct Bad {
    json body;
    const char* error;
  };
  for (const Bad& bad : std::vector<Bad>{
           {{{"name", ""}}, "\"name\" must not be empty"},
           {{{"name", "   "}}, "\"name\" must not be empty"},
           {{{"name", "Shop\r\nBcc: x@example.com"}},
            "\"name\" must be UTF-8 text without control characters"},
           {{{"name", std::string(201, 'n')}}, "\"name\" must be at most 200 bytes"},
           {{{"name", 5}}, "\"name\" must be a string"},
           {{{"name", nullptr}}, "\"name\" is required"},
           {{{"helpEmail", "not an email"}},
            "\"helpEmail\" must be an email address, like help@shop.example"},
           {{{"helpUrl", "javascript:alert(1)"}},
            "\"helpUrl\" must be an http:// or https:// URL without spaces or quotes"},
           {{{"helpUrl", "https://acme.example/\"><script>"}},
            "\"helpUrl\" must be an http:// or https:// URL without spaces or quotes"},
           {{{"orgId", "other"}}, "\"orgId\" is read-only"},
           {{{"logo", "x"}}, "Unknown field \"logo\": updatable fields are name, helpEmail and helpUrl"},
           {json::array(), "Request body must be a JSON object"},
       }) {
    auto r = patch(org, bad.body, org.A);
    CAPTURE(bad.body.dump());
    CHECK(r->status == 400);
    CHECK(error_of(r) == bad.error);
  }
  CHECK(org.c().Patch("/api/org/profile", org.A, "{not json", "application/json")->status == 400);
  // A refused change stores nothing, not even its valid fields.
  CHECK(patch(org, {{"name", "New"}, {"helpUrl", "ftp://x"}}, org.A)->status == 400);
  CHECK(json::parse(org.c().Get("/api/org/profile", org.A)->body)["name"] == "Acme Audio");
}

TEST_CASE("org profile: the portal reads it before sign-in, within the Origin's scope") {
  TestServer s;
  TestOrg a(s, "alpha"), b(s, "beta");
  auto& db = s.app().context().db->connection();
  srv::store::add_origin(db, "alpha", "https://alpha.example");
  srv::store::add_origin(db, "beta", "https://alpha.example");  // a page both shops allowed
  srv::store::add_origin(db, "beta", "https://beta.example");
  REQUIRE(patch(a, {{"name", "Alpha Audio"}, {"helpEmail", "help@alpha.example"}}, a.A)->status == 200);
  auto get = [&](const std::string& path, const std::string& origin = "") {
    httplib::Headers h;
    if (!origin.empty()) h.emplace("Origin", origin);
    return s.client().Get(path.c_str(), h);
  };

  // The server's own portal names any org; with none it has nothing to show.
  auto mine = get(core::profile_request("alpha").path);
  REQUIRE(mine->status == 200);
  auto parsed = core::parse_org_profile(mine->body);
  REQUIRE(parsed);
  CHECK(parsed->name == "Alpha Audio");
  CHECK(parsed->help_email == "help@alpha.example");
  CHECK(parsed->help_url.empty());
  CHECK(get("/api/portal/profile")->status == 204);
  CHECK(get("/api/portal/profile")->body.empty());
  CHECK(get("/api/portal/profile?org=")->status == 204);
  CHECK(get("/api/portal/profile?org=nobody")->status == 404);

  // beta's widget: its own profile even without naming it, never alpha's.
  auto own = get("/api/portal/profile", "https://beta.example");
  REQUIRE(own->status == 200);
  CHECK(json::parse(own->body)["orgId"] == "beta");
  CHECK(own->get_header_value("Access-Control-Allow-Origin") == "https://beta.example");
  CHECK(get("/api/portal/profile?org=alpha", "https://beta.example")->status == 403);
  // A page two shops allowed must say which; an unknown origin gets nothing.
  CHECK(get("/api/portal/profile", "https://alpha.example")->status == 403);
  CHECK(json::parse(get("/api/portal/profile?org=alpha", "https://alpha.example")->body)["name"] ==
        "Alpha Audio");
  CHECK(get("/api/portal/profile?org=alpha", "https://evil.example")->status == 403);
  CHECK(get("/api/portal/profile", "https://evil.example")->status == 403);
  // The preflight of a known widget lets it GET.
  auto pre = s.client().Options(
      "/api/portal/profile", {{"Origin", "https://beta.example"}, {"Access-Control-Request-Method", "GET"}});
  CHECK(pre->status == 204);
}

TEST_CASE("admin set-profile: sets the name and help contact, refuses what the API refuses") {
  TestServer s;
  TestOrg org(s, "acme");
  auto& ctx = s.app().context();
  auto& db = ctx.db->connection();
  auto profile = [&] { return *srv::store::find_org_profile(db, "acme"); };

  CHECK(srv::run_admin_command(ctx, {"set-profile", "--org", "acme", "--name", "Acme Audio", "--help-email",
                                     "help@acme.example", "--help-url", "https://acme.example/help"}) == 0);
  CHECK(profile().name == "Acme Audio");
  CHECK(profile().help_email == "help@acme.example");
  CHECK(profile().help_url == "https://acme.example/help");
  CHECK(srv::store::find_org(db, "acme")->name == "Acme Audio");  // one name: mail uses it too
  // Only what is given changes; "" clears a help field.
  CHECK(srv::run_admin_command(ctx, {"set-profile", "--org", "acme", "--help-url", ""}) == 0);
  CHECK(profile().help_url.empty());
  CHECK(profile().help_email == "help@acme.example");
  CHECK(profile().name == "Acme Audio");
  // What the seller API sees is what the CLI set.
  CHECK(json::parse(org.c().Get("/api/org/profile", org.A)->body)["helpUrl"].is_null());

  CHECK(srv::run_admin_command(ctx, {"set-profile", "--org", "acme", "--name", "Shop\nBcc: x@y.z"}) == 2);
  CHECK(srv::run_admin_command(ctx, {"set-profile", "--org", "acme", "--name", ""}) == 2);
  CHECK(srv::run_admin_command(ctx, {"set-profile", "--org", "acme", "--name", "Shop\xff"}) == 2);
  CHECK(srv::run_admin_command(ctx, {"set-profile", "--org", "acme", "--help-email", "nope"}) == 2);
  CHECK(srv::run_admin_command(ctx, {"set-profile", "--org", "acme", "--help-url", "file:///etc/passwd"}) ==
        2);
  CHECK(srv::run_admin_command(ctx, {"set-profile", "--org", "acme"}) == 2);  // nothing to set
  CHECK(srv::run_admin_command(ctx, {"set-profile", "--org", "acme", "--colour", "red"}) == 2);
  CHECK(srv::run_admin_command(ctx, {"set-profile", "--org", "nobody", "--name", "X"}) == 1);
  CHECK(srv::run_admin_command(ctx, {"set-profile", "--org", "acme", "--name"}) == 2);
  CHECK(profile().name == "Acme Audio");
  CHECK(profile().help_email == "help@acme.example");
}

TEST_CASE("org profile: a widget's verification mail names the seller as its profile has it") {
  srv::ServerConfig cfg;
  cfg.dev = true;  // the dev outbox
  TestServer s(cfg);
  TestOrg b(s, "beta");
  srv::store::add_origin(s.app().context().db->connection(), "beta", "https://beta.example");
  auto ask = [&](const std::string& email) {
    // The widget names no org: its Origin scopes the code to beta.
    auto r = s.client().Post("/api/portal/verification", {{"Origin", "https://beta.example"}},
                             json{{"email", email}}.dump(), "application/json");
    REQUIRE(r->status == 202);
    auto box = json::parse(s.client().Get(("/api/dev/outbox?to=" + email).c_str())->body);
    REQUIRE(box.size() >= 1);
    return box[0];
  };
  REQUIRE(patch(b, {{"name", "Beta Sound"}}, b.A)->status == 200);
  auto first = ask("buyer@example.com");
  std::string subject = first["subject"];
  CHECK(subject.rfind("Your Beta Sound download code: ", 0) == 0);
  CHECK(subject.find("Continuata") == std::string::npos);
  CHECK(std::string(first["text"]).find("Beta Sound") != std::string::npos);
  // Renamed through the seller API: the next mail says the new name.
  REQUIRE(patch(b, {{"name", "Beta Sound Ltd"}}, b.A)->status == 200);
  CHECK(std::string(ask("other@example.com")["subject"]).rfind("Your Beta Sound Ltd download code: ", 0) ==
        0);
}
