// The library's rows after the sale, drawn: a refunded row says "Refunded" and has no download
// control (on the canvas and in the page's row catalogue), and a licence key is shown with its
// "Copy licence key, <Product>" button, which copies it from either.
#include <doctest/doctest.h>

#include "portal/portal_app.hpp"
#include "portal_test_support.hpp"

using namespace portal_test;

namespace {

json after_sale_purchases() {
  json list = purchases_json(2);
  list["purchases"][0]["status"] = "refunded";
  list["purchases"][0]["refundedAt"] = core::format_iso8601_utc(T0);
  list["purchases"][0]["files"] = json::array();
  list["purchases"][1]["licenseKey"] = "ABCD-1234";
  return list;
}

// The row of the page's catalogue (PortalApp::rows_json) with this purchase id.
json summary(Portal& p, const std::string& id) {
  for (const auto& r : json::parse(p.runner.app().rows_json()))
    if (r["id"] == id) return r;
  FAIL("no row " << id);
  return nullptr;
}

}  // namespace

TEST_CASE("after sale: a refunded row without a download, a licence key with Copy") {
  Portal p;
  const auto& sem = sign_in_with(p, after_sale_purchases());
  CHECK(node(sem, "refunded-1", "text").name == "Refunded");
  CHECK(node(sem, "refunded-1", "text").parent == "row-1");
  CHECK(find(sem, "get-1") == nullptr);
  CHECK(find(sem, "download-1") == nullptr);
  CHECK(node(sem, "get-2", "button").name == "Get download link, Synth Pack 2");
  CHECK(node(sem, "key-2", "text").name == "Licence key: ABCD-1234");
  CHECK(node(sem, "key-copy-2", "button").name == "Copy licence key, Synth Pack 2");
  CHECK(find(sem, "key-copy-1") == nullptr);

  json refunded = summary(p, "1");
  CHECK(refunded["details"].get<std::string>().find("Refunded") != std::string::npos);
  auto control = [](const json& row, const std::string& id) {
    for (const auto& c : row["controls"])
      if (c["id"] == id) return c;
    return json();
  };
  for (const auto& c : refunded["controls"])  // its history stays; nothing downloads
    CHECK(c["id"].get<std::string>().rfind("history", 0) == 0);
  json keyed = summary(p, "2");
  CHECK(control(keyed, "get-2")["name"] == "Get download link, Synth Pack 2");
  CHECK(control(keyed, "key-copy-2")["name"] == "Copy licence key, Synth Pack 2");

  p.act("activate", "key-copy-2");
  CHECK(p.services.copied == std::vector<std::string>{"ABCD-1234"});
  const auto& copied = p.settle();
  CHECK(node(copied, "note-2", "status").name == "Licence key copied");
  p.act("activate", "get-1");  // no such control: nothing is asked
  CHECK(p.services.requests.empty());
}

TEST_CASE("after sale: a refund learnt from a link's 410 changes the row and its catalogue entry at once") {
  Portal p;
  sign_in(p, 2);
  CHECK(summary(p, "1")["details"].get<std::string>().find("Refunded") == std::string::npos);
  p.act("activate", "get-1");
  p.services.answer("/api/portal/download-url", 410,
                    {{"error", "This purchase was refunded"}, {"code", "purchase_refunded"}});
  const auto& sem = p.settle();
  CHECK(node(sem, "refunded-1", "text").name == "Refunded");
  CHECK(find(sem, "get-1") == nullptr);
  json row = summary(p, "1");  // no new list was asked for
  CHECK(row["details"].get<std::string>().find("Refunded") != std::string::npos);
  for (const auto& c : row["controls"]) CHECK(c["id"].get<std::string>().rfind("history", 0) == 0);
  CHECK(p.services.requests.empty());
}
