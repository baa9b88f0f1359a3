// A row's "What's new in 1.1.0", drawn by the real views (headless runner, fake platform): the
// toggle named by PRODUCT.md's rule under the update line, the notes shown wrapped with their
// line breaks when open and gone when closed, the toggle in the row catalogue, none for a
// refunded purchase (nor its update line) or one without notes.
#include "portal_test_support.hpp"

using namespace portal_test;

namespace {

// 1: an update with two lines of notes; 2: up to date; 3: refunded, with an update and notes.
json library_json() {
  json list = purchases_json(3);
  list["purchases"][0]["latestNotes"] = "Faster start.\nNew presets: Warm Pad, Glass Bell";
  list["purchases"][2]["latestVersion"] = "1.1.0";
  list["purchases"][2]["latestNotes"] = "Never shown";
  list["purchases"][2]["status"] = "refunded";
  list["purchases"][2]["refundedAt"] = core::format_iso8601_utc(T0);
  return list;
}

}  // namespace

TEST_CASE("what's new: the toggle opens the notes under the row, with their line breaks, and closes them") {
  Portal p;
  const auto& sem = sign_in_with(p, library_json());
  const auto& toggle = node(sem, "whats-new-1", "button");
  CHECK(toggle.name == "What's new in 1.1.0, Synth Pack 1");
  CHECK(toggle.value == "collapsed");
  CHECK(toggle.parent == "row-1");
  CHECK(toggle.y >= node(sem, "update-1", "text").y);
  CHECK(find(sem, "whats-new-notes-1") == nullptr);
  CHECK(find(sem, "whats-new-2") == nullptr);  // up to date
  CHECK(find(sem, "whats-new-3") == nullptr);  // refunded: neither What's new
  CHECK(find(sem, "update-3") == nullptr);     // nor the update line
  json rows = json::parse(p.runner.published_rows());
  CHECK(rows[0]["controls"][0]["id"] == "whats-new-1");
  CHECK(rows[0]["controls"][0]["name"] == "What's new in 1.1.0, Synth Pack 1");
  CHECK(rows[0]["controls"][0]["value"] == "collapsed");
  CHECK(rows[2]["details"].get<std::string>().find("is the latest") == std::string::npos);

  p.act("focus", "whats-new-1");
  p.act("activate", "whats-new-1");
  const auto& open = p.settle();
  CHECK(node(open, "whats-new-1", "button").value == "expanded");
  CHECK(node(open, "whats-new-1", "button").focused);  // the disclosure keeps the focus
  const auto& notes = node(open, "whats-new-notes-1", "text");
  CHECK(notes.name == "Faster start.\nNew presets: Warm Pad, Glass Bell");
  CHECK(notes.parent == "row-1");
  CHECK(!notes.clipped);
  CHECK(notes.y >= node(open, "whats-new-1", "button").y + node(open, "whats-new-1", "button").h);
  CHECK(notes.h > 1.5f * node(open, "update-1", "text").h);  // two lines
  CHECK(json::parse(p.runner.published_rows())[0]["controls"][0]["value"] == "expanded");

  p.act("activate", "whats-new-1");
  const auto& closed = p.settle();
  CHECK(find(closed, "whats-new-notes-1") == nullptr);
  CHECK(node(closed, "whats-new-1", "button").value == "collapsed");

  // Escape on the open toggle closes it too.
  p.act("activate", "whats-new-1");
  p.settle();
  p.act("cancel", "whats-new-1");
  CHECK(find(p.settle(), "whats-new-notes-1") == nullptr);
}

TEST_CASE("what's new: in German and French") {
  for (auto [lang, name] : {std::pair{"de", "Neu in 1.1.0, Synth Pack 1"},
                            std::pair{"fr", "Nouveautés de la version 1.1.0, Synth Pack 1"}}) {
    portal::PageConfig config = page();
    config.options.lang = lang;
    Portal p(config);
    CHECK(node(sign_in_with(p, library_json()), "whats-new-1", "button").name == name);
  }
}
