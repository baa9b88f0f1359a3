// core_api: the portal API's models through to_json and back, parses of bad input as error
// values (never a throw), the request builders, and the email and code rules both sides use.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/core_api.hpp"
#include "core/core_time.hpp"

using namespace continuata::core;
using nlohmann::json;

namespace {

constexpr int64_t T0 = 1790000000000;

Purchase sample_purchase() {
  Purchase p;
  p.purchase_id = 7;
  p.order_id = "order-1001";
  p.org_id = "audio-company";
  p.product_id = "epic-drums-v1";
  p.product_name = "Epic Drum Kit Vol. 1";
  p.purchased_version = "1.0.0";
  p.latest_version = "";  // none: null in JSON
  p.purchased_at_ms = T0;
  p.files = {{"Kit/Kick.wav", std::string(64, 'a'), 1400000}, {"README.txt", std::string(64, 'b'), 0}};
  return p;
}

}  // namespace

TEST_CASE("a purchase list goes to JSON as the API documents it and parses back unchanged") {
  PurchaseList list{"demo@example.com", {sample_purchase()}};
  json j = list;
  CHECK(j["email"] == "demo@example.com");
  const json& row = j["purchases"][0];
  CHECK(row["purchaseId"] == 7);
  CHECK(row["purchasedAt"] == format_iso8601_utc(T0));
  CHECK(row["orgId"] == "audio-company");
  CHECK(row["purchasedVersion"] == "1.0.0");
  CHECK(row["latestVersion"].is_null());
  CHECK(row["files"][0] ==
        json{{"path", "Kit/Kick.wav"}, {"size", 1400000}, {"sha256", std::string(64, 'a')}});

  auto back = parse_purchase_list(j.dump());
  REQUIRE(back);
  CHECK(back.error == ParseError::None);
  CHECK(json(*back) == j);
}

TEST_CASE("a purchase list is read leniently row by row but refused when its shape is wrong") {
  // A bare array is accepted; a missing name is the product id; odd files are skipped.
  auto bare =
      parse_purchase_list(R"([{"purchaseId":1,"productId":"p","files":[1,{"path":"a","size":"x"}]}])");
  REQUIRE(bare);
  REQUIRE(bare->purchases.size() == 1);
  CHECK(bare->purchases[0].product_name == "p");
  CHECK(bare->purchases[0].purchased_at_ms == 0);
  REQUIRE(bare->purchases[0].files.size() == 1);
  CHECK(bare->purchases[0].files[0].size == 0);

  struct Case {
    const char* body;
    ParseError error;
    const char* field;
  } cases[] = {
      {"", ParseError::NotJson, ""},
      {"{\"purchases\":[", ParseError::NotJson, ""},
      {"\"\xff\"", ParseError::NotJson, ""},
      {"42", ParseError::WrongShape, ""},
      {"{}", ParseError::MissingField, "purchases"},
      {R"({"purchases":null})", ParseError::MissingField, "purchases"},
      {R"({"purchases":{}})", ParseError::WrongType, "purchases"},
      {R"({"purchases":[{"purchaseId":"7"}]})", ParseError::WrongShape, "purchaseId"},
      {R"({"purchases":[3]})", ParseError::WrongShape, "purchaseId"},
  };
  for (const auto& c : cases) {
    auto p = parse_purchase_list(c.body);
    CHECK_MESSAGE(!p, c.body);
    CHECK_MESSAGE(p.error == c.error, c.body);
    CHECK_MESSAGE(p.field == c.field, c.body);
  }
}

TEST_CASE("sessions and download links need their token or URL and a real expiry") {
  Session s{"tok", "demo@example.com", T0};
  auto back = parse_session(json(s).dump());
  REQUIRE(back);
  CHECK(back->token == "tok");
  CHECK(back->expires_at_ms == T0);
  CHECK(deserialize_session(serialize_session(s))->email == "demo@example.com");

  CHECK(parse_session("[]").error == ParseError::WrongShape);
  CHECK(parse_session(R"({"expiresAt":"2026-04-02T00:00:00.000Z"})").field == "sessionToken");
  CHECK(parse_session(R"({"sessionToken":"","expiresAt":"2026-04-02T00:00:00.000Z"})").error ==
        ParseError::BadValue);
  CHECK(parse_session(R"({"sessionToken":"t"})").error == ParseError::MissingField);
  CHECK(parse_session(R"({"sessionToken":"t","expiresAt":5})").error == ParseError::WrongType);
  auto bad_time = parse_session(R"({"sessionToken":"t","expiresAt":"tomorrow"})");
  CHECK(bad_time.error == ParseError::BadValue);
  CHECK(bad_time.field == "expiresAt");

  DownloadLink l{"https://x/download?token=abc", "1.1.0", "epic-drums-v1", "abc", T0};
  json lj = l;
  CHECK(lj["success"] == true);
  CHECK(lj["downloadToken"] == "abc");
  auto link = parse_download_link(lj.dump());
  REQUIRE(link);
  CHECK(json(*link) == lj);
  CHECK(parse_download_link(R"({"downloadUrl":"","expiresAt":"2026-04-02"})").field == "downloadUrl");
  CHECK(!parse_download_link("not json"));
}

TEST_CASE("error bodies carry triesLeft and retryAfter only where they apply") {
  CHECK(json(ErrorBody{"Invalid API key", std::nullopt, std::nullopt}) == json{{"error", "Invalid API key"}});
  json wrong = ErrorBody{"That code is not right. 4 tries left.", 4, std::nullopt};
  CHECK(wrong["triesLeft"] == 4);
  CHECK(!wrong.contains("retryAfter"));
  auto back = parse_error(wrong.dump());
  REQUIRE(back);
  CHECK(back->tries_left == 4);
  CHECK(!back->retry_after);
  CHECK(parse_error(R"({"triesLeft":"4"})")->tries_left == std::nullopt);
  CHECK(parse_error("{}")->error.empty());
  CHECK(parse_error("<html>").error == ParseError::NotJson);
  CHECK(json(VerificationAccepted{}) ==
        json{{"status", "sent"}, {"message", "If this address has purchases, a code is on its way."}});
}

TEST_CASE("request builders name the endpoint, the body and whether the session goes along") {
  auto send = verification_request({"demo@example.com", std::string("audio-company")});
  CHECK(std::string(send.method) == "POST");
  CHECK(send.path == "/api/portal/verification");
  CHECK(!send.authenticated);
  CHECK(json::parse(send.body) == json{{"email", "demo@example.com"}, {"org", "audio-company"}});
  CHECK(json::parse(verification_request({"a@b.co", std::nullopt}).body) == json{{"email", "a@b.co"}});

  auto verify = session_request({"demo@example.com", "123456"});
  CHECK(verify.path == kSessionPath);
  CHECK(json::parse(verify.body) == json{{"email", "demo@example.com"}, {"code", "123456"}});

  CHECK(purchases_request("").path == "/api/portal/purchases");
  CHECK(purchases_request("audio-company").path == "/api/portal/purchases?org=audio-company");
  CHECK(purchases_request("").authenticated);

  auto link = download_link_request({7, std::nullopt});
  CHECK(link.authenticated);
  CHECK(json::parse(link.body) == json{{"purchaseId", 7}});
  CHECK(json::parse(download_link_request({7, std::string("1.0.0")}).body) ==
        json{{"purchaseId", 7}, {"version", "1.0.0"}});

  auto out = sign_out_request();
  CHECK(std::string(out.method) == "DELETE");
  CHECK(out.path == kSessionPath);
  CHECK(out.authenticated);

  // Typed text that is not UTF-8 still makes a JSON body (U+FFFD), never a throw.
  CHECK(!json::parse(verification_request({"a\xff@example.com", std::nullopt}).body, nullptr, false)
             .is_discarded());
}

TEST_CASE("emails are trimmed and lowercased, then checked the same way on both sides") {
  CHECK(normalise_email("  Demo@Example.COM\t\n") == "demo@example.com");
  CHECK(normalise_email("") == "");
  CHECK(normalise_email("ÄBC@example.com") == "Äbc@example.com");  // ASCII letters only

  for (const char* ok : {"a@b.co", "first.last+tag@mail.example.com", "x@sub.domain.io"})
    CHECK_MESSAGE(plausible_email(ok), ok);
  for (const char* bad : {"", "no-at-sign", "@example.com", "a@b", "a@.com", "a@example.", "a@@example.com",
                          "a@b@example.com", "a b@example.com", "a@exa mple.com", "<a@example.com>",
                          "\"a\"@example.com", "a,b@example.com", "a@example.com\r\n", "a\x7f@example.com"})
    CHECK_MESSAGE(!plausible_email(bad), bad);
  CHECK(plausible_email(std::string(64, 'a') + "@" + std::string(185, 'b') + ".com"));   // 254 bytes
  CHECK(!plausible_email(std::string(64, 'a') + "@" + std::string(186, 'b') + ".com"));  // 255 bytes
}

TEST_CASE("a code is six digits; spaces in it are ignored, anything else is refused") {
  CHECK(verification_code("123456") == "123456");
  CHECK(verification_code("123 456") == "123456");
  CHECK(verification_code(" 0 1 2 3 4 5 ") == "012345");
  CHECK(verification_code("123-456") == "123456");
  for (const char* bad :
       {"", "12345", "1234567", "12345a", "123.456", "123-45", "１２３４５６", "123\t456", "      "})
    CHECK_MESSAGE(!verification_code(bad), bad);
}
