// Rate limits hold across instances: two servers on one store (one SQLite file in a shared data
// folder, or one PostgreSQL schema when CONTINUATA_TEST_DATABASE is set) share every count,
// including when requests race on both at once.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <vector>

#include "server/server_fixture.hpp"
#include "server/service_rate_limit.hpp"

using continuata::testing::SharedStore;
using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;

TEST_CASE("a per-email limit spread over two instances holds exactly: 5 codes a minute in all") {
  SharedStore store;
  int64_t now = 1790000000000;  // before the servers: their threads read the clock until they stop
  TestServer a(store.config()), b(store.config());
  a.app().context().now_ms = [&] { return now; };
  b.app().context().now_ms = [&] { return now; };
  auto ask = [&](TestServer& s, const std::string& email) {
    return s.client()
        .Post("/api/portal/verification", json{{"email", email}}.dump(), "application/json")
        ->status;
  };
  std::vector<int> statuses;
  for (int i = 0; i < 8; ++i) statuses.push_back(ask(i % 2 ? b : a, "limits@example.com"));
  CHECK(statuses == std::vector<int>{202, 202, 202, 202, 202, 429, 429, 429});
  CHECK(ask(b, "other@example.com") == 202);  // another email has its own budget
  now += 60001;
  CHECK(ask(a, "limits@example.com") == 202);  // the minute has passed on both
}

TEST_CASE("racing on both instances at once, no more than the limit gets through") {
  SharedStore store;
  TestServer a(store.config()), b(store.config());
  std::atomic<int> accepted{0}, refused{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t)
    clients.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) {
        auto r = (t % 2 ? b : a)
                     .client()
                     .Post("/api/portal/verification", json{{"email", "race@example.com"}}.dump(),
                           "application/json");
        if (r && r->status == 202) ++accepted;
        if (r && r->status == 429) ++refused;
      }
    });
  for (auto& c : clients) c.join();
  CHECK(accepted == 5);  // codes_per_email: 5 a minute, counted once across the two servers
  CHECK(refused == 24 - 5);
}
