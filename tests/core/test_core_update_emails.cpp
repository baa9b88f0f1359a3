// The library's "Email addresses" section through the portal's state machine: open it, add an
// address with its code (the library loads again, rows say which address bought them), remove
// it, and the refusals in plain words.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/core_state.hpp"
#include "core/core_time.hpp"
#include "core/core_update_emails.hpp"
#include "core_test_support.hpp"

using namespace core_test;

namespace {

json row(int id, const std::string& email) {
  return {{"purchaseId", id},
          {"orderId", "order-" + std::to_string(id)},
          {"purchasedAt", format_iso8601_utc(T0)},
          {"productId", "p" + std::to_string(id)},
          {"productName", "Product " + std::to_string(id)},
          {"files", json::array()},
          {"email", email}};
}

State library(json rows) {
  return library_of({{"email", "demo@example.com"}, {"purchases", rows}}, "en", "demo@example.com");
}

json emails(std::vector<std::string> list) {
  json out = json::array();
  for (size_t i = 0; i < list.size(); ++i) out.push_back({{"email", list[i]}, {"current", i == 0}});
  return {{"emails", out}, {"max", 5}};
}

}  // namespace

TEST_CASE("email section: open, add an address with its code, the rows say who bought them, remove it") {
  State s = library(json::array({row(1, "demo@example.com")}));
  CHECK(bought_with_text(s, s.purchases[0]).empty());  // one address: nothing to tell apart
  CHECK(emails_button_text(s) == "Email addresses");

  auto list = http(update(s, ToggleEmails{}));
  CHECK(list.request.method == "GET");
  CHECK(list.request.url == "https://api.example/api/portal/emails");
  CHECK(list.request.bearer == std::string(64, 't'));
  update(s, HttpDone{RequestKind::ListEmails, 0, answer(200, emails({"demo@example.com"})), s.epoch});
  CHECK(s.emails.open);
  CHECK(emails_button_text(s) == "Hide email addresses");
  REQUIRE(s.emails.list.size() == 1);

  CHECK(update(s, SubmitNewEmail{}).empty());  // nothing typed
  CHECK(s.emails.notice_is_error);
  update(s, NewEmailEdited{" Old@Example.com "});
  auto add = http(update(s, SubmitNewEmail{}));
  CHECK(add.request.method == "POST");
  CHECK(add.request.url == "https://api.example/api/portal/emails");
  CHECK(json::parse(add.request.body) == json{{"email", "old@example.com"}});
  update(s, HttpDone{RequestKind::AddEmail, 0, answer(202, {{"status", "sent"}}), s.epoch});
  CHECK(s.emails.pending == "old@example.com");
  CHECK(s.emails.notice == "We sent a 6-digit code to old@example.com. Enter it to add the address.");

  update(s, EmailCodeEdited{"12"});
  CHECK(update(s, SubmitEmailCode{}).empty());
  CHECK(s.emails.notice == "The code is the 6 digits from the email.");
  update(s, EmailCodeEdited{"123-456"});
  auto verify = http(update(s, SubmitEmailCode{}));
  CHECK(verify.request.url == "https://api.example/api/portal/emails/verify");
  CHECK(json::parse(verify.request.body) == json{{"email", "old@example.com"}, {"code", "123456"}});
  auto wrong =
      update(s, HttpDone{RequestKind::VerifyEmail, 0,
                         answer(401, {{"error", "That code is not right."}, {"triesLeft", 3}}), s.epoch});
  CHECK(wrong.empty());
  CHECK(s.emails.notice == "That code is not right. 3 tries left.");
  CHECK(s.emails.notice_is_error);

  auto again = http(update(s, SubmitEmailCode{}));
  auto reload =
      http(update(s, HttpDone{RequestKind::VerifyEmail, 0,
                              answer(200, emails({"demo@example.com", "old@example.com"})), again.epoch}));
  CHECK(reload.request.url == "https://api.example/api/portal/purchases");
  CHECK(s.emails.notice == "old@example.com is added. Its purchases are in your library.");
  CHECK(s.emails.pending.empty());
  CHECK(s.emails.new_email.empty());
  update(s, HttpDone{RequestKind::Purchases, 0,
                     answer(200, {{"email", "demo@example.com"},
                                  {"purchases", {row(1, "demo@example.com"), row(2, "old@example.com")}}}),
                     s.epoch});
  REQUIRE(s.purchases.size() == 2);
  CHECK(bought_with_text(s, s.purchases[1]) == "Bought with old@example.com");
  CHECK(bought_with_text(s, s.purchases[0]) == "Bought with demo@example.com");

  auto remove = http(update(s, RemoveEmail{"old@example.com"}));
  CHECK(remove.request.method == "DELETE");
  CHECK(remove.request.url == "https://api.example/api/portal/emails/old%40example.com");
  CHECK(update(s, RemoveEmail{"old@example.com"}).empty());  // one removal at a time
  auto after = http(update(
      s, HttpDone{RequestKind::UnlinkEmail, 0, answer(200, emails({"demo@example.com"})), remove.epoch}));
  CHECK(after.request.url == "https://api.example/api/portal/purchases");
  CHECK(s.emails.notice == "old@example.com is removed. Its purchases are no longer shown here.");
  CHECK(s.emails.list.size() == 1);
}

TEST_CASE("email section: a full list, a 409 and an ended session are said in plain words") {
  State s = library(json::array());
  update(s, ToggleEmails{});
  update(s, HttpDone{RequestKind::ListEmails, 0,
                     answer(200, emails({"a@example.com", "b@example.com", "c@example.com", "d@example.com",
                                         "e@example.com"})),
                     s.epoch});
  CHECK(!can_add_email(s));
  update(s, NewEmailEdited{"f@example.com"});
  CHECK(update(s, SubmitNewEmail{}).empty());
  CHECK(s.emails.notice == "You have 5 addresses already. Remove one to add another.");

  s.emails.list.pop_back();
  http(update(s, SubmitNewEmail{}));
  update(s, HttpDone{RequestKind::AddEmail, 0, answer(409, {{"error", "full"}}), s.epoch});
  CHECK(s.emails.notice == "You have 5 addresses already. Remove one to add another.");
  CHECK(s.emails.pending.empty());

  auto ended = update(s, HttpDone{RequestKind::ListEmails, 0, answer(401, {{"error", "ended"}}), s.epoch});
  CHECK(std::holds_alternative<ClearSession>(ended[0]));
  CHECK(s.screen == Screen::Email);
  CHECK(!s.emails.open);
}

TEST_CASE("email section: the German words") {
  State s;
  update(s, Started{{"", "", "de"}, std::nullopt, "", "", T0});
  CHECK(emails_button_text(s) == "E-Mail-Adressen");
}
