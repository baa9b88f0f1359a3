// The library's download history and ZIP links, drawn by the real views (headless runner, fake
// platform): the history in plain words at each row, the toggle opening the list fetched from
// the server and Close or Escape closing it with the focus back on the toggle, "Download all"
// beside Download for a multi-file purchase, and "Download everything" in the header.
#include "portal_test_support.hpp"

using namespace portal_test;

namespace {

// Purchase 1 of three files, downloaded 3 times (the last 2 days ago with Firefox); purchase 2
// of one file, never downloaded.
json library_json() {
  json list = purchases_json(2);
  auto& drums = list["purchases"][0];
  drums["files"] = json::array();
  for (int i = 0; i < 3; ++i)
    drums["files"].push_back(
        {{"path", "part " + std::to_string(i + 1) + ".wav"}, {"size", 1000}, {"sha256", ""}});
  drums["downloads"] = {{"count", 3},
                        {"lastAt", core::format_iso8601_utc(T0 - 2 * 86400000LL - 3600000)},
                        {"lastClient", "Firefox on Linux"}};
  list["purchases"][1]["downloads"] = {{"count", 0}, {"lastAt", nullptr}, {"lastClient", nullptr}};
  return list;
}

json history_json() {
  return {{"purchaseId", 1},
          {"total", 3},
          {"downloads",
           {{{"at", "2026-09-20T10:00:00Z"}, {"client", "Firefox on Linux"}, {"file", "part 1.wav"}},
            {{"at", "2026-09-19T08:30:00Z"}, {"client", "curl"}, {"file", "part 2.wav"}},
            {{"at", "2026-09-18T07:15:00Z"}, {"client", "aria2"}, {"file", "part 3.wav"}}}},
          {"nextOffset", nullptr}};
}

}  // namespace

TEST_CASE("each row says its download history; the toggle opens the list, Close and Escape close it") {
  Portal p;
  const auto& sem = sign_in_with(p, library_json());
  CHECK(node(sem, "history-text-1", "text").name ==
        "Downloaded 3 times, last 2 days ago with Firefox on Linux");
  CHECK(node(sem, "history-text-1", "text").parent == "row-1");
  CHECK(node(sem, "history-text-2", "text").name == "Not downloaded yet");
  const auto& toggle = node(sem, "history-1", "button");
  CHECK(toggle.name == "Download history, Synth Pack 1");
  CHECK(toggle.value == "collapsed");
  CHECK(!toggle.clipped);
  // Off screen too: the catalogue's details end with the history, and the toggle is a control.
  json rows = json::parse(p.runner.published_rows());
  CHECK(rows[1]["details"].get<std::string>().find("Not downloaded yet") != std::string::npos);
  CHECK(rows[0]["controls"].back()["id"] == "history-1");
  CHECK(rows[0]["controls"].back()["value"] == "collapsed");

  p.act("focus", "history-1");
  p.act("activate", "history-1");
  REQUIRE(p.services.requests.size() == 1);
  CHECK(p.services.requests[0].request.url == "https://api.example/api/portal/purchases/1/downloads");
  CHECK(p.services.requests[0].request.bearer == std::string(64, 't'));
  const auto& loading = p.settle();
  CHECK(node(loading, "history-1", "button").value == "expanded");
  CHECK(node(loading, "history-1-0", "status").name == "Loading the download history…");
  p.services.answer("/api/portal/purchases/1/downloads", 200, history_json());
  const auto& open = p.settle();
  const auto& list = node(open, "history-list-1", "list");
  CHECK(list.name == "Download history, Synth Pack 1");
  CHECK(list.parent == "row-1");
  const auto& first = node(open, "history-1-0", "listitem");
  CHECK(first.parent == "history-list-1");
  CHECK(first.name == "2026-09-20 10:00 UTC · Firefox on Linux · part 1.wav");
  CHECK(node(open, "history-1-2", "listitem").name == "2026-09-18 07:15 UTC · aria2 · part 3.wav");
  CHECK(first.y >= list.y);
  CHECK(first.y + first.h <= list.y + list.h + 0.5f);
  const auto& close = node(open, "history-close-1", "button");
  CHECK(close.name == "Close download history, Synth Pack 1");
  CHECK(node(open, "history-1", "button").focused);  // the disclosure keeps the focus
  CHECK(json::parse(p.runner.published_rows())[0]["controls"].back()["value"] == "expanded");

  // Close: the list goes, the focus comes back from Close to the toggle.
  p.act("focus", "history-close-1");
  p.act("activate", "history-close-1");
  const auto& closed = p.settle();
  CHECK(find(closed, "history-list-1") == nullptr);
  CHECK(find(closed, "history-close-1") == nullptr);
  CHECK(node(closed, "history-1", "button").focused);
  CHECK(node(closed, "history-1", "button").value == "collapsed");

  // Escape on the toggle (its element's cancel) closes it too, and on Close.
  p.act("activate", "history-1");
  p.services.answer("/api/portal/purchases/1/downloads", 200, history_json());
  CHECK(find(p.settle(), "history-list-1") != nullptr);
  p.act("cancel", "history-1");
  CHECK(find(p.settle(), "history-list-1") == nullptr);
  p.act("activate", "history-1");
  p.services.answer("/api/portal/purchases/1/downloads", 200, history_json());
  p.settle();
  p.act("cancel", "history-close-1");
  CHECK(find(p.settle(), "history-list-1") == nullptr);
  // A closed history's toggle does nothing on Escape.
  p.act("cancel", "history-1");
  CHECK(p.services.requests.empty());
}

TEST_CASE("Download all beside Download for a multi-file purchase; Download everything in the header") {
  Portal p;
  const auto& sem = sign_in_with(p, library_json());
  CHECK(find(sem, "zip-1") == nullptr);  // no link yet
  const auto& everything = node(sem, "get-all", "button");
  CHECK(everything.name == "Download everything");
  CHECK(!everything.disabled);

  p.act("activate", "get-1");
  p.services.answer("/api/portal/download-url", 200, link_json(1));
  const auto& ready = p.settle();
  const auto& zip = node(ready, "zip-1", "link");
  CHECK(zip.name == "Download all, Synth Pack 1");
  CHECK(zip.value == "https://api.example/download?token=x&format=zip");
  CHECK(zip.parent == "row-1");
  json controls = json::parse(p.runner.published_rows())[0]["controls"];
  CHECK(controls[1]["id"] == "download-1");
  CHECK(controls[2]["id"] == "zip-1");
  CHECK(controls[2]["href"] == "https://api.example/download?token=x&format=zip");
  p.act("activate", "zip-1");
  CHECK(p.services.opened.back() == "https://api.example/download?token=x&format=zip");

  p.act("activate", "get-2");
  p.services.answer("/api/portal/download-url", 200, link_json(2, "y"));
  CHECK(find(p.settle(), "zip-2") == nullptr);  // one file: Download is all of it

  p.act("focus", "get-all");
  p.act("activate", "get-all");
  REQUIRE(p.services.requests.size() == 1);
  CHECK(json::parse(p.services.requests[0].request.body) == json{{"all", true}});
  CHECK(node(p.settle(), "get-all", "button").disabled);
  json all = link_json(1, "all");
  p.services.answer("/api/portal/download-url", 200, all);
  const auto& minted = p.settle();
  const auto& link = node(minted, "all-zip", "link");
  CHECK(link.name == "Download everything (ZIP)");
  CHECK(link.value == "https://api.example/download?token=all");
  CHECK(link.focused);  // the focus went on from the button it replaced
  CHECK(node(minted, "all-expiry", "text").name == "Expires in 24 h 0 min");
  p.act("activate", "all-zip");
  CHECK(p.services.opened.back() == "https://api.example/download?token=all");
}
