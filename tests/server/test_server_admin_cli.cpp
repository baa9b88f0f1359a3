// The operator's side of hardening: keys can be revoked, org names cannot carry line breaks into
// mail headers, --demo/--dev never listen off loopback by accident, and report cells cannot run
// as spreadsheet formulas.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "server/org_fixture.hpp"
#include "server/server_admin_cli.hpp"
#include "server/server_config.hpp"
#include "server/service_reports.hpp"

using continuata::testing::TestOrg;
using continuata::testing::TestServer;
namespace srv = continuata::server;

TEST_CASE("admin revoke-key: the key stops working at once; list-keys never shows keys") {
  TestServer s;
  TestOrg org(s, "acme");
  auto& ctx = s.app().context();
  CHECK(s.client().Get("/api/products", org.A)->status == 200);
  CHECK(srv::run_admin_command(ctx, {"revoke-key", "--org", "acme", "--key", org.admin}) == 0);
  CHECK(s.client().Get("/api/products", org.A)->status == 401);
  CHECK(srv::run_admin_command(ctx, {"revoke-key", "--org", "acme", "--key", org.admin}) ==
        1);  // already revoked
  CHECK(srv::run_admin_command(ctx, {"revoke-key", "--org", "acme", "--id", "999"}) == 1);
  std::string other = srv::create_api_key(ctx, "acme", srv::Role::Member);
  auto keys = srv::store::list_api_keys(ctx.db->connection(), "acme");
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].revoked_at);
  CHECK(!keys[1].revoked_at);
  CHECK(srv::run_admin_command(ctx, {"revoke-key", "--org", "acme", "--id", std::to_string(keys[1].id)}) ==
        0);
  CHECK(s.client().Get("/api/products", {{"Authorization", "Bearer " + other}})->status == 401);
  CHECK(srv::run_admin_command(ctx, {"list-keys", "--org", "acme"}) == 0);
}

TEST_CASE("admin create-org: a name with line breaks or invalid UTF-8 is refused") {
  TestServer s;
  auto& ctx = s.app().context();
  CHECK(srv::run_admin_command(
            ctx, {"create-org", "--id", "a", "--name", "Shop\r\nBcc: everyone@example.com"}) == 2);
  CHECK(srv::run_admin_command(ctx, {"create-org", "--id", "b", "--name", "Shop\xff"}) == 2);
  CHECK(srv::run_admin_command(ctx, {"create-org", "--id", "c", "--name", "Café Ωmega"}) == 0);
  CHECK(!srv::store::find_org(ctx.db->connection(), "a"));
}

TEST_CASE("--demo and --dev listen only on loopback unless forced") {
  auto parse = [](std::vector<std::string> a) { return srv::parse_server_config(a); };
  CHECK(!parse({"--data", "d", "--demo", "--host", "0.0.0.0"}).config);
  CHECK(!parse({"--data", "d", "--dev", "--host", "192.0.2.1"}).config);
  CHECK(!parse({"--data", "d", "--dev", "--host", "::"}).config);
  CHECK(parse({"--data", "d", "--demo", "--host", "127.0.0.1"}).config);
  CHECK(parse({"--data", "d", "--demo", "--host", "::1"}).config);
  CHECK(parse({"--data", "d", "--demo", "--host", "0.0.0.0", "--unsafe-dev-on-public-host"}).config);
  CHECK(parse({"--data", "d", "--host", "0.0.0.0"}).config);  // without the dev outbox any host is fine
}

TEST_CASE("report cells that a spreadsheet would run are neutralised, then quoted by RFC 4180") {
  CHECK(srv::csv_field("=1+1") == "'=1+1");
  CHECK(srv::csv_field("+x") == "'+x");
  CHECK(srv::csv_field("-x") == "'-x");
  CHECK(srv::csv_field("@SUM(A1)") == "'@SUM(A1)");
  CHECK(srv::csv_field("\tcmd") == "'\tcmd");
  CHECK(srv::csv_field("\rcmd") == "\"'\rcmd\"");
  CHECK(srv::csv_field("a,b") == "\"a,b\"");
  CHECK(srv::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(srv::csv_field("plain") == "plain");
}

TEST_CASE("the downloads report streams page by page and ends with every row once") {
  TestServer s;
  TestOrg org(s, "acme");
  org.product("pack", {{"a.txt", "alpha"}});
  std::string link = org.mint("pack");
  for (int i = 0; i < 1203; ++i) {  // more than two pages of 500
    srv::store::DownloadSession d;
    d.token_id = 1;
    d.org_id = "acme";
    d.file_path = "a.txt";
    d.range_end = 4;
    d.counted = true;
    d.ip = "127.0.0.1";
    d.user_agent = "ua" + std::to_string(i);
    d.created_at = s.app().context().now_ms() - (i % 7);  // equal timestamps across page edges
    srv::store::insert_download_session(s.app().context().db->connection(), d);
  }
  auto r = s.client().Get("/api/reports/downloads?from=2000-01-01&to=2100-01-01", org.A);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Transfer-Encoding") == "chunked");
  size_t rows = 0;
  for (size_t at = r->body.find("\r\n"); at != std::string::npos && at + 2 < r->body.size();
       at = r->body.find("\r\n", at + 2))
    ++rows;
  CHECK(rows == 1203);
  for (int i : {0, 499, 500, 1000, 1202})
    CHECK(r->body.find(",ua" + std::to_string(i) + ",file\r\n") != std::string::npos);
}
