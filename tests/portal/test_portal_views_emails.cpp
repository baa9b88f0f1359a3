// The library's "Email addresses" section drawn by the real views (headless runner), driven by
// accessibility actions alone: the toggle, the addresses with "Remove, <address>", the fields
// and buttons by their names, and the rows saying which address bought them.
#include "portal_test_support.hpp"

using namespace portal_test;

namespace {

json two_address_purchases() {
  json list = purchases_json(2);
  list["purchases"][0]["email"] = "demo@example.com";
  list["purchases"][1]["email"] = "old@example.com";
  return list;
}

json emails_json(std::vector<std::string> list) {
  json out = json::array();
  for (size_t i = 0; i < list.size(); ++i) out.push_back({{"email", list[i]}, {"current", i == 0}});
  return {{"emails", out}, {"max", 5}};
}

}  // namespace

TEST_CASE("the email addresses section: add an address with its code, rows say who bought, remove it") {
  Portal p;
  json one = purchases_json(1);
  one["purchases"][0]["email"] = "demo@example.com";
  const auto& first = sign_in_with(p, one);
  CHECK(node(first, "emails-toggle", "button").name == "Email addresses");
  CHECK(find(first, "new-email") == nullptr);      // closed
  CHECK(find(first, "bought-with-1") == nullptr);  // one address: nothing to tell apart

  p.act("activate", "emails-toggle");
  p.services.answer("/api/portal/emails", 200, emails_json({"demo@example.com"}));
  const auto& open = p.settle();
  CHECK(node(open, "emails-toggle", "button").name == "Hide email addresses");
  CHECK(node(open, "emails-title", "heading").name == "Your email addresses");
  CHECK(node(open, "linked-0", "text").name == "demo@example.com (signed in)");
  CHECK(node(open, "new-email", "textbox").name == "Another email address");
  CHECK(node(open, "new-email", "textbox").kind == "email");
  CHECK(node(open, "add-email", "button").name == "Add email");
  CHECK(find(open, "new-email-code") == nullptr);

  p.act("setValue", "new-email", "old@example.com");
  p.act("activate", "add-email");
  REQUIRE(p.services.requests.size() == 1);
  CHECK(p.services.requests[0].request.method == "POST");
  CHECK(json::parse(p.services.requests[0].request.body) == json{{"email", "old@example.com"}});
  p.services.answer("/api/portal/emails", 202, {{"status", "sent"}});
  const auto& sent = p.settle();
  CHECK(node(sent, "emails-status", "status").name ==
        "We sent a 6-digit code to old@example.com. Enter it to add the address.");
  CHECK(node(sent, "new-email-code", "textbox").name == "Verification code");
  CHECK(node(sent, "verify-email", "button").name == "Verify address");

  p.act("setValue", "new-email-code", "654321");
  p.act("submit", "new-email-code");
  REQUIRE(p.services.requests.size() == 1);
  CHECK(json::parse(p.services.requests[0].request.body) ==
        json{{"email", "old@example.com"}, {"code", "654321"}});
  p.services.answer("/api/portal/emails/verify", 200, emails_json({"demo@example.com", "old@example.com"}));
  p.settle();
  p.services.answer("/api/portal/purchases", 200, two_address_purchases());
  const auto& both = p.settle();
  CHECK(node(both, "emails-status", "status").name ==
        "old@example.com is added. Its purchases are in your library.");
  CHECK(node(both, "linked-1", "text").name == "old@example.com");
  CHECK(node(both, "remove-1", "button").name == "Remove, old@example.com");
  CHECK(find(both, "new-email-code") == nullptr);
  CHECK(node(both, "bought-with-2", "text").name == "Bought with old@example.com");
  CHECK(node(both, "bought-with-2", "text").parent == "row-2");
  CHECK(node(both, "bought-with-1", "text").name == "Bought with demo@example.com");
  // The page's row catalogue says it too.
  CHECK(p.runner.app().rows_json().find("Bought with old@example.com") != std::string::npos);

  p.act("activate", "remove-1");
  REQUIRE(p.services.requests.size() == 1);
  CHECK(p.services.requests[0].request.method == "DELETE");
  p.services.answer("/api/portal/emails/old%40example.com", 200, emails_json({"demo@example.com"}));
  p.settle();
  p.services.answer("/api/portal/purchases", 200, one);
  const auto& after = p.settle();
  CHECK(node(after, "emails-status", "status").name ==
        "old@example.com is removed. Its purchases are no longer shown here.");
  CHECK(find(after, "remove-1") == nullptr);
  CHECK(find(after, "bought-with-1") == nullptr);
}

TEST_CASE("the email addresses section: a refused code is an alert, a full list disables Add email") {
  Portal p;
  sign_in(p, 1);
  p.act("activate", "emails-toggle");
  p.services.answer("/api/portal/emails", 200,
                    emails_json({"a@example.com", "b@example.com", "c@example.com", "d@example.com"}));
  p.settle();
  p.act("setValue", "new-email", "e@example.com");
  p.act("activate", "add-email");
  p.services.answer("/api/portal/emails", 202, {{"status", "sent"}});
  p.settle();
  p.act("setValue", "new-email-code", "111111");
  p.act("activate", "verify-email");
  p.services.answer("/api/portal/emails/verify", 401,
                    {{"error", "That code is not right."}, {"triesLeft", 2}});
  CHECK(node(p.settle(), "emails-status", "alert").name == "That code is not right. 2 tries left.");
  p.act("activate", "verify-email");
  p.services.answer(
      "/api/portal/emails/verify", 200,
      emails_json({"a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com"}));
  p.settle();
  p.services.answer("/api/portal/purchases", 200, purchases_json(1));
  const auto& full = p.settle();
  CHECK(node(full, "add-email", "button").disabled);
  CHECK(node(full, "remove-4", "button").name == "Remove, e@example.com");
}
