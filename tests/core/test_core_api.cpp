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
  CHECK(json(ErrorBody{"Invalid API key", std::nullopt, std::nullopt, std::nullopt}) ==
        json{{"error", "Invalid API key"}});
  json wrong = ErrorBody{"That code is not right. 4 tries left.", 4, std::nullopt, std::nullopt};
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
  auto send = verification_request({"demo@example.com", std::string("audio-company"), std::nullopt});
  CHECK(std::string(send.method) == "POST");
  CHECK(send.path == "/api/portal/verification");
  CHECK(!send.authenticated);
  CHECK(json::parse(send.body) == json{{"email", "demo@example.com"}, {"org", "audio-company"}});
  CHECK(json::parse(verification_request({"a@b.co", std::nullopt, std::nullopt}).body) ==
        json{{"email", "a@b.co"}});

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
  CHECK(!json::parse(verification_request({"a\xff@example.com", std::nullopt, std::nullopt}).body, nullptr,
                     false)
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

TEST_CASE("an org profile goes to JSON with nulls for unset help and parses back unchanged") {
  OrgProfile p{"audio-company", "Audio Company", "help@audio.example", "https://audio.example/help"};
  json j = p;
  CHECK(j == json{{"orgId", "audio-company"},
                  {"name", "Audio Company"},
                  {"helpEmail", "help@audio.example"},
                  {"helpUrl", "https://audio.example/help"}});
  auto back = parse_org_profile(j.dump());
  REQUIRE(back);
  CHECK(back->org_id == p.org_id);
  CHECK(back->name == p.name);
  CHECK(back->help_email == p.help_email);
  CHECK(back->help_url == p.help_url);

  OrgProfile bare{"o", "O", "", ""};
  json k = bare;
  CHECK(k["helpEmail"].is_null());
  CHECK(k["helpUrl"].is_null());
  auto bare_back = parse_org_profile(k.dump());
  REQUIRE(bare_back);
  CHECK(bare_back->help_email.empty());

  CHECK(parse_org_profile("nope").error == ParseError::NotJson);
  CHECK(parse_org_profile("[]").error == ParseError::WrongShape);
  auto no_name = parse_org_profile(R"({"orgId":"o"})");
  CHECK(no_name.error == ParseError::MissingField);
  CHECK(no_name.field == "name");
  CHECK(parse_org_profile(R"({"orgId":"o","name":""})").error == ParseError::BadValue);
  CHECK(parse_org_profile(R"({"orgId":1,"name":"x"})").error == ParseError::WrongType);
  // What the portal would open is checked even from its own server.
  auto odd = parse_org_profile(
      R"j({"orgId":"o","name":"O","helpEmail":"not mail","helpUrl":"javascript:alert(1)"})j");
  REQUIRE(odd);
  CHECK(odd->help_email.empty());
  CHECK(odd->help_url.empty());
}

TEST_CASE("a saved session carries its links and reads back; odd link entries are skipped") {
  SavedSession s{{"tok", "demo@example.com", T0}, {}};
  s.links.push_back({7, {"https://x.example/download?token=a", "1.0.0", "kit", "a", T0 + 1000}});
  s.links.push_back({9, {"https://x.example/download?token=b", "2.0.0", "pack", "b", T0 + 2000}});
  auto back = deserialize_saved_session(serialize_saved_session(s));
  REQUIRE(back);
  CHECK(back->session.token == "tok");
  CHECK(back->session.email == "demo@example.com");
  CHECK(back->session.expires_at_ms == T0);
  REQUIRE(back->links.size() == 2);
  CHECK(back->links[1].purchase_id == 9);
  CHECK(back->links[1].link.url == "https://x.example/download?token=b");
  CHECK(back->links[1].link.version == "2.0.0");
  CHECK(back->links[1].link.expires_at_ms == T0 + 2000);

  json j = json::parse(serialize_saved_session(s));
  j["links"].push_back(42);
  j["links"].push_back({{"purchaseId", "x"}, {"downloadUrl", "u"}, {"expiresAt", format_iso8601_utc(T0)}});
  j["links"].push_back({{"purchaseId", 3}, {"downloadUrl", ""}, {"expiresAt", format_iso8601_utc(T0)}});
  auto lenient = deserialize_saved_session(j.dump());
  REQUIRE(lenient);
  CHECK(lenient->links.size() == 2);
  // A plain session (saved before links were kept) has none; a broken one is refused.
  auto plain = deserialize_saved_session(serialize_session(s.session));
  REQUIRE(plain);
  CHECK(plain->links.empty());
  CHECK_FALSE(deserialize_saved_session("{}"));
  CHECK_FALSE(deserialize_saved_session("garbage"));
}

TEST_CASE("one URL encoder; a file's own download from a minted link") {
  CHECK(url_encode("buyer+tag@example.com") == "buyer%2Btag%40example.com");
  CHECK(url_encode("A-z_0.9~") == "A-z_0.9~");
  CHECK(url_encode("Kit/Kick 1.wav") == "Kit%2FKick%201.wav");
  CHECK(url_encode("\xC3\x9C") == "%C3%9C");
  CHECK(file_download_url("https://x.example/download?token=ab", "Kit/Kick 1.wav") ==
        "https://x.example/download?token=ab&file=Kit%2FKick%201.wav");
  CHECK(file_download_url("https://x.example/d", "a&b=c") == "https://x.example/d?file=a%26b%3Dc");
  CHECK(profile_request("audio-company").path == "/api/portal/profile?org=audio-company");
  CHECK_FALSE(profile_request("audio-company").authenticated);
  CHECK(std::string(profile_request("x").method) == "GET");
  CHECK(purchases_request("a b").path == "/api/portal/purchases?org=a%20b");
}

TEST_CASE("help URLs: http or https, a host, nothing that could leave an attribute") {
  CHECK(plausible_web_url("https://audio.example/help"));
  CHECK(plausible_web_url("http://localhost:8080"));
  CHECK(plausible_web_url("https://audio.example/help?topic=downloads#faq"));
  CHECK_FALSE(plausible_web_url(""));
  CHECK_FALSE(plausible_web_url("https://"));
  CHECK_FALSE(plausible_web_url("https:///path"));
  CHECK_FALSE(plausible_web_url("ftp://audio.example"));
  CHECK_FALSE(plausible_web_url("javascript:alert(1)"));
  CHECK_FALSE(plausible_web_url("https://audio.example/a b"));
  CHECK_FALSE(plausible_web_url("https://audio.example/\"onclick"));
  CHECK_FALSE(plausible_web_url("https://user:pw@audio.example/"));
  CHECK_FALSE(plausible_web_url("https://audio.example/\n"));
  CHECK_FALSE(plausible_web_url("https://audio.example/" + std::string(2000, 'a')));
}
