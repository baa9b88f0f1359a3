// The catalogues of the portal's words: every language has every key English has (and no
// other), with the same placeholders; every key the code asks for exists; numbers, sizes, dates
// and countdowns come out in each language's own way; a German journey speaks German.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "core/core_format.hpp"
#include "core/core_state.hpp"
#include "core/core_text.hpp"

using namespace continuata::core;

namespace {

// Keys the code asks for: t("..."), (*s.text)("..."), text("...") calls and the unit table.
std::set<std::string> keys_used_in_sources() {
  std::set<std::string> keys;
  std::regex call(R"re((?:\bt|\(\*s\.text\)|\(\*c\.s\.text\)|\btext)\(\s*"([a-z_]+\.[a-z_.]+)")re");
  std::regex quoted(R"re("((?:size|expiry|wait|error|code|email|library|row|link|session)\.[a-z_]+)")re");
  for (const char* dir : {"src/core", "src/portal"}) {
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(CONTINUATA_SOURCE_DIR) / dir)) {
      std::ifstream in(entry.path());
      std::stringstream ss;
      ss << in.rdbuf();
      std::string src = ss.str();
      for (const auto& re : {call, quoted})
        for (std::sregex_iterator it(src.begin(), src.end(), re), end; it != end; ++it) keys.insert((*it)[1]);
    }
  }
  return keys;
}

HttpResponse response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse offline() {
  HttpResponse r;
  r.failure = TransportFailure::Offline;
  return r;
}

}  // namespace

TEST_CASE("every catalogue parses and has exactly English's keys, with the same placeholders") {
  const Text& en = Text::english();
  REQUIRE(en.entries().size() > 50);
  for (const auto& lang : Text::languages()) {
    CAPTURE(lang);
    auto parsed = Text::parse(lang, Text::source(lang));
    REQUIRE(parsed.has_value());
    for (const auto& entry : en.entries()) {  // not a structured binding: CAPTURE's lambda (clang 14)
      const std::string &key = entry.first, &value = entry.second;
      CAPTURE(key);
      REQUIRE(parsed->has(key));
      CHECK_FALSE(parsed->entries().at(key).empty());
      auto a = placeholders(value), b = placeholders(parsed->entries().at(key));
      CHECK(std::multiset<std::string>(a.begin(), a.end()) == std::multiset<std::string>(b.begin(), b.end()));
    }
    for (const auto& entry : parsed->entries()) {
      const std::string& key = entry.first;
      CAPTURE(key);
      CHECK(en.has(key));  // no stray keys that English lacks
    }
  }
}

// The mail catalogues (assets/i18n/mail_<lang>.json, compiled into the server) beside the UI's.
static std::optional<Text> mail_catalogue(const std::string& lang) {
  std::ifstream in(std::filesystem::path(CONTINUATA_SOURCE_DIR) / "assets/i18n" / ("mail_" + lang + ".json"));
  std::stringstream ss;
  ss << in.rdbuf();
  return Text::parse(lang, ss.str());
}

TEST_CASE("every mail catalogue has exactly English's mail keys, with the same placeholders") {
  auto en = mail_catalogue("en");
  REQUIRE(en.has_value());
  REQUIRE(en->entries().size() > 15);
  for (const auto& lang : Text::languages()) {
    CAPTURE(lang);
    auto parsed = mail_catalogue(lang);
    REQUIRE(parsed.has_value());
    for (const auto& entry : en->entries()) {
      const std::string &key = entry.first, &value = entry.second;
      CAPTURE(key);
      CHECK(key.rfind("mail.", 0) == 0);
      REQUIRE(parsed->has(key));
      CHECK_FALSE(parsed->entries().at(key).empty());
      auto a = placeholders(value), b = placeholders(parsed->entries().at(key));
      CHECK(std::multiset<std::string>(a.begin(), a.end()) == std::multiset<std::string>(b.begin(), b.end()));
    }
    for (const auto& entry : parsed->entries()) {
      const std::string& key = entry.first;
      CAPTURE(key);
      CHECK(en->has(key));
    }
  }
  // Every "mail.*" key the server's code asks for exists.
  std::set<std::string> used;
  std::regex quoted(R"re("(mail\.[a-z_]+\.[a-z_]+)")re");
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(CONTINUATA_SOURCE_DIR) / "src/server")) {
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string src = ss.str();
    for (std::sregex_iterator it(src.begin(), src.end(), quoted), end; it != end; ++it) used.insert((*it)[1]);
  }
  CHECK(used.size() > 15);
  for (const auto& key : used) {
    CAPTURE(key);
    CHECK(en->has(key));
  }
}

TEST_CASE("every key the portal's code asks for is in the catalogues") {
  auto used = keys_used_in_sources();
  CHECK(used.size() > 50);  // the scan really finds the calls
  for (const auto& key : used) {
    CAPTURE(key);
    CHECK(Text::english().has(key));
  }
}

TEST_CASE("languages are chosen by tag, English otherwise; placeholders fill, missing keys show") {
  CHECK(Text::for_language("de-AT").lang() == "de");
  CHECK(Text::for_language("FR_ca").lang() == "fr");
  CHECK(Text::for_language("ja").lang() == "en");
  CHECK(Text::for_language("").lang() == "en");
  CHECK(Text::english()("code.sent", {{"email", "a@b.c"}}) ==
        "We sent a 6-digit code to a@b.c. It works for 10 minutes.");
  CHECK(Text::english()("no.such.key") == "no.such.key");
  CHECK_FALSE(Text::parse("xx", R"({"a": 1})").has_value());
  CHECK_FALSE(Text::parse("xx", "not json").has_value());
}

TEST_CASE("sizes, dates and countdowns in each language's own way") {
  const Text &en = Text::for_language("en"), &de = Text::for_language("de"), &fr = Text::for_language("fr");
  CHECK(human_size(1400000, en) == "1.4 MB");
  CHECK(human_size(1400000, de) == "1,4 MB");
  CHECK(human_size(1400000, fr) == "1,4 Mo");
  CHECK(human_size(980, fr) == "980 o");
  int64_t april_first = 1775001600000;  // 2026-04-01T00:00:00Z
  CHECK(date_text(april_first, en) == "2026-04-01");
  CHECK(date_text(april_first, de) == "01.04.2026");
  CHECK(date_text(april_first, fr) == "01/04/2026");
  CHECK(expiry_text(90 * 60000, 0, de) == "Läuft in 1 Std. 30 Min. ab");
  CHECK(expiry_text(90 * 60000, 0, fr) == "Expire dans 1 h 30 min");
  CHECK(wait_text(42, de) == "Bitte in 42 Sekunden erneut versuchen.");
  CHECK(wait_text(1, fr) == "Réessayez dans 1 seconde.");
}

TEST_CASE("a portal configured for German speaks German, down to the server's refusals") {
  State s;
  update(s, Started{{"", "", "de-DE"}, std::nullopt, "", "", 1790000000000});
  update(s, EmailEdited{"kein-email"});
  update(s, SubmitEmail{});
  CHECK(status_line(s) == "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.com.");
  update(s, EmailEdited{"a@example.com"});
  auto sent = update(s, SubmitEmail{});
  auto cmd = std::get<HttpCommand>(sent.at(0));
  CHECK(cmd.request.body.find("\"language\":\"de\"") != std::string::npos);  // so the code mail is German
  update(s, HttpDone{RequestKind::SendCode, 0, response(202, "{}"), cmd.epoch});
  CHECK(status_line(s) == "Wir haben einen 6-stelligen Code an a@example.com gesendet. Er gilt 10 Minuten.");
  update(s, CodeEdited{"123456"});
  update(s, SubmitCode{});
  update(s, HttpDone{RequestKind::Verify, 0,
                     response(401, R"({"error":"That code is not right. 2 tries left.","triesLeft":2})"),
                     cmd.epoch});
  CHECK(status_line(s) == "Der Code ist nicht richtig. Noch 2 Versuche.");
  update(s, SubmitCode{});
  update(s, HttpDone{RequestKind::Verify, 0, offline(), cmd.epoch});
  CHECK(status_line(s) ==
        "Der Server ist nicht erreichbar. Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es "
        "erneut.");
  // After sign-out the language stays.
  update(s, SignOut{});
  CHECK(status_line(s) == "Sie sind abgemeldet.");
}
