// A customer's second email over real HTTP with the dev outbox: linking with a code, the union
// library (each row's email), symmetric links, removal, no enumeration, codes of one kind never
// redeemed as the other, another customer seeing nothing, and the limits.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "server/server_fixture.hpp"
#include "server/service_demo.hpp"

using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;

namespace {

constexpr const char* kBuyer = "demo@example.com";
constexpr const char* kOther = "someone.else@example.com";  // the demo's order-2001

struct Portal {
  int64_t now = 1790000000000;  // moved by hand; declared before the server, whose threads read it
  TestServer server;
  Portal() : server(demo_config()) {
    server.app().context().now_ms = [this] { return now; };
    srv::seed_demo(server.app().context());
  }
  static srv::ServerConfig demo_config() {
    srv::ServerConfig c;
    c.demo = true;
    return c;
  }
  httplib::Result post(const std::string& path, const json& body, const std::string& token = "") {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return server.client().Post(path.c_str(), h, body.dump(), "application/json");
  }
  httplib::Result get(const std::string& path, const std::string& token) {
    return server.client().Get(path.c_str(), {{"Authorization", "Bearer " + token}});
  }
  httplib::Result remove(const std::string& email, const std::string& token) {
    return server.client().Delete(("/api/portal/emails/" + email).c_str(),
                                  {{"Authorization", "Bearer " + token}});
  }
  // The newest message to `email` and its code.
  std::string code_for(const std::string& email, std::string* subject = nullptr) {
    auto r = server.client().Get(("/api/dev/outbox?to=" + email).c_str());
    REQUIRE(r);
    auto list = json::parse(r->body);
    REQUIRE(!list.empty());
    if (subject) *subject = list[0]["subject"];
    std::smatch m;
    std::string text = list[0]["text"];
    REQUIRE(std::regex_search(text, m, std::regex(R"(\b(\d{6})\b)")));
    return m[1];
  }
  std::string sign_in(const std::string& email) {
    REQUIRE(post("/api/portal/verification", {{"email", email}})->status == 202);
    auto s = post("/api/portal/session", {{"email", email}, {"code", code_for(email)}});
    REQUIRE(s);
    REQUIRE(s->status == 200);
    return json::parse(s->body)["sessionToken"];
  }
  // Asks for a linking code and redeems it; returns the verify answer.
  httplib::Result link(const std::string& token, const std::string& email) {
    auto asked = post("/api/portal/emails", {{"email", email}}, token);
    REQUIRE(asked);
    REQUIRE(asked->status == 202);
    return post("/api/portal/emails/verify", {{"email", email}, {"code", code_for(email)}}, token);
  }
  json purchases(const std::string& token) { return json::parse(get("/api/portal/purchases", token)->body); }
};

json body_of(const httplib::Result& r) {
  REQUIRE(r);
  return json::parse(r->body, nullptr, false);
}

std::vector<std::string> emails_of(const json& list) {
  std::vector<std::string> out;
  for (const auto& e : list["emails"]) out.push_back(e["email"]);
  return out;
}

json row_of(const json& purchases, const std::string& order) {
  for (const auto& row : purchases["purchases"])
    if (row["orderId"] == order) return row;
  return nullptr;
}

}  // namespace

TEST_CASE("linked email: a code links another address, the library is the union, removal takes it away") {
  Portal p;
  std::string token = p.sign_in(kBuyer);
  CHECK(p.purchases(token)["purchases"].size() == 3);
  auto before = body_of(p.get("/api/portal/emails", token));
  CHECK(emails_of(before) == std::vector<std::string>{kBuyer});
  CHECK(before["emails"][0]["current"] == true);
  CHECK(before["max"] == 5);

  auto asked = p.post("/api/portal/emails", {{"email", "  Someone.Else@Example.com "}}, token);
  REQUIRE(asked);
  CHECK(asked->status == 202);
  std::string subject;
  std::string code = p.code_for(kOther, &subject);
  CHECK(subject.find("add this address") != std::string::npos);
  auto linked = p.post("/api/portal/emails/verify", {{"email", kOther}, {"code", code}}, token);
  REQUIRE(linked);
  REQUIRE(linked->status == 200);
  CHECK(emails_of(body_of(linked)) == std::vector<std::string>{kBuyer, kOther});
  CHECK(body_of(linked)["emails"][1]["current"] == false);

  json library = p.purchases(token);
  REQUIRE(library["purchases"].size() == 4);
  json theirs = row_of(library, "order-2001");
  REQUIRE(theirs.is_object());
  CHECK(theirs["email"] == kOther);
  CHECK(row_of(library, "order-1002")["email"] == kBuyer);  // bought as Demo@Example.com
  auto minted = p.post("/api/portal/download-url", {{"purchaseId", theirs["purchaseId"]}}, token);
  REQUIRE(minted);
  REQUIRE(minted->status == 200);
  std::string url = body_of(minted)["downloadUrl"];

  // Symmetric: signing in with the other address shows both.
  std::string other = p.sign_in(kOther);
  CHECK(p.purchases(other)["purchases"].size() == 4);
  CHECK(emails_of(body_of(p.get("/api/portal/emails", other))) == std::vector<std::string>{kOther, kBuyer});

  auto removed = p.remove(kOther, token);
  REQUIRE(removed);
  CHECK(removed->status == 200);
  CHECK(emails_of(body_of(removed)) == std::vector<std::string>{kBuyer});
  CHECK(p.purchases(token)["purchases"].size() == 3);
  CHECK(p.purchases(other)["purchases"].size() == 1);
  auto refused = p.post("/api/portal/download-url", {{"purchaseId", theirs["purchaseId"]}}, token);
  REQUIRE(refused);
  CHECK(refused->status == 404);
  // A link minted before keeps working until it expires (documented).
  auto file = p.server.client().Get(url.substr(url.find("/download")).c_str());
  REQUIRE(file);
  CHECK(file->status == 200);
  CHECK(p.remove(kOther, token)->status == 404);
}

TEST_CASE(
    "linked email: asking for a code answers the same for a buyer, a stranger and an address linked "
    "elsewhere") {
  Portal p;
  std::string other = p.sign_in(kOther);
  REQUIRE(p.link(other, "third@example.com")->status == 200);  // linked to someone else
  std::string token = p.sign_in(kBuyer);
  std::vector<httplib::Result> answers;
  for (const char* email : {kOther, "stranger@example.com", "third@example.com"})
    answers.push_back(p.post("/api/portal/emails", {{"email", email}}, token));
  for (auto& a : answers) {
    REQUIRE(a);
    CHECK(a->status == 202);
    CHECK(a->body == answers[0]->body);
    CHECK(a->get_header_value("Content-Type") == answers[0]->get_header_value("Content-Type"));
  }
  // Verifying an address linked elsewhere moves it here: its owner just proved it again.
  auto moved = p.post("/api/portal/emails/verify",
                      {{"email", "third@example.com"}, {"code", p.code_for("third@example.com")}}, token);
  REQUIRE(moved);
  CHECK(moved->status == 200);
  CHECK(emails_of(body_of(p.get("/api/portal/emails", other))) == std::vector<std::string>{kOther});
}

TEST_CASE("linked email: a linking code does not sign in, and a sign-in code does not link") {
  Portal p;
  std::string token = p.sign_in(kBuyer);
  REQUIRE(p.post("/api/portal/emails", {{"email", kOther}}, token)->status == 202);
  std::string link_code = p.code_for(kOther);
  auto sign_in = p.post("/api/portal/session", {{"email", kOther}, {"code", link_code}});
  REQUIRE(sign_in);
  CHECK(sign_in->status == 401);

  REQUIRE(p.post("/api/portal/verification", {{"email", kOther}})->status == 202);
  std::string sign_in_code = p.code_for(kOther);
  if (sign_in_code != link_code) {
    auto wrong = p.post("/api/portal/emails/verify", {{"email", kOther}, {"code", sign_in_code}}, token);
    REQUIRE(wrong);
    CHECK(wrong->status == 401);
    CHECK(body_of(wrong)["triesLeft"] == 4);
  }
  CHECK(p.post("/api/portal/emails/verify", {{"email", kOther}, {"code", link_code}}, token)->status == 200);
  CHECK(p.post("/api/portal/session", {{"email", kOther}, {"code", sign_in_code}})->status == 200);
}

TEST_CASE("linked email: another customer's session sees nothing of the link and cannot use its code") {
  Portal p;
  std::string token = p.sign_in(kBuyer);
  REQUIRE(p.post("/api/portal/emails", {{"email", kOther}}, token)->status == 202);
  std::string code = p.code_for(kOther);
  std::string stranger = p.sign_in("stranger@example.com");
  auto stolen = p.post("/api/portal/emails/verify", {{"email", kOther}, {"code", code}}, stranger);
  REQUIRE(stolen);
  CHECK(stolen->status == 401);
  CHECK(p.post("/api/portal/emails/verify", {{"email", kOther}, {"code", code}}, token)->status == 200);

  CHECK(emails_of(body_of(p.get("/api/portal/emails", stranger))) ==
        std::vector<std::string>{"stranger@example.com"});
  CHECK(p.purchases(stranger)["purchases"].empty());
  CHECK(p.remove(kOther, stranger)->status == 404);
  json theirs = row_of(p.purchases(token), "order-2001");
  REQUIRE(theirs.is_object());
  CHECK(p.post("/api/portal/download-url", {{"purchaseId", theirs["purchaseId"]}}, stranger)->status == 404);
  CHECK(p.purchases(token)["purchases"].size() == 4);  // the stranger's attempts changed nothing
}

TEST_CASE("linked email limits: five addresses, the own address stays, wrong codes count with sign-in's") {
  Portal p;
  std::string token = p.sign_in(kBuyer);
  for (int i = 1; i <= 4; ++i) {
    REQUIRE(p.link(token, "extra" + std::to_string(i) + "@example.com")->status == 200);
    p.now += 61000;  // past the per-minute limits of codes and redemptions per IP
  }
  CHECK(body_of(p.get("/api/portal/emails", token))["emails"].size() == 5);
  auto full = p.post("/api/portal/emails", {{"email", "extra5@example.com"}}, token);
  REQUIRE(full);
  CHECK(full->status == 409);
  CHECK(std::string(body_of(full)["error"]).find("Remove one") != std::string::npos);
  auto own = p.remove(kBuyer, token);
  REQUIRE(own);
  CHECK(own->status == 409);
  CHECK(p.remove("EXTRA4@example.com", token)->status == 200);  // normalised like every email
  CHECK(body_of(p.get("/api/portal/emails", token))["emails"].size() == 4);

  // 15 wrong sign-in codes and 5 wrong linking codes for one address: its 20 a day are spent, so
  // even the right linking code is refused.
  const std::string target = "target@example.com";
  for (int round = 0; round < 3; ++round) {
    REQUIRE(p.post("/api/portal/verification", {{"email", target}})->status == 202);
    std::string wrong = p.code_for(target) == "000000" ? "111111" : "000000";
    for (int i = 0; i < 5; ++i) p.post("/api/portal/session", {{"email", target}, {"code", wrong}});
    p.now += 61000;
  }
  REQUIRE(p.post("/api/portal/emails", {{"email", target}}, token)->status == 202);
  std::string code = p.code_for(target);
  std::string wrong = code == "000000" ? "111111" : "000000";
  for (int left = 4; left >= 0; --left) {
    auto r = p.post("/api/portal/emails/verify", {{"email", target}, {"code", wrong}}, token);
    REQUIRE(r);
    CHECK(r->status == (left == 0 ? 410 : 401));
    CHECK(body_of(r)["triesLeft"] == left);
  }
  p.now += 61000;
  REQUIRE(p.post("/api/portal/emails", {{"email", target}}, token)->status == 202);
  auto spent = p.post("/api/portal/emails/verify", {{"email", target}, {"code", p.code_for(target)}}, token);
  REQUIRE(spent);
  CHECK(spent->status == 429);
}

TEST_CASE("linked email: bad input is a 400 and every route needs a session") {
  Portal p;
  std::string token = p.sign_in(kBuyer);
  CHECK(p.post("/api/portal/emails", {{"email", "not an email"}}, token)->status == 400);
  CHECK(p.post("/api/portal/emails", json::array(), token)->status == 400);
  CHECK(p.post("/api/portal/emails/verify", {{"email", kOther}, {"code", "12"}}, token)->status == 400);
  CHECK(p.post("/api/portal/emails", {{"email", kOther}})->status == 401);
  CHECK(p.post("/api/portal/emails/verify", {{"email", kOther}, {"code", "123456"}})->status == 401);
  CHECK(p.server.client().Get("/api/portal/emails")->status == 401);
  CHECK(p.server.client().Delete("/api/portal/emails/x%40example.com")->status == 401);
}

TEST_CASE("linked email: the code mail speaks the language the customer signed in with, or the request's") {
  Portal p;
  REQUIRE(p.post("/api/portal/verification", {{"email", kBuyer}, {"language", "de-DE"}})->status == 202);
  auto s = p.post("/api/portal/session", {{"email", kBuyer}, {"code", p.code_for(kBuyer)}});
  REQUIRE(s->status == 200);
  std::string token = json::parse(s->body)["sessionToken"];
  REQUIRE(p.post("/api/portal/emails", {{"email", kOther}}, token)->status == 202);
  std::string subject;
  p.code_for(kOther, &subject);
  CHECK(subject.find("Ihr Code, um diese Adresse") == 0);
  REQUIRE(p.post("/api/portal/emails", {{"email", kOther}, {"language", "fr"}}, token)->status == 202);
  p.code_for(kOther, &subject);
  CHECK(subject.find("Votre code pour ajouter") == 0);
}
