// Guessing codes: the per-email budget of wrong codes across new codes, and rate-limit keys that
// group an IPv6 customer's /64.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "server/server_fixture.hpp"
#include "server/service_demo.hpp"
#include "server/service_rate_limit.hpp"
#include "server/service_verification_codes.hpp"

using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;

TEST_CASE("a new code never resets the wrong-code budget: 20 wrong codes a day per email, then 429") {
  srv::ServerConfig cfg;
  cfg.demo = true;
  int64_t now = 1790000000000;  // before the server: its threads read the clock until it stops
  TestServer server(cfg);
  server.app().context().now_ms = [&] { return now; };
  srv::seed_demo(server.app().context());
  auto post = [&](const std::string& path, const json& body) {
    return server.client().Post(path.c_str(), body.dump(), "application/json");
  };
  auto code = [&] {
    auto r = server.client().Get("/api/dev/outbox?to=demo@example.com");
    std::string text = json::parse(r->body)[0]["text"];
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex(R"(\b(\d{6})\b)")));
    return m[1].str();
  };
  int wrong = 0;
  for (int round = 0; round < 4; ++round) {
    now += 3600001;  // past the hourly sending and session limits
    REQUIRE(post("/api/portal/verification", {{"email", "demo@example.com"}})->status == 202);
    std::string right = code();
    std::string guess = right == "000000" ? "111111" : "000000";
    for (int i = 0; i < srv::kCodeTries; ++i, ++wrong) {
      now += 1000;
      int status = post("/api/portal/session", {{"email", "demo@example.com"}, {"code", guess}})->status;
      CHECK((status == 401 || status == 410));
    }
  }
  REQUIRE(wrong == srv::kWrongCodesPerDay);
  now += 3600001;
  REQUIRE(post("/api/portal/verification", {{"email", "demo@example.com"}})->status == 202);
  auto refused = post("/api/portal/session", {{"email", "demo@example.com"}, {"code", code()}});
  CHECK(refused->status == 429);  // even the right code: the day's guesses are spent
  int64_t retry = std::stoll(refused->get_header_value("Retry-After"));
  CHECK(retry > 0);
  CHECK(retry <= 24 * 3600);
  // Once the window has passed, the right code works again.
  now += retry * 1000;
  REQUIRE(post("/api/portal/verification", {{"email", "demo@example.com"}})->status == 202);
  CHECK(post("/api/portal/session", {{"email", "demo@example.com"}, {"code", code()}})->status == 200);
  // Another email was never affected.
}

TEST_CASE("rate-limit keys: IPv4 as it is, IPv6 by its /64") {
  CHECK(srv::ip_rate_key("203.0.113.7") == "ip:203.0.113.7");
  CHECK(srv::ip_rate_key("2001:db8:1:2:3:4:5:6") == "ip6:2001:db8:1:2::/64");
  CHECK(srv::ip_rate_key("2001:db8:1:2:ffff:ffff:ffff:ffff") == srv::ip_rate_key("2001:db8:1:2::1"));
  CHECK(srv::ip_rate_key("2001:db8:1:3::1") != srv::ip_rate_key("2001:db8:1:2::1"));
  CHECK(srv::ip_rate_key("::1") == "ip6:::/64");
}
