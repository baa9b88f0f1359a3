// The portal core's "What's new in <latest>": offered for a purchase with an update whose version
// has notes (never for a refunded one, which gets no update line either), opened and closed by
// ToggleWhatsNew, said in the UI's language, the notes shown with their line breaks.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/core_state.hpp"
#include "core/core_time.hpp"
#include "core/core_whats_new.hpp"
#include "core_test_support.hpp"

using namespace core_test;

namespace {

json row(int id, const std::string& bought, const std::string& latest, json notes,
         const std::string& status) {
  return {{"purchaseId", id},
          {"orderId", "o-" + std::to_string(id)},
          {"purchasedAt", format_iso8601_utc(T0)},
          {"orgId", "shop"},
          {"productId", "p" + std::to_string(id)},
          {"productName", "Product " + std::to_string(id)},
          {"purchasedVersion", bought},
          {"latestVersion", latest},
          {"latestNotes", notes},
          {"files", json::array()},
          {"status", status},
          {"refundedAt", status == "refunded" ? json(format_iso8601_utc(T0 + 5000)) : json(nullptr)},
          {"licenseKey", nullptr}};
}

// 1: an update with notes; 2: an update without notes; 3: up to date, with notes; 4: refunded,
// with an update and notes.
State library(const std::string& lang = "en") {
  json list = {{"email", "a@example.com"},
               {"purchases",
                {row(1, "1.0.0", "1.1.0", "Faster start.\r\nNew presets:\n  - Warm pad\n\n", "active"),
                 row(2, "1.0.0", "1.1.0", nullptr, "active"), row(3, "1.1.0", "1.1.0", "Old notes", "active"),
                 row(4, "1.0.0", "1.1.0", "Refunded notes", "refunded")}}};
  State s = library_of(list, lang);
  REQUIRE(s.purchases.size() == 4);
  return s;
}

}  // namespace

TEST_CASE("what's new: offered for an update with notes only, never for a refunded purchase") {
  State s = library();
  CHECK(by_id(s, 1).latest_notes == "Faster start.\r\nNew presets:\n  - Warm pad\n\n");
  CHECK(whats_new_available(by_id(s, 1)));
  CHECK_FALSE(whats_new_available(by_id(s, 2)));  // no notes
  CHECK_FALSE(whats_new_available(by_id(s, 3)));  // no update
  CHECK_FALSE(whats_new_available(by_id(s, 4)));  // refunded
  // A refunded purchase says no update either.
  CHECK(has_update(by_id(s, 2)));
  CHECK_FALSE(has_update(by_id(s, 4)));
  CHECK(update_line(by_id(s, 4), *s.text).empty());
  CHECK(update_line(by_id(s, 1), *s.text) == "You bought 1.0.0 · 1.1.0 is the latest");
  Purchase blank = by_id(s, 1);
  blank.latest_notes = " \n\t\r\n";
  CHECK_FALSE(whats_new_available(blank));
}

TEST_CASE("what's new: ToggleWhatsNew opens and closes it; rows without notes stay closed") {
  State s = library();
  CHECK_FALSE(whats_new_open(s, by_id(s, 1)));
  CHECK(update(s, ToggleWhatsNew{1}).empty());
  CHECK(whats_new_open(s, by_id(s, 1)));
  CHECK_FALSE(files_open(s, 1));  // its own state, not the file list's
  update(s, ToggleWhatsNew{1});
  CHECK_FALSE(whats_new_open(s, by_id(s, 1)));
  for (int64_t id : {2, 3, 4, 99}) {
    update(s, ToggleWhatsNew{id});
    CHECK(s.notes_open.empty());
  }
  // Open, then the purchase is refunded on a reload: no longer shown as open.
  update(s, ToggleWhatsNew{1});
  Purchase refunded = by_id(s, 1);
  refunded.refunded = true;
  CHECK_FALSE(whats_new_open(s, refunded));
  update(s, SignOut{});
  CHECK(s.notes_open.empty());
}

TEST_CASE("what's new: its words in en/de/fr and the notes with their line breaks") {
  State s = library();
  CHECK(whats_new_label(by_id(s, 1), *s.text) == "What's new in 1.1.0");
  CHECK(whats_new_label(by_id(s, 1), Text::for_language("de")) == "Neu in 1.1.0");
  CHECK(whats_new_label(by_id(s, 1), Text::for_language("fr")) == "Nouveautés de la version 1.1.0");
  CHECK(whats_new_text(by_id(s, 1)) == "Faster start.\nNew presets:\n  - Warm pad");
  Purchase p = by_id(s, 1);
  p.latest_notes = "\n\n  Indented first line\rsecond\n";
  CHECK(whats_new_text(p) == "  Indented first line\nsecond");
}
