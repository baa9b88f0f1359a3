// Download history and ZIP links in the portal core: the JSON both ways, the words in each
// language, and the journeys through the state machine (opening, closing and fetching a
// purchase's history, "Download all" and "Download everything").
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/core_history.hpp"
#include "core/core_state.hpp"
#include "core/core_time.hpp"
#include "core_test_support.hpp"

using namespace core_test;

namespace {

constexpr int64_t MIN = 60000, HOUR = 60 * MIN, DAY = 24 * HOUR;

json link_json(const std::string& url, int64_t expires) {
  return {{"success", true},        {"productId", "p"},   {"version", "1.0.0"},
          {"downloadToken", "tok"}, {"downloadUrl", url}, {"expiresAt", format_iso8601_utc(expires)}};
}

// A signed-in library (restored from a saved session): purchase 1 of one file, never downloaded;
// purchase 2 of three files, downloaded 3 times.
State library() {
  State s;
  Session session{std::string(64, 't'), "demo@example.com", T0 + 7 * DAY};
  update(s, Started{{"https://api.example", "", "en"}, serialize_session(session), "", "", T0});
  json files = json::array();
  for (int i = 0; i < 3; ++i)
    files.push_back({{"path", "part " + std::to_string(i)}, {"size", 10}, {"sha256", ""}});
  json list = {{"email", "demo@example.com"},
               {"purchases",
                {{{"purchaseId", 1},
                  {"productName", "Synth"},
                  {"files", {{{"path", "one.zip"}, {"size", 1}, {"sha256", ""}}}},
                  {"downloads", {{"count", 0}, {"lastAt", nullptr}, {"lastClient", nullptr}}}},
                 {{"purchaseId", 2},
                  {"productName", "Drums"},
                  {"files", files},
                  {"downloads",
                   {{"count", 3},
                    {"lastAt", format_iso8601_utc(T0 - 2 * DAY)},
                    {"lastClient", "Firefox on Linux"}}}}}}};
  update(s, HttpDone{RequestKind::Purchases, 0, answer(200, list), s.epoch});
  REQUIRE(s.purchases.size() == 2);
  return s;
}

}  // namespace

TEST_CASE("history JSON: the server's answer reads back; odd rows are skipped, not fatal") {
  DownloadHistory h{7, 3, {{T0, "curl", "a.zip"}, {T0 - MIN, "Firefox on Linux", "b.zip"}}, 2};
  json j = h;
  CHECK(j["nextOffset"] == 2);
  CHECK(j["downloads"][0] == json{{"at", format_iso8601_utc(T0)}, {"client", "curl"}, {"file", "a.zip"}});
  auto back = parse_download_history(j.dump());
  REQUIRE(back);
  CHECK(back->purchase_id == 7);
  CHECK(back->total == 3);
  REQUIRE(back->downloads.size() == 2);
  CHECK(back->downloads[1].client == "Firefox on Linux");
  CHECK(back->downloads[1].at_ms == T0 - MIN);
  CHECK(back->next_offset == 2);

  j["downloads"].push_back({{"at", "yesterday"}, {"client", "x"}});  // no timestamp: skipped
  j["downloads"].push_back(42);
  j["nextOffset"] = nullptr;
  back = parse_download_history(j.dump());
  REQUIRE(back);
  CHECK(back->downloads.size() == 2);
  CHECK(!back->next_offset);
  CHECK(parse_download_history("[]").error == ParseError::WrongShape);
  CHECK(parse_download_history(R"({"downloads": []})").field == "purchaseId");
  CHECK(parse_download_history(R"({"purchaseId": 1, "downloads": {}})").error == ParseError::WrongType);
  CHECK(parse_download_history("{").error == ParseError::NotJson);

  // A purchase list from a server without history reads as never downloaded.
  auto list = parse_purchase_list(R"([{"purchaseId": 1}])");
  REQUIRE(list);
  CHECK(list->purchases[0].downloads.count == 0);
  json p = list->purchases[0];
  CHECK(p["downloads"] == json{{"count", 0}, {"lastAt", nullptr}, {"lastClient", nullptr}});
}

TEST_CASE("history words: counts, how long ago, and with what, in each language") {
  const Text& en = Text::english();
  const Text& de = Text::for_language("de");
  const Text& fr = Text::for_language("fr");
  CHECK(history_summary_text({}, T0, en) == "Not downloaded yet");
  CHECK(history_summary_text({1, T0 - 5 * MIN, "curl"}, T0, en) == "Downloaded once, 5 min ago with curl");
  CHECK(history_summary_text({3, T0 - 2 * DAY - HOUR, "Firefox on Linux"}, T0, en) ==
        "Downloaded 3 times, last 2 days ago with Firefox on Linux");
  CHECK(history_summary_text({3, T0 - 2 * DAY, "Firefox on Linux"}, T0, de) ==
        "3-mal heruntergeladen, zuletzt vor 2 Tagen mit Firefox unter Linux");
  CHECK(history_summary_text({2, T0 - 3 * HOUR, "aria2"}, T0, fr) ==
        "Téléchargé 2 fois, la dernière il y a 3 h avec aria2");
  CHECK(ago_text(T0 - 10, T0, en) == "just now");
  CHECK(ago_text(T0 - 59 * MIN, T0, en) == "59 min ago");
  CHECK(ago_text(T0 - 23 * HOUR, T0, en) == "23 h ago");
  CHECK(ago_text(T0 - 30 * HOUR, T0, en) == "yesterday");
  CHECK(ago_text(T0 - 29 * DAY, T0, en) == "29 days ago");
  CHECK(ago_text(parse_iso8601_utc("2026-04-01").value(), T0, en) == "on 2026-04-01");
  CHECK(ago_text(parse_iso8601_utc("2026-04-01").value(), T0, de) == "am 01.04.2026");
  CHECK(history_entry_text({parse_iso8601_utc("2026-04-01T14:03:09Z").value(), "curl", "Drums.zip"}, en) ==
        "2026-04-01 14:03 UTC · curl · Drums.zip");
  CHECK(history_summary_text({1, T0, ""}, T0, en) == "Downloaded once, just now with an unknown program");
  // The server's labels in the UI's words; names stay.
  CHECK(client_text("Safari on iPhone", fr) == "Safari sous iPhone");
  CHECK(client_text("Download manager", en) == "a download manager");
  CHECK(client_text("Download manager", de) == "einem Download-Manager");
  CHECK(client_text("Other", fr) == "un autre programme");
  CHECK(client_text("Firefox", de) == "Firefox");
  CHECK(history_summary_text({1, T0, "Other"}, T0, de) ==
        "Einmal heruntergeladen, gerade eben mit einem anderen Programm");
  CHECK(history_entry_text({T0, "Chrome on Android", "Kit.zip"}, de).find("· Chrome unter Android ·") !=
        std::string::npos);
}

TEST_CASE("ZIP URLs and the requests for history and the whole library") {
  CHECK(zip_url("https://shop.example/download?token=abc") ==
        "https://shop.example/download?token=abc&format=zip");
  CHECK(zip_url("/download") == "/download?format=zip");
  auto h = download_history_request(12);
  CHECK(std::string(h.method) == "GET");
  CHECK(h.path == "/api/portal/purchases/12/downloads");
  CHECK(h.authenticated);
  CHECK(download_history_path(12, 50) == "/api/portal/purchases/12/downloads?offset=50");
  auto all = library_link_request();
  CHECK(std::string(all.method) == "POST");
  CHECK(all.path == "/api/portal/download-url");
  CHECK(json::parse(all.body) == json{{"all", true}});
  CHECK(all.authenticated);
}

TEST_CASE("a purchase's history: summary in the row, the list fetched on opening, closed again") {
  State s = library();
  CHECK(history_text(s, s.purchases[0]) == "Not downloaded yet");
  CHECK(history_text(s, s.purchases[1]) == "Downloaded 3 times, last 2 days ago with Firefox on Linux");
  CHECK(!history_shown(s, 2));

  auto get = http(update(s, OpenHistory{2}));
  CHECK(get.kind == RequestKind::History);
  CHECK(get.purchase_id == 2);
  CHECK(get.request.url == "https://api.example/api/portal/purchases/2/downloads");
  CHECK(get.request.bearer == std::string(64, 't'));
  CHECK(history_shown(s, 2));
  CHECK(busy(s));
  CHECK(history_lines(s, 2) == std::vector<std::string>{"Loading the download history…"});
  CHECK(update(s, OpenHistory{2}).empty());  // already on its way

  json list = {{"purchaseId", 2},
               {"total", 60},
               {"downloads",
                {{{"at", "2026-09-20T10:00:00Z"}, {"client", "Firefox on Linux"}, {"file", "part 0"}},
                 {{"at", "2026-09-19T08:30:00Z"}, {"client", "curl"}, {"file", "part 1"}}}},
               {"nextOffset", 2}};
  update(s, HttpDone{RequestKind::History, 2, answer(200, list), get.epoch});
  CHECK(!busy(s));
  CHECK(history_lines(s, 2) == std::vector<std::string>{"2026-09-20 10:00 UTC · Firefox on Linux · part 0",
                                                        "2026-09-19 08:30 UTC · curl · part 1",
                                                        "The latest 2 of 60 downloads."});
  update(s, CloseHistory{});
  CHECK(!history_shown(s, 2));

  // Opened again, it is fetched again (there may be new downloads), the old list shown meanwhile.
  auto again = http(update(s, OpenHistory{2}));
  CHECK(history_lines(s, 2).size() == 3);
  update(s, HttpDone{RequestKind::History, 2, answer(404, {{"error", "Purchase not found"}}), again.epoch});
  CHECK(history_lines(s, 2) == std::vector<std::string>{"That was not found. It may have been removed."});

  // Never downloaded: an empty list says so.
  auto first = http(update(s, OpenHistory{1}));
  CHECK(!history_shown(s, 2));  // one history open at a time
  update(s,
         HttpDone{RequestKind::History, 1,
                  answer(200, {{"purchaseId", 1}, {"total", 0}, {"downloads", json::array()}}), first.epoch});
  CHECK(history_lines(s, 1) == std::vector<std::string>{"No downloads yet."});

  // A session that ended meanwhile: back to the email screen, nothing kept.
  auto last = http(update(s, OpenHistory{2}));
  update(s,
         HttpDone{RequestKind::History, 2, answer(401, {{"error", "Your session has ended."}}), last.epoch});
  CHECK(s.screen == Screen::Email);
  CHECK(s.history.empty());
  CHECK(s.history_open == 0);
}

TEST_CASE("Download all: a multi-file purchase's live link as a ZIP; Download everything: one link") {
  State s = library();
  CHECK(zip_link_url(s, s.purchases[1]).empty());  // no link yet
  auto mint = http(update(s, GetLink{2}));
  update(s, HttpDone{RequestKind::DownloadLink, 2,
                     answer(200, link_json("https://dl.example/download?token=t2", T0 + DAY)), mint.epoch});
  CHECK(zip_link_url(s, s.purchases[1]) == "https://dl.example/download?token=t2&format=zip");
  auto open = update(s, OpenZip{2});
  REQUIRE(open.size() == 1);
  CHECK(std::get<OpenUrl>(open[0]).url == "https://dl.example/download?token=t2&format=zip");

  auto one = http(update(s, GetLink{1}));
  update(s, HttpDone{RequestKind::DownloadLink, 1,
                     answer(200, link_json("https://dl.example/download?token=t1", T0 + DAY)), one.epoch});
  CHECK(zip_link_url(s, s.purchases[0]).empty());  // one file: Download is the whole purchase

  CHECK(library_zip_url(s).empty());
  auto all = http(update(s, GetLibraryLink{}));
  CHECK(all.kind == RequestKind::LibraryLink);
  CHECK(json::parse(all.request.body) == json{{"all", true}});
  CHECK(busy(s));
  CHECK(update(s, GetLibraryLink{}).empty());  // one at a time
  update(s, HttpDone{RequestKind::LibraryLink, 0,
                     answer(200, link_json("https://dl.example/download?token=all", T0 + DAY)), all.epoch});
  CHECK(library_zip_url(s) == "https://dl.example/download?token=all");
  auto everything = update(s, OpenLibraryZip{});
  REQUIRE(everything.size() == 1);
  CHECK(std::get<OpenUrl>(everything[0]).url == "https://dl.example/download?token=all");
  CHECK(next_wakeup_ms(s) <= T0 + DAY);

  // Once expired, neither opens.
  update(s, Tick{T0 + DAY + 1});
  CHECK(library_zip_url(s).empty());
  CHECK(zip_link_url(s, s.purchases[1]).empty());
  auto expired = update(s, OpenLibraryZip{});
  CHECK(expired.empty());
  CHECK(status_line(s) == "This link has expired. Get a new one.");
}
