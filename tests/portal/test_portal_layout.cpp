// The layout test: every screen and state drawn by the real views at widths 320 to 1920, at
// 100% and 200% text, in English, German and French. The views record each widget's rectangle
// and whether it fitted in its column (core::SemanticNode::clipped); this fails on any widget
// drawn past its column or the window, and on any two that overlap.
#include <doctest/doctest.h>

#include <sstream>

#include "portal_test_support.hpp"

using namespace portal_test;

namespace {

// 14 purchases as buyers have them: long names, a single word longer than a phone's line, German
// ones, a 12-file product with long paths, an update with long release notes, versions of every
// length.
json library_json() {
  const char* names[] = {
      "Epic Drum Kit",
      "Orchesterbibliothek Streicherensemble Deluxe Sammlung (Vollversion mit allen Artikulationen)",
      "Donaudampfschifffahrtsgesellschaftskapitänsmützensammlung",
      "Lo-Fi Piano",
      "Analog Synth Presets Volume 3: Basses, Leads, Pads and Plucks for Every Genre",
      "Vocal Chops",
      "Cinematic Impacts & Risers",
      "Field Recordings: Forests",
      "Modular Grooves",
      "Guitar Loops",
      "Ambient Textures",
      "808 Essentials",
      "Breakbeat Science",
      "Mastering Chain Presets"};
  json list = json::array();
  for (int i = 0; i < 14; ++i) {
    json files = json::array();
    int n = i == 1 ? 12 : i == 4 ? 2 : 1;
    for (int f = 0; f < n; ++f)
      files.push_back({{"path", i == 1 ? "Samples/Streicher/Legato/Violinen_Sordino_Tremolo_C3-C6_Teil_" +
                                             std::to_string(f + 1) + ".wav"
                                       : "pack-" + std::to_string(i) + "-" + std::to_string(f) + ".zip"},
                       {"size", int64_t(1400000) * (f + 1) * (i + 1) * 997},
                       {"sha256", std::string(64, char('a' + f % 6))}});
    list.push_back(
        {{"purchaseId", i + 1},
         {"orderId", "ORD-2026-" + std::to_string(100000 + i * 7919)},
         {"purchasedAt", core::format_iso8601_utc(T0 - int64_t(i) * 86400000)},
         {"productId", "product-" + std::to_string(i)},
         {"productName", names[i]},
         {"purchasedVersion", i == 0 ? "1.0.0" : "2.10.3-beta.1"},
         {"latestVersion", i == 0 ? "1.1.0" : "2.10.3-beta.1"},
         {"latestNotes",
          i == 0 ? "Faster start and a new preset browser.\n"
                   "Neue Voreinstellungen: Streicherensemblevoreinstellungsbibliothekserweiterung\n\n"
                   "- https://shop.example/releases/epic-drum-kit/1.1.0/changelog-with-a-long-path"
                 : ""},
         {"files", files}});
  }
  return {{"email", "a.very.long.address.for.testing@example-shop-with-a-long-domain.com"},
          {"purchases", list}};
}

bool leaf(const core::SemanticNode& n) {
  return n.role != "list" && n.role != "listitem" && n.role != "radiogroup" && n.role != "document" &&
         n.w > 0 && n.h > 0;
}

// What is wrong with this frame's layout, one line per fault ("" when nothing): a widget or text
// (labels included) past its column or the window; two that overlap; on the library, a header
// widget reaching into the list, a list with no room for a row, a row's widget outside its row
// (rows size to their content) and rows overlapping one another.
std::string faults(const core::Semantics& sem, float width, float height) {
  std::ostringstream out;
  std::vector<const core::SemanticNode*> leaves, rows;
  const core::SemanticNode* list = find(sem, "purchases");
  auto in_row = [](const core::SemanticNode& n) { return n.parent.rfind("row-", 0) == 0; };
  for (const auto& n : sem) {
    if (n.role == "listitem") rows.push_back(&n);
    if (!leaf(n)) continue;
    // Rows partly scrolled past the list's bottom or top are cut by the list, as they should be.
    if (list && (n.y >= list->y + list->h || (in_row(n) && n.y + n.h <= list->y))) continue;
    leaves.push_back(&n);
    if (n.clipped)
      out << n.id << " (" << n.name << ") runs past its column: x " << n.x << " to " << n.x + n.w << "\n";
    if (n.x < -0.5f || n.x + n.w > width + 0.5f) out << n.id << " is outside the window\n";
    if (list && !in_row(n) && n.y + n.h > list->y + 0.5f)
      out << n.id << " (" << n.name << ") reaches into the list: bottom " << n.y + n.h << ", list at "
          << list->y << "\n";
    if (n.y < -0.5f) out << n.id << " is above the window\n";
  }
  if (list) {
    // Room for at least two touch targets' height of rows (rows taller than that scroll in it).
    if (list->h < 2 * 44.0f) out << "the list is " << list->h << " px tall\n";
    // Past the window's bottom only as the list of a column that scrolls (the header too tall for
    // the window): then it has half the column.
    if (list->y + list->h > height + 0.5f && list->h < 0.4f * height)
      out << "the list runs past the window's bottom\n";
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i + 1 < rows.size() && rows[i]->y + rows[i]->h > rows[i + 1]->y + 0.5f)
        out << rows[i]->id << " overlaps " << rows[i + 1]->id << "\n";
      for (const auto* n : leaves)
        if (n->parent == rows[i]->id &&
            (n->y < rows[i]->y - 0.5f || n->y + n->h > rows[i]->y + rows[i]->h + 0.5f))
          out << n->id << " lies outside its row " << rows[i]->id << " (y " << n->y << " to " << n->y + n->h
              << ", row " << rows[i]->y << " to " << rows[i]->y + rows[i]->h << ")\n";
    }
  }
  for (size_t i = 0; i < leaves.size(); ++i)
    for (size_t j = i + 1; j < leaves.size(); ++j) {
      const auto& a = *leaves[i];
      const auto& b = *leaves[j];
      float ix = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
      float iy = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
      // A row and the header: the list clips the row (checked above: the header stays above it).
      if (list && in_row(a) != in_row(b)) continue;
      if (ix > 0.5f && iy > 0.5f) out << a.id << " overlaps " << b.id << "\n";
    }
  return out.str();
}

struct Case {
  float width;
  float scale;
  const char* lang;
};

void check_screens(const Case& k) {
  portal::PageConfig config = page();
  config.options.lang = k.lang;
  Portal p(config);
  p.runner.set_size(k.width, 800);
  p.runner.set_text_scale(k.scale);
  std::string where = std::string(k.lang) + " at " + std::to_string(int(k.width)) + " px, text x" +
                      std::to_string(k.scale).substr(0, 3) + ": ";
  auto check = [&](const char* screen) {
    const auto& sem = p.settle();
    std::string f = faults(sem, k.width, 800);
    CHECK_MESSAGE(f.empty(), where << std::string(screen) << "\n" << f);
  };
  check("email");
  p.act("setValue", "email", "a.very.long.address.for.testing@example-shop-with-a-long-domain.com");
  p.act("activate", "send");
  p.services.answer("/api/portal/verification", 202, {{"status", "sent"}});
  check("code (resend waiting)");
  REQUIRE_MESSAGE(p.state().screen == core::Screen::Code, where);
  p.act("setValue", "code", "123456");
  p.act("submit", "code", "123456");
  REQUIRE_MESSAGE(p.services.requests.size() == 1, where << p.state().code << "|" << p.state().notice);
  p.services.answer("/api/portal/session", 200, session_json());
  p.settle();
  p.services.answer("/api/portal/purchases", 200, library_json());
  check("library");
  p.act("activate", "get-1");
  p.services.answer("/api/portal/download-url", 200, link_json(1, "x1"));
  check("library, a link ready");
  p.act("activate", "copy-1");
  check("library, link copied");
  p.act("activate", "files-2");
  p.act("activate", "get-2");
  p.services.answer("/api/portal/download-url", 200, link_json(2, "x2"));
  p.act("activate", "sum-2-0");
  check("library, 12 files open with their downloads");
  p.act("activate", "whats-new-1");
  check("library, 12 files and What's new open");
  p.act("setValue", "search", "no such thing at all");
  check("library, nothing matches");
  p.act("setValue", "search", "Violinen");
  check("library, a file name found");
  p.act("setValue", "search", "");
  p.settle();
  p.act("activate", "emails-toggle");
  p.services.answer("/api/portal/emails", 200,
                    {{"emails",
                      {{{"email", "demo@example.com"}, {"current", true}},
                       {{"email", "a.very.long.old.address@example-shop-with-a-long-domain.com"}}}},
                     {"max", 5}});
  p.settle();
  p.act("setValue", "new-email", "another.long.address.for.testing@example-shop-with-a-long-domain.com");
  p.act("activate", "add-email");
  p.services.answer("/api/portal/emails", 202, {{"status", "sent"}});
  check("library, email addresses open, a code asked for");
}

}  // namespace

TEST_CASE("layout: nothing clipped or overlapping at 320 to 1920 px, 200% text, en/de/fr") {
  for (float width : {320.0f, 390.0f, 768.0f, 1280.0f, 1920.0f})
    for (float scale : {1.0f, 2.0f})
      for (const char* lang : {"en", "de", "fr"}) check_screens({width, scale, lang});
}

TEST_CASE("layout: the email and code screens sit in the library's centred column") {
  Portal p;
  p.runner.set_size(1280, 800);
  const auto& sem = p.settle();
  const auto& email = node(sem, "email", "textbox");
  const auto& send = node(sem, "send", "button");
  CHECK(email.w == doctest::Approx(560));
  CHECK(email.x == doctest::Approx((1280 - 560) / 2.0));
  CHECK(send.x == doctest::Approx(email.x));
  CHECK(send.w == doctest::Approx(email.w));
  CHECK(node(sem, "title", "heading").x == doctest::Approx(email.x));
}

TEST_CASE("layout: rows size to their content, and controls are 44 px on touch screens") {
  portal::PageConfig config = page();
  config.coarse_pointer = true;
  Portal p(config);
  p.runner.set_size(390, 800);
  json library = library_json();
  library["purchases"][0]["latestNotes"] = nullptr;  // row 1 short: without its What's new
  const auto& sem = sign_in_with(p, library);
  for (const auto& n : sem)
    if (n.role == "button" || n.role == "textbox" || n.role == "link")
      CHECK_MESSAGE(n.h >= 44, n.id << " is " << n.h << " px tall");
  // A short row is shorter than one whose name wraps over lines.
  const auto& short_row = node(sem, "row-1", "listitem");
  const auto& long_row = node(sem, "row-2", "listitem");
  CHECK(long_row.h > short_row.h);
}

TEST_CASE("layout: a header taller than half the window scrolls away with the column, the focus in sight") {
  Portal p;
  p.runner.set_size(320, 800);
  p.runner.set_text_scale(2);
  sign_in_with(p, library_json());
  p.act("setValue", "search", "no such thing at all");
  const auto& none = p.settle();
  const auto& list = node(none, "purchases", "list");
  CHECK(list.h >= 0.4f * 800);
  CHECK(list.y + list.h > 800);  // below the window's bottom: the column scrolls to it
  p.act("setValue", "search", "");
  // Tab to a row's control: the column scrolls the list into sight, and the row in the list.
  p.act("focus", "get-1");
  const auto& at_row = p.settle();
  const auto& in_sight = node(at_row, "purchases", "list");
  CHECK(in_sight.y >= -0.5f);
  CHECK(in_sight.y + in_sight.h <= 800.5f);
  const auto& get = node(at_row, "get-1", "button");
  CHECK(get.y >= in_sight.y - 0.5f);
  CHECK(get.y + get.h <= in_sight.y + in_sight.h + 0.5f);
  // Shift+Tab back up to the search field: the column scrolls back to it.
  p.act("focus", "search");
  const auto& search = node(p.settle(), "search", "textbox");
  CHECK(search.y >= -0.5f);
  CHECK(search.y + search.h <= 800.5f);
}
