// Whole customer journeys through the portal's state machine, driven by events with the HTTP
// answers the server gives: the commands it issues and the words it shows are checked.
#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/core_format.hpp"
#include "core/core_state.hpp"
#include "core/core_time.hpp"

using namespace continuata::core;
using nlohmann::json;

namespace {

constexpr int64_t T0 = 1790000000000;

HttpResponse answer(int status, json body, std::string retry_after = "") {
  return HttpResponse{status, body.dump(), retry_after, TransportFailure::None};
}

// The HTTP command among `cmds`, which must be exactly one.
const HttpCommand& http(const std::vector<Command>& cmds) {
  const HttpCommand* found = nullptr;
  for (auto& c : cmds)
    if (auto h = std::get_if<HttpCommand>(&c)) {
      REQUIRE(found == nullptr);
      found = h;
    }
  REQUIRE(found != nullptr);
  return *found;
}

template <class T>
bool has(const std::vector<Command>& cmds) {
  for (auto& c : cmds)
    if (std::holds_alternative<T>(c)) return true;
  return false;
}

json purchases_json(int n) {
  json list = json::array();
  for (int i = 0; i < n; ++i)
    list.push_back(
        {{"purchaseId", i + 1},
         {"orderId", "order-" + std::to_string(1000 + i)},
         {"purchasedAt", format_iso8601_utc(T0 - int64_t(i) * 86400000)},
         {"productId", "product-" + std::to_string(i)},
         {"productName", i % 2 ? "Drum Kit " + std::to_string(i) : "Synth Pack " + std::to_string(i)},
         {"purchasedVersion", "1.0.0"},
         {"latestVersion", i == 0 ? "1.1.0" : "1.0.0"},
         {"files", {{{"path", "f.zip"}, {"size", 1400000}, {"sha256", std::string(64, 'a')}}}}});
  return {{"email", "demo@example.com"}, {"purchases", list}};
}

json session_json(int64_t expires) {
  return {{"sessionToken", std::string(64, 't')},
          {"email", "demo@example.com"},
          {"expiresAt", format_iso8601_utc(expires)}};
}

// Signs in through the email and code screens; returns the state on the library.
State signed_in(int purchases = 3) {
  State s;
  update(s, Started{{"https://api.example", "audio-company", "en"}, std::nullopt, "", "", T0});
  update(s, EmailEdited{" demo@example.com "});
  auto send = http(update(s, SubmitEmail{}));
  CHECK(send.request.method == "POST");
  CHECK(send.request.url == "https://api.example/api/portal/verification");
  CHECK(json::parse(send.request.body) == json{{"email", "demo@example.com"},
                                               {"org", "audio-company"},
                                               {"language", "en"}});  // the mail's language
  update(s, HttpDone{RequestKind::SendCode, 0, answer(202, {{"status", "sent"}}), send.epoch});
  CHECK(s.screen == Screen::Code);
  update(s, CodeEdited{"123 456"});
  auto verify = http(update(s, SubmitCode{}));
  CHECK(json::parse(verify.request.body) == json{{"email", "demo@example.com"}, {"code", "123456"}});
  auto after = update(s, HttpDone{RequestKind::Verify, 0, answer(200, session_json(T0 + 7LL * 86400000))});
  CHECK(has<SaveSession>(after));
  auto list = http(after);
  CHECK(list.request.url == "https://api.example/api/portal/purchases?org=audio-company");
  CHECK(list.request.bearer == std::string(64, 't'));
  update(s, HttpDone{RequestKind::Purchases, 0, answer(200, purchases_json(purchases))});
  return s;
}

}  // namespace

TEST_CASE("happy path: email, code, library, link, copy, open, sign out") {
  State s = signed_in();
  CHECK(s.screen == Screen::Library);
  CHECK(s.purchases.size() == 3);
  CHECK(status_line(s) == "3 purchases.");
  CHECK(!busy(s));

  auto mint = http(update(s, GetLink{1}));
  CHECK(mint.request.url == "https://api.example/api/portal/download-url");
  CHECK(json::parse(mint.request.body) == json{{"purchaseId", 1}});
  CHECK(busy(s));
  update(s, HttpDone{RequestKind::DownloadLink, 1,
                     answer(200, {{"success", true},
                                  {"productId", "product-0"},
                                  {"version", "1.1.0"},
                                  {"downloadToken", "x"},
                                  {"downloadUrl", "https://api.example/download?token=x"},
                                  {"expiresAt", format_iso8601_utc(T0 + 86400000)}})});
  CHECK(s.links[1].status == Status::Succeeded);
  CHECK(status_line(s) == "Your download link is ready. Expires in 24 h 0 min.");
  auto copy = update(s, CopyLink{1});
  REQUIRE(copy.size() == 1);
  CHECK(std::get<CopyText>(copy[0]).text == "https://api.example/download?token=x");
  update(s, CopyDone{true});
  CHECK(status_line(s) == "Link copied.");
  auto open = update(s, OpenLink{1});
  CHECK(std::get<OpenUrl>(open[0]).url == "https://api.example/download?token=x");
  // The countdown wakes the screen once a second while a link is shown.
  CHECK(next_wakeup_ms(s) == T0 + 1000);

  auto out = update(s, SignOut{});
  CHECK(has<ClearSession>(out));
  CHECK(http(out).request.method == "DELETE");
  CHECK(s.screen == Screen::Email);
  CHECK(!s.session);
  CHECK(s.purchases.empty());
  CHECK(status_line(s) == "You are signed out.");
}

TEST_CASE("bad email and bad code are caught before anything is sent") {
  State s;
  update(s, Started{{}, std::nullopt, "", "", T0});
  update(s, EmailEdited{"not-an-email"});
  CHECK(update(s, SubmitEmail{}).empty());
  CHECK(s.notice_is_error);
  CHECK(status_line(s).find("valid email") != std::string::npos);
  update(s, EmailEdited{"a@example.com"});
  update(s, SubmitEmail{});
  update(s, HttpDone{RequestKind::SendCode, 0, answer(202, json::object())});
  update(s, CodeEdited{"12345"});
  CHECK(update(s, SubmitCode{}).empty());
  CHECK(status_line(s) == "The code is the 6 digits from the email.");
}

TEST_CASE("the portal applies the server's email and code rules (core_api) before sending") {
  State s;
  update(s, Started{{}, std::nullopt, "", "", T0});
  // What the server would refuse with a 400 is refused here, without a request.
  for (const char* bad : {"a@b", "a@example.", "a\r@example.com", "<a@example.com>"}) {
    update(s, EmailEdited{bad});
    CHECK_MESSAGE(update(s, SubmitEmail{}).empty(), bad);
  }
  // Case does not matter to the check; the address is sent as typed (trimmed).
  update(s, EmailEdited{" Demo@Example.com "});
  auto send = http(update(s, SubmitEmail{}));
  CHECK(json::parse(send.request.body)["email"] == "Demo@Example.com");
  update(s, HttpDone{RequestKind::SendCode, 0, answer(202, json::object()), send.epoch});
  update(s, CodeEdited{"123.456"});  // only spaces and hyphens are ignored, as on the server
  CHECK(update(s, SubmitCode{}).empty());
  update(s, CodeEdited{" 654-321 "});
  auto verify = http(update(s, SubmitCode{}));
  CHECK(json::parse(verify.request.body)["code"] == "654321");
}

TEST_CASE("a wrong code says how many tries are left; a spent code clears the field") {
  State s;
  update(s, Started{{}, std::nullopt, "", "", T0});
  update(s, EmailEdited{"a@example.com"});
  update(s, SubmitEmail{});
  update(s, HttpDone{RequestKind::SendCode, 0, answer(202, json::object())});
  update(s, CodeEdited{"000000"});
  update(s, SubmitCode{});
  update(s, HttpDone{RequestKind::Verify, 0,
                     answer(401, {{"error", "That code is not right. 4 tries left."}, {"triesLeft", 4}})});
  CHECK(s.screen == Screen::Code);
  CHECK(s.verify_status == Status::Failed);
  CHECK(status_line(s) == "That code is not right. 4 tries left.");
  update(s, SubmitCode{});
  update(s, HttpDone{RequestKind::Verify, 0,
                     answer(410, {{"error", "This code has expired. Ask for a new code."}})});
  CHECK(s.code.empty());
  CHECK(status_line(s) == "This code has expired or has no tries left. Ask for a new code.");
}

TEST_CASE("resend waits out its cooldown; use a different email goes back") {
  State s;
  update(s, Started{{}, std::nullopt, "", "", T0});
  update(s, EmailEdited{"a@example.com"});
  update(s, SubmitEmail{});
  update(s, HttpDone{RequestKind::SendCode, 0, answer(202, json::object())});
  CHECK(resend_wait_seconds(s) == 30);
  CHECK(update(s, ResendCode{}).empty());
  update(s, Tick{T0 + 29500});
  CHECK(resend_wait_seconds(s) == 1);
  update(s, Tick{T0 + 30000});
  CHECK(resend_wait_seconds(s) == 0);
  CHECK(http(update(s, ResendCode{})).request.url == "/api/portal/verification");
  update(s, UseDifferentEmail{});
  CHECK(s.screen == Screen::Email);
}

TEST_CASE("429 shows the wait as a countdown and holds sending until it ends") {
  State s;
  update(s, Started{{}, std::nullopt, "", "", T0});
  update(s, EmailEdited{"a@example.com"});
  update(s, SubmitEmail{});
  update(s, HttpDone{RequestKind::SendCode, 0, answer(429, {{"error", "Too many requests."}}, "42")});
  CHECK(status_line(s) == "Too many requests. Try again in 42 seconds.");
  CHECK(next_wakeup_ms(s) == T0 + 1000);
  update(s, Tick{T0 + 2000});
  CHECK(status_line(s) == "Too many requests. Try again in 40 seconds.");
  CHECK(update(s, SubmitEmail{}).empty());
  update(s, Tick{T0 + 42000});
  CHECK(status_line(s).find("Try again") == std::string::npos);
  CHECK(!update(s, SubmitEmail{}).empty());
}

TEST_CASE("each transport failure and server error has its own plain words") {
  struct Case {
    HttpResponse r;
    const char* words;
  };
  Case cases[] = {
      {{0, "", "", TransportFailure::Offline}, "Can't reach the server"},
      {{0, "", "", TransportFailure::Timeout}, "took too long"},
      {{0, "", "", TransportFailure::Blocked}, "blocked the connection"},
      {{502, "<html>bad gateway</html>", "", TransportFailure::None}, "Something went wrong on our side"},
      {{400, R"({"error":"Please enter a valid email address, like name@example.com"})", "",
        TransportFailure::None},
       "valid email address"},
      {{418, "teapot", "", TransportFailure::None}, "error 418"},
  };
  for (auto& c : cases) {
    State s;
    update(s, Started{{}, std::nullopt, "", "", T0});
    update(s, EmailEdited{"a@example.com"});
    update(s, SubmitEmail{});
    update(s, HttpDone{RequestKind::SendCode, 0, c.r});
    CHECK_MESSAGE(status_line(s).find(c.words) != std::string::npos, status_line(s));
    CHECK(s.notice_is_error);
    CHECK(s.send_status == Status::Failed);
    CHECK(s.screen == Screen::Email);
  }
}

TEST_CASE("malformed JSON from the server is an error, not a crash") {
  State s = signed_in();
  update(s, GetLink{2});
  update(s,
         HttpDone{RequestKind::DownloadLink, 2, HttpResponse{200, "{not json", "", TransportFailure::None}});
  CHECK(s.links[2].status == Status::Failed);
  CHECK(status_line(s).find("could not read") != std::string::npos);
  State t;
  update(t, Started{{}, std::nullopt, "", "", T0});
  update(t, EmailEdited{"a@example.com"});
  update(t, SubmitEmail{});
  update(t, HttpDone{RequestKind::SendCode, 0, answer(202, json::object())});
  update(t, CodeEdited{"111111"});
  update(t, SubmitCode{});
  update(t, HttpDone{RequestKind::Verify, 0, HttpResponse{200, "[]", "", TransportFailure::None}});
  CHECK(t.screen == Screen::Code);
  CHECK(!t.session);
}

TEST_CASE("401 on any signed-in call ends the session and returns to the email screen") {
  State s = signed_in();
  update(s, GetLink{1});
  auto out =
      update(s, HttpDone{RequestKind::DownloadLink, 1, answer(401, {{"error", "Your session has ended."}})});
  CHECK(has<ClearSession>(out));
  CHECK(s.screen == Screen::Email);
  CHECK(status_line(s) == "Your session has ended. Please sign in again.");
  CHECK(s.purchases.empty());
}

TEST_CASE("a saved session is restored; an expired one is dropped") {
  State s;
  auto cmds = update(s, Started{{}, serialize_session({"tok", "demo@example.com", T0 + 1000}), "", "", T0});
  CHECK(s.screen == Screen::Library);
  CHECK(http(cmds).request.bearer == "tok");
  State e;
  auto gone = update(e, Started{{}, serialize_session({"tok", "demo@example.com", T0 - 1}), "", "", T0});
  CHECK(has<ClearSession>(gone));
  CHECK(e.screen == Screen::Email);
  State junk;
  CHECK(has<ClearSession>(update(junk, Started{{}, std::string("garbage"), "", "", T0})));
  // A live session that runs out while the page is open ends at its expiry.
  update(s, HttpDone{RequestKind::Purchases, 0, answer(200, purchases_json(1))});
  CHECK(next_wakeup_ms(s) == T0 + 1000);
  CHECK(has<ClearSession>(update(s, Tick{T0 + 1000})));
}

TEST_CASE("the magic link fills the form and submits the code once") {
  State s;
  auto cmds = update(s, Started{{}, std::nullopt, "demo@example.com", "654321", T0});
  CHECK(has<ClearUrlParams>(cmds));
  CHECK(s.screen == Screen::Code);
  CHECK(json::parse(http(cmds).request.body) == json{{"email", "demo@example.com"}, {"code", "654321"}});
}

TEST_CASE("search and sort over 10,000 purchases keep indices, not copies") {
  State s = signed_in(10000);
  REQUIRE(s.visible.size() == 10000);
  CHECK(s.visible[0] == 0);  // newest first
  update(s, SearchEdited{"drum kit 9"});
  auto nines = s.visible;
  update(s, SearchEdited{"drum kit 99"});  // typing on narrows what was visible
  for (size_t i : s.visible) CHECK(s.purchases[i].product_name.rfind("Drum Kit 99", 0) == 0);
  CHECK(s.visible.size() == 56);                              // 99, 991..999 odd, 9901..9999 odd
  CHECK(std::is_sorted(s.visible.begin(), s.visible.end()));  // still newest first
  update(s, SearchEdited{"drum kit 9"});                      // Backspace widens again
  CHECK(s.visible == nines);
  update(s, SearchEdited{"ORDER-2345"});
  REQUIRE(s.visible.size() == 1);
  CHECK(s.purchases[s.visible[0]].purchase_id == 1346);
  update(s, SearchEdited{""});
  update(s, SortChosen{SortOrder::Name});
  CHECK(s.purchases[s.visible.front()].product_name.rfind("Drum Kit", 0) == 0);
  CHECK(s.purchases[s.visible.back()].product_name.rfind("Synth Pack", 0) == 0);
  CHECK(s.purchases.size() == 10000);
}

TEST_CASE("answers to requests made before sign-out or an email change are dropped") {
  State s = signed_in();
  auto reload = update(s, SearchEdited{""});
  CHECK(reload.empty());
  int64_t before = s.epoch;
  update(s, SignOut{});
  auto late = update(s, HttpDone{RequestKind::Purchases, 0, answer(200, purchases_json(5)), before});
  CHECK(late.empty());
  CHECK(s.purchases.empty());
  CHECK(s.screen == Screen::Email);

  State t;
  update(t, Started{{}, std::nullopt, "", "", T0});
  update(t, EmailEdited{"first@example.com"});
  auto send = http(update(t, SubmitEmail{}));
  update(t, UseDifferentEmail{});
  update(t, HttpDone{RequestKind::SendCode, 0, answer(202, json::object()), send.epoch});
  CHECK(t.screen == Screen::Email);  // the old answer does not move the new email along
}

TEST_CASE("the scripts the font must grow to come from product names and file names") {
  State s = signed_in(2);
  CHECK(s.scripts == 0);
  json body = purchases_json(2);
  body["purchases"][0]["productName"] = "Ударные";
  body["purchases"][1]["files"][0]["path"] = "Πακέτο.zip";
  update(s, HttpDone{RequestKind::Purchases, 0, answer(200, body), s.epoch});
  CHECK(s.scripts == (kScriptGreek | kScriptCyrillic));
}

// [SECTION] The library as buyers meet it (issue 15)
namespace {

json link_json(const std::string& token, int64_t expires) {
  return {{"success", true},
          {"productId", "product-0"},
          {"version", "1.1.0"},
          {"downloadToken", token},
          {"downloadUrl", "https://api.example/download?token=" + token},
          {"expiresAt", format_iso8601_utc(expires)}};
}

const SaveSession& save(const std::vector<Command>& cmds) {
  const SaveSession* found = nullptr;
  for (auto& c : cmds)
    if (auto h = std::get_if<SaveSession>(&c)) found = h;
  REQUIRE(found != nullptr);
  return *found;
}

json profile_json(const std::string& org) {
  return {{"orgId", org},
          {"name", "Audio Company"},
          {"helpEmail", "help@audio.example"},
          {"helpUrl", "https://audio.example/help"}};
}

}  // namespace

TEST_CASE("a file list opens and closes; each file has its own download through the minted link") {
  State s = signed_in();
  CHECK_FALSE(files_open(s, 1));
  CHECK(update(s, ToggleFiles{1}).empty());
  CHECK(files_open(s, 1));
  CHECK(s.expanded == std::set<int64_t>{1});
  update(s, ToggleFiles{1});
  CHECK_FALSE(files_open(s, 1));
  update(s, ToggleFiles{2});

  CHECK(file_url(s, 1, "f.zip").empty());  // no link yet
  CHECK(update(s, OpenFile{1, "f.zip"}).empty());
  update(s, GetLink{1});
  update(s, HttpDone{RequestKind::DownloadLink, 1, answer(200, link_json("x", T0 + 86400000))});
  CHECK(file_url(s, 1, "Docs/Read me & more.pdf") ==
        "https://api.example/download?token=x&file=Docs%2FRead%20me%20%26%20more.pdf");
  auto open = update(s, OpenFile{1, "f.zip"});
  REQUIRE(open.size() == 1);
  CHECK(std::get<OpenUrl>(open[0]).url == "https://api.example/download?token=x&file=f.zip");
  update(s, Tick{T0 + 86400000});
  CHECK(file_url(s, 1, "f.zip").empty());  // expired
  CHECK(update(s, OpenFile{1, "f.zip"}).empty());
  CHECK(s.links[1].note == "This link has expired. Get a new one.");

  update(s, SignOut{});
  CHECK(s.expanded.empty());
}

TEST_CASE("link ready and link copied are said at the row they are about") {
  State s = signed_in();
  update(s, GetLink{2});
  update(s, HttpDone{RequestKind::DownloadLink, 2, answer(200, link_json("x", T0 + 86400000))});
  CHECK(s.links[2].note == "Link ready");
  CHECK_FALSE(s.links[2].note_is_error);
  update(s, CopyLink{2});
  update(s, CopyDone{true});
  CHECK(s.links[2].note == "Link copied");
  update(s, CopyLink{2});
  update(s, CopyDone{false});
  CHECK(s.links[2].note_is_error);
  CHECK(s.links[2].note == Text::english()("link.copy_failed"));
  update(s, GetLink{3});
  update(s, HttpDone{RequestKind::DownloadLink, 3, HttpResponse{0, "", "", TransportFailure::Offline}});
  CHECK(s.links[3].note_is_error);
  CHECK(s.links[3].note == Text::english()("error.offline"));
  CHECK(s.links[2].note == Text::english()("link.copy_failed"));  // the other row keeps its own
}

TEST_CASE("minted links survive a reload while valid and are dropped once expired") {
  State s = signed_in();
  update(s, GetLink{1});
  auto minted = update(s, HttpDone{RequestKind::DownloadLink, 1, answer(200, link_json("a", T0 + 3600000))});
  update(s, GetLink{2});
  auto second = update(s, HttpDone{RequestKind::DownloadLink, 2, answer(200, link_json("b", T0 + 7200000))});
  std::string stored = save(second).text;
  auto parsed = deserialize_saved_session(stored);
  REQUIRE(parsed);
  CHECK(parsed->session.token == std::string(64, 't'));
  CHECK(parsed->links.size() == 2);

  // A reload within the hour: both links back, the list reloads.
  State r;
  auto cmds = update(r, Started{{"https://api.example", "", "en"}, stored, "", "", T0 + 60000});
  CHECK(r.screen == Screen::Library);
  CHECK(r.links[1].status == Status::Succeeded);
  CHECK(r.links[1].link.url == "https://api.example/download?token=a");
  CHECK(r.links[2].link.expires_at_ms == T0 + 7200000);
  CHECK_FALSE(has<SaveSession>(cmds));  // nothing expired, nothing to rewrite
  CHECK(http(cmds).request.url == "https://api.example/api/portal/purchases");

  // After the first expired: it is gone, and the saved copy forgets it too.
  State later;
  auto out = update(later, Started{{"https://api.example", "", "en"}, stored, "", "", T0 + 3600000});
  CHECK(later.links.count(1) == 0);
  CHECK(later.links.count(2) == 1);
  auto rewritten = deserialize_saved_session(save(out).text);
  REQUIRE(rewritten);
  REQUIRE(rewritten->links.size() == 1);
  CHECK(rewritten->links[0].purchase_id == 2);

  // A session saved before links were kept (plain Session JSON) still restores.
  State old;
  update(old, Started{{}, serialize_session({"tok", "demo@example.com", T0 + 1000}), "", "", T0});
  CHECK(old.screen == Screen::Library);
  CHECK(old.links.empty());
}

TEST_CASE("a spent magic link with a live saved session for that email goes to the library") {
  std::string stored = serialize_saved_session({{"tok", "demo@example.com", T0 + 86400000}, {}});
  State s;
  auto cmds =
      update(s, Started{{"https://api.example", "", "en"}, stored, " Demo@Example.com ", "654321", T0});
  CHECK(has<ClearUrlParams>(cmds));
  CHECK(s.screen == Screen::Library);
  auto& list = http(cmds);  // the purchases, not the spent code
  CHECK(list.request.url == "https://api.example/api/portal/purchases");
  CHECK(list.request.bearer == "tok");
  CHECK(status_line(s) == "Loading your purchases…");

  // A saved session of another email: the link's code is tried as before.
  std::string other = serialize_saved_session({{"tok", "other@example.com", T0 + 86400000}, {}});
  State t;
  auto tried = update(t, Started{{}, other, "demo@example.com", "654321", T0});
  CHECK(t.screen == Screen::Code);
  CHECK(json::parse(http(tried).request.body) == json{{"email", "demo@example.com"}, {"code", "654321"}});
  // An expired one: the same.
  std::string expired = serialize_saved_session({{"tok", "demo@example.com", T0 - 1}, {}});
  State u;
  update(u, Started{{}, expired, "demo@example.com", "654321", T0});
  CHECK(u.screen == Screen::Code);
}

TEST_CASE("search covers file names, counts what it shows and says when nothing matches") {
  State s = signed_in(3);
  CHECK_FALSE(searching(s));
  CHECK(library_count_text(s) == "3 purchases.");
  json body = purchases_json(3);
  body["purchases"][2]["files"] = {{{"path", "Manual/Überblick.pdf"}, {"size", 10}, {"sha256", "b"}},
                                   {{"path", "Kit.zip"}, {"size", 20}, {"sha256", "c"}}};
  update(s, HttpDone{RequestKind::Purchases, 0, answer(200, body), s.epoch});
  update(s, SearchEdited{"überblick"});
  REQUIRE(s.visible.size() == 1);
  CHECK(s.purchases[s.visible[0]].purchase_id == 3);
  CHECK(searching(s));
  CHECK_FALSE(nothing_matches(s));
  CHECK(library_count_text(s) == "1 of 3 purchases");
  CHECK(library_total_text(s) == "3 purchases.");  // the load's notice, which the views hide beside it
  CHECK(status_line(s) == library_total_text(s));
  update(s, SearchEdited{"  nothing like it "});
  CHECK(nothing_matches(s));
  CHECK(library_count_text(s) == "No purchase matches “nothing like it”.");
  update(s, SearchEdited{""});  // clearing the search
  CHECK_FALSE(searching(s));
  CHECK(s.visible.size() == 3);
  CHECK(library_count_text(s) == "3 purchases.");
  update(s, SearchEdited{"   "});
  CHECK_FALSE(searching(s));
  CHECK(s.visible.size() == 3);

  State de;
  update(de, Started{{"", "", "de"}, std::nullopt, "", "", T0});
  de.purchases_status = Status::Succeeded;
  CHECK(library_count_text(de).empty());  // nothing loaded
}

TEST_CASE("the update line says what was bought and what is the latest") {
  Purchase p;
  p.purchased_version = "1.0.0";
  p.latest_version = "1.1.0";
  CHECK(has_update(p));
  CHECK(update_line(p, Text::english()) == "You bought 1.0.0 · 1.1.0 is the latest");
  CHECK(update_line(p, Text::for_language("de")) == "Gekauft: 1.0.0 · 1.1.0 ist die neueste Version");
  p.latest_version = "1.0.0";
  CHECK_FALSE(has_update(p));
  CHECK(update_line(p, Text::english()).empty());
  p.purchased_version = "";
  CHECK(update_line(p, Text::english()).empty());  // bought "whatever was active"
  p.files.resize(12);
  CHECK(files_text(p, Text::english()) == "12 files");
}

TEST_CASE("the seller's profile is asked at start and named instead of Continuata downloads") {
  State s;
  auto cmds = update(s, Started{{"https://api.example", "audio-company", "en"}, std::nullopt, "", "", T0});
  auto& ask = http(cmds);
  CHECK(ask.kind == RequestKind::Profile);
  CHECK(ask.request.method == "GET");
  CHECK(ask.request.url == "https://api.example/api/portal/profile?org=audio-company");
  CHECK(ask.request.bearer.empty());
  CHECK(brand_name(s, "") == "Continuata downloads");
  CHECK(help_text(s).empty());
  CHECK(update(s, OpenHelp{}).empty());
  update(s, HttpDone{RequestKind::Profile, 0, answer(200, profile_json("audio-company")), ask.epoch});
  REQUIRE(s.seller);
  CHECK(brand_name(s, "") == "Audio Company");
  CHECK(brand_name(s, "Page Name") == "Page Name");  // the page's own option wins
  CHECK(help_text(s) == "Questions? help@audio.example");
  auto help = update(s, OpenHelp{});
  CHECK(std::get<OpenUrl>(help[0]).url == "https://audio.example/help");
  // It outlives a sign-out (it belongs to the page), and an answer for another org is ignored.
  update(s, SignOut{});
  CHECK(s.seller);
  State t;
  update(t, Started{{"", "audio-company", "en"}, std::nullopt, "", "", T0});
  update(t, HttpDone{RequestKind::Profile, 0, answer(200, profile_json("other-org")), 0});
  CHECK_FALSE(t.seller);
  update(t, HttpDone{RequestKind::Profile, 0, answer(404, {{"error", "No such org"}}), 0});
  CHECK_FALSE(t.seller);
  CHECK(status_line(t).empty());  // nothing to tell the buyer
  // Only the email: help mails it.
  json mail_only = profile_json("audio-company");
  mail_only["helpUrl"] = nullptr;
  update(t, HttpDone{RequestKind::Profile, 0, answer(200, mail_only), 0});
  CHECK(std::get<OpenUrl>(update(t, OpenHelp{})[0]).url == "mailto:help@audio.example");
  // No org on the page: nothing is asked.
  State u;
  auto none = update(u, Started{{}, std::nullopt, "", "", T0});
  CHECK(none.empty());
}
