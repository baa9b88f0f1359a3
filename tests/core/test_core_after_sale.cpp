// The portal core's purchase rows after the sale: the refund state and the licence key parsed
// from GET /api/portal/purchases (and sent back identically), no link asked for a refunded row,
// a 410 "purchase_refunded" turning the row refunded, and the licence key copied with its note.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/core_state.hpp"
#include "core/core_time.hpp"
#include "core_test_support.hpp"

using namespace core_test;

namespace {

json row(int id, const std::string& status, json refunded_at, json key) {
  return {{"purchaseId", id},
          {"orderId", "o-" + std::to_string(id)},
          {"purchasedAt", format_iso8601_utc(T0)},
          {"orgId", "shop"},
          {"productId", "p" + std::to_string(id)},
          {"productName", "Product " + std::to_string(id)},
          {"purchasedVersion", "1.0.0"},
          {"latestVersion", "1.0.0"},
          {"files", json::array()},
          {"status", status},
          {"refundedAt", refunded_at},
          {"licenseKey", key}};
}

json list() {
  return {{"email", "a@example.com"},
          {"purchases",
           {row(1, "refunded", format_iso8601_utc(T0 + 5000), nullptr), row(2, "active", nullptr, "KEY-2222"),
            row(3, "active", nullptr, nullptr)}}};
}

State library() {
  State s = library_of(list());
  REQUIRE(s.purchases.size() == 3);
  return s;
}

}  // namespace

TEST_CASE("after sale: refund state and licence key parse and go back as sent") {
  auto parsed = parse_purchase_list(list().dump());
  REQUIRE(parsed);
  CHECK(parsed->purchases[0].refunded);
  CHECK(parsed->purchases[0].refunded_at_ms == T0 + 5000);
  CHECK(parsed->purchases[1].license_key == "KEY-2222");
  CHECK(!parsed->purchases[1].refunded);
  // Every field the rows were sent with goes back the same (the list's other fields are other tests').
  json back = json(*parsed), sent = list();
  for (size_t i = 0; i < sent["purchases"].size(); ++i)
    for (auto& field : sent["purchases"][i].items())  // not a structured binding: clang 14 can't capture one
      CHECK_MESSAGE(back["purchases"][i][field.key()] == field.value(), field.key());
  // An older server's rows (no status, no key) are active and keyless.
  json old = row(4, "active", nullptr, nullptr);
  old.erase("status");
  old.erase("licenseKey");
  auto p = parse_purchase_list(json::array({old}).dump());
  REQUIRE(p);
  CHECK(!p->purchases[0].refunded);
  CHECK(p->purchases[0].license_key.empty());
}

TEST_CASE("after sale: a refunded row asks for no link; a 410 purchase_refunded makes a row refunded") {
  State s = library();
  CHECK(update(s, GetLink{1}).empty());
  auto cmds = update(s, GetLink{3});
  REQUIRE(cmds.size() == 1);
  const auto& h = std::get<HttpCommand>(cmds[0]);
  json refused = {{"error", "This purchase was refunded: no download link can be made for it"},
                  {"code", "purchase_refunded"}};
  update(s, HttpDone{RequestKind::DownloadLink, 3,
                     HttpResponse{410, refused.dump(), "", TransportFailure::None}, h.epoch});
  CHECK(by_id(s, 3).refunded);
  CHECK(s.links[3].error == "This purchase was refunded, so it can no longer be downloaded.");
  CHECK(status_line(s) == "This purchase was refunded, so it can no longer be downloaded.");
  // Another 410 (an expired link's) is not taken for a refund.
  State t = library();
  auto again = update(t, GetLink{3});
  update(t, HttpDone{RequestKind::DownloadLink, 3,
                     HttpResponse{410, json{{"error", "gone"}}.dump(), "", TransportFailure::None},
                     std::get<HttpCommand>(again[0]).epoch});
  CHECK(!by_id(t, 3).refunded);
}

TEST_CASE("after sale: the licence key line, its copy, and the note at its row") {
  State s = library();
  CHECK(license_key_line(by_id(s, 2), *s.text) == "Licence key: KEY-2222");
  CHECK(license_key_line(by_id(s, 3), *s.text).empty());
  CHECK(update(s, CopyLicenseKey{3}).empty());  // no key, nothing to copy
  auto copy = update(s, CopyLicenseKey{2});
  REQUIRE(copy.size() == 1);
  CHECK(std::get<CopyText>(copy[0]).text == "KEY-2222");
  update(s, CopyDone{true});
  CHECK(s.links[2].note == "Licence key copied");
  CHECK(status_line(s) == "Licence key copied.");
  update(s, CopyLicenseKey{2});
  update(s, CopyDone{false});
  CHECK(s.links[2].note_is_error);
  // German words for the same.
  State de;
  update(de, Started{{"", "", "de"}, std::nullopt, "", "", T0});
  CHECK(license_key_line(by_id(s, 2), *de.text) == "Lizenzschlüssel: KEY-2222");
}
