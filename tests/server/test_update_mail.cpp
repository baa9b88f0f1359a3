// Release notes, update mail and mail in the buyer's language, over real HTTP: notes are
// checked and carried to the portal; activating a newer version mails each buyer once (per
// email, never twice for a version, across re-activation and restarts), none to an opted-out
// buyer, with RFC 8058's headers; the one-click unsubscribe opts out only by POST and refuses
// forged or altered tokens; a German portal gets German mail over a real SMTP server.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "server/org_fixture.hpp"
#include "server/server_fixture.hpp"
#include "server/service_update_mail.hpp"
#include "server/smtp_sink.hpp"
#include "server/store_portal.hpp"

using continuata::testing::SharedStore;
using continuata::testing::TestOrg;
using continuata::testing::TestServer;
using nlohmann::json;
namespace srv = continuata::server;

namespace {

srv::ServerConfig dev_config(srv::ServerConfig c = {}) {
  c.dev = true;
  return c;
}

json outbox(TestServer& s, const std::string& to) {
  auto r = s.client().Get(("/api/dev/outbox?to=" + to).c_str());
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return json::parse(r->body);
}

// The update notices (List-Unsubscribe carried) in an address's outbox.
std::vector<json> notices(TestServer& s, const std::string& to) {
  std::vector<json> out;
  for (auto& m : outbox(s, to))
    if (m["headers"].contains("List-Unsubscribe")) out.push_back(m);
  return out;
}

void activate(const TestOrg& org, const std::string& pid, const std::string& v) {
  auto r = org.post("/api/products/" + pid + "/versions/" + v + "/activate", json::object());
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
}

// A new version with one file and these notes, then activated.
void release(const TestOrg& org, const std::string& pid, const std::string& v, const json& notes = nullptr) {
  json body = {{"version", v}};
  if (!notes.is_null()) body["notes"] = notes;
  auto created = org.post("/api/products/" + pid + "/versions", body);
  REQUIRE(created);
  REQUIRE_MESSAGE(created->status == 201, created->body);
  REQUIRE(org.c()
              .Put(("/api/products/" + pid + "/versions/" + v + "/files/kit.zip").c_str(), org.A,
                   "bytes " + v, "application/octet-stream")
              ->status == 201);
  activate(org, pid, v);
}

std::string token_of(const json& notice) {
  std::string header = notice["headers"]["List-Unsubscribe"];
  std::smatch m;
  REQUIRE(std::regex_search(header, m, std::regex(R"(^<(http://[^>]+/api/unsubscribe\?t=([0-9a-f.]+))>$)")));
  return m[2];
}

httplib::Result one_click(TestServer& s, const std::string& token) {
  return s.client().Post(("/api/unsubscribe?t=" + token).c_str(), "List-Unsubscribe=One-Click",
                         "application/x-www-form-urlencoded");
}

}  // namespace

TEST_CASE("release notes: given at creation or later, bounded plain text, carried to the buyer's portal") {
  TestServer s(dev_config());
  TestOrg org(s, "notes-org");
  org.product("kit", {{"a.wav", "a"}});
  auto created =
      org.post("/api/products/kit/versions", {{"version", "1.1.0"}, {"notes", "Faster.\r\nNew kicks."}});
  REQUIRE(created->status == 201);
  CHECK(json::parse(created->body)["notes"] == "Faster.\nNew kicks.");
  auto put = [&](const json& body) {
    return org.c().Put("/api/products/kit/versions/1.1.0", org.A, body.dump(), "application/json");
  };
  std::string longest;
  for (int i = 0; i < 4000; ++i) longest += "é";  // 4,000 characters, 8,000 bytes
  CHECK(put({{"notes", longest}})->status == 200);
  CHECK(put({{"notes", longest + "e"}})->status == 400);
  CHECK(put({{"notes", "bell \x07"}})->status == 400);
  CHECK(put({{"notes", "c1 \xc2\x85"}})->status == 400);
  CHECK(put({{"notes", 5}})->status == 400);
  CHECK(put({{"version", "2.0.0"}})->status == 400);
  CHECK(put({{"colour", "red"}})->status == 400);
  CHECK(org.post("/api/products/kit/versions", {{"version", "1.2.0"}, {"notes", "\x01"}})->status == 400);
  CHECK(org.c().Get("/api/products/kit/versions/1.2.0", org.A)->status == 404);  // refused: not created
  auto ok = put({{"notes", "Tabs\tand\nlines stay."}});
  REQUIRE(ok->status == 200);
  CHECK(json::parse(ok->body)["notes"] == "Tabs\tand\nlines stay.");
  CHECK(json::parse(org.c().Get("/api/products/kit/versions/1.1.0", org.A)->body)["notes"] ==
        "Tabs\tand\nlines stay.");
  CHECK(put({{"notes", nullptr}})->status == 200);
  CHECK(json::parse(org.c().Get("/api/products/kit/versions/1.1.0", org.A)->body)["notes"].is_null());
  CHECK(org.c().Put("/api/products/kit/versions/9.9.9", org.A, "{}", "application/json")->status == 404);

  // The portal carries the notes of the latest active version.
  org.buy("fan@example.com", "o-1", "kit");
  CHECK(put({{"notes", "Now in 24-bit."}})->status == 200);
  REQUIRE(org.c()
              .Put("/api/products/kit/versions/1.1.0/files/a.wav", org.A, "b", "application/octet-stream")
              ->status == 201);
  activate(org, "kit", "1.1.0");
  REQUIRE(s.client()
              .Post("/api/portal/verification", R"({"email":"fan@example.com"})", "application/json")
              ->status == 202);
  std::smatch m;
  auto mails = outbox(s, "fan@example.com");  // newest first: the code, then the 1.1.0 notice
  REQUIRE(mails.size() == 2);
  std::string text = mails[0]["text"];
  REQUIRE(std::regex_search(text, m, std::regex(R"(\b(\d{6})\b)")));
  json session = {{"email", "fan@example.com"}, {"code", m[1].str()}};
  auto signed_in = s.client().Post("/api/portal/session", session.dump(), "application/json");
  REQUIRE(signed_in->status == 200);
  std::string token = json::parse(signed_in->body)["sessionToken"];
  auto list = s.client().Get("/api/portal/purchases", {{"Authorization", "Bearer " + token}});
  REQUIRE(list->status == 200);
  auto purchase = json::parse(list->body)["purchases"][0];
  CHECK(purchase["latestVersion"] == "1.1.0");
  CHECK(purchase["latestNotes"] == "Now in 24-bit.");
}

TEST_CASE(
    "activating a newer version mails each buyer once, none opted out, never twice, after a restart too") {
  SharedStore store;
  std::string opted_out_token;
  {
    TestServer s(dev_config(store.config()));
    TestOrg org(s, "audio");
    org.product("drums", {{"a.wav", "a"}});
    org.buy("one@example.com", "o-1", "drums");
    org.buy("ONE@example.com", "o-2", "drums");  // the same buyer again: one mail
    org.buy("two@example.com", "o-3", "drums");
    org.buy("quiet@example.com", "o-4", "drums");
    org.buy("three@example.com", "o-5", "drums");
    org.product("other", {{"b.wav", "b"}});
    org.buy("other@example.com", "o-6", "other");  // another product's buyer: no mail

    // The signed one-click link of the org and that email, before any notice went out.
    opted_out_token = srv::unsubscribe_token(s.app().context().server_secret, "audio", "quiet@example.com");
    auto page = s.client().Get(("/api/unsubscribe?t=" + opted_out_token).c_str());
    REQUIRE(page);
    CHECK(page->status == 200);  // a page with a button: fetching it changes nothing
    CHECK(page->body.find("<form method=\"post\"") != std::string::npos);
    CHECK(page->body.find("quiet@example.com") != std::string::npos);
    auto done = one_click(s, opted_out_token);
    REQUIRE(done);
    CHECK(done->status == 200);

    release(org, "drums", "1.1.0", "New snares.");
    for (const char* who : {"one@example.com", "two@example.com", "three@example.com"}) {
      CAPTURE(who);
      auto got = notices(s, who);
      REQUIRE(got.size() == 1);
      CHECK(got[0]["subject"] == "drums 1.1.0 is ready for you");
      CHECK(got[0]["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click");
      CHECK(std::string(got[0]["text"]).find("New snares.") != std::string::npos);
      CHECK(std::string(got[0]["html"]).find("New snares.") != std::string::npos);
    }
    CHECK(notices(s, "quiet@example.com").empty());
    CHECK(notices(s, "other@example.com").empty());

    // Back to 1.0.0 (older: no mail) and 1.1.0 again: nobody is told twice.
    activate(org, "drums", "1.0.0");
    activate(org, "drums", "1.1.0");
    CHECK(notices(s, "one@example.com").size() == 1);
    CHECK(notices(s, "two@example.com").size() == 1);
  }
  {
    TestServer s(dev_config(store.config()));  // a restart on the same store
    TestOrg org(s, "audio");                   // the org is there already; a new admin key
    activate(org, "drums", "1.0.0");
    activate(org, "drums", "1.1.0");
    CHECK(notices(s, "one@example.com").size() == 1);
    release(org, "drums", "1.2.0");
    auto one = notices(s, "one@example.com");
    REQUIRE(one.size() == 2);
    CHECK(one[0]["subject"] == "drums 1.2.0 is ready for you");  // newest first
    CHECK(notices(s, "quiet@example.com").empty());

    // The link in a notice opts out by POST; a forged or altered token changes nothing.
    std::string token = token_of(one[0]);
    std::string forged = srv::unsubscribe_token("not the server secret", "audio", "two@example.com");
    CHECK(one_click(s, forged)->status == 403);
    std::string altered = token;
    altered[0] = altered[0] == '6' ? '7' : '6';  // the payload changed, the signature kept
    CHECK(one_click(s, altered)->status == 403);
    CHECK(one_click(s, "zz.zz")->status == 400);
    CHECK(one_click(s, "")->status == 400);
    CHECK(s.client().Get("/api/unsubscribe?t=nothing")->status == 400);
    // A refused link names nobody: its page is in the browser's language.
    auto refused =
        s.client().Get("/api/unsubscribe?t=nothing", {{"Accept-Language", "fr;q=0.5, de-AT, en;q=0.8"}});
    REQUIRE(refused);
    CHECK(refused->status == 400);
    CHECK(refused->body.find("<html lang=\"de\"") != std::string::npos);
    CHECK(refused->body.find("Dieser Abbestell-Link ist ungültig") != std::string::npos);
    CHECK(s.client()
              .Post(("/api/unsubscribe?t=" + token).c_str(), "something=else",
                    "application/x-www-form-urlencoded")
              ->status == 400);  // not RFC 8058's body
    CHECK(s.client().Get(("/api/unsubscribe?t=" + token).c_str())->status ==
          200);  // a fetch: still subscribed
    release(org, "drums", "1.3.0");
    CHECK(notices(s, "one@example.com").size() == 3);
    CHECK(one_click(s, token)->status == 200);
    CHECK(one_click(s, token)->status == 200);  // idempotent
    release(org, "drums", "1.4.0");
    CHECK(notices(s, "one@example.com").size() == 3);
    CHECK(notices(s, "two@example.com").size() == 4);
  }
}

TEST_CASE("a German portal gets German mail over real SMTP: the code, then the update notice, paced") {
  continuata::testing::SmtpSink sink;
  std::string url = "smtp://127.0.0.1:" + std::to_string(sink.port());
  continuata::testing::SmtpEnvironment env(url);
  {
    srv::ServerConfig cfg;
    cfg.update_mail_per_minute = 60;  // one a second
    int64_t now = 0;                  // before the server: its mail thread reads it until it stops
    TestServer s(cfg);
    auto& ctx = s.app().context();
    TestOrg org(s, "klang");
    org.product("orgel", {{"a.wav", "a"}});
    org.buy("kunde@example.com", "o-1", "orgel");
    org.buy("zweite@example.com", "o-2", "orgel");
    auto res = s.client().Post("/api/portal/verification",
                               R"({"email":"kunde@example.com","org":"klang","language":"de-DE"})",
                               "application/json");
    REQUIRE(res);
    CHECK(res->status == 202);
    std::string code_mail = sink.message(1);
    CHECK(code_mail.find("Subject: =?UTF-8?B?") != std::string::npos);  // "für" is not ASCII
    std::string text = continuata::testing::part(code_mail, "text/plain");
    CHECK(text.find("Ihr Code für Ihre Downloads bei Org klang lautet:") != std::string::npos);
    CHECK(text.find("Der Code gilt 10 Minuten.") != std::string::npos);
    CHECK(continuata::testing::part(code_mail, "text/html").find("<html lang=\"de\">") != std::string::npos);

    // The clock stands still: the first notice is due now, the second a second later.
    now = ctx.now_ms();
    ctx.now_ms = [&now] { return now; };
    release(org, "orgel", "2.0.0", "Neue Register.");
    std::string notice = sink.message(2);
    CHECK(notice.find("List-Unsubscribe: <http://127.0.0.1:") != std::string::npos);
    CHECK(notice.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n") != std::string::npos);
    // Buyers in address order: kunde's first, in German (remembered from the code request).
    CHECK(notice.find("To: kunde@example.com\r\n") != std::string::npos);
    CHECK(notice.find("Subject: =?UTF-8?B?") != std::string::npos);  // "steht für Sie bereit"
    std::string body = continuata::testing::part(notice, "text/plain");
    CHECK(body.find("Eine neue Version von orgel von Org klang ist da: 2.0.0.") != std::string::npos);
    CHECK(body.find("Neu in 2.0.0:\r\n\r\nNeue Register.") != std::string::npos);  // CRLF on the wire
    CHECK(body.find("Keine Update-Mails mehr von Org klang: http://127.0.0.1:") != std::string::npos);
    for (int i = 0; i < 500 && srv::store::pending_mail_count(ctx.db->connection()) != 1; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(srv::store::pending_mail_count(ctx.db->connection()) == 1);  // not yet due
    now += 1000;
    std::string second = sink.message(3);
    CHECK(second.find("To: zweite@example.com\r\n") != std::string::npos);
    CHECK(second.find("Subject: orgel 2.0.0 is ready for you\r\n") !=
          std::string::npos);  // no language known
    CHECK(second.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n") != std::string::npos);
  }
}
