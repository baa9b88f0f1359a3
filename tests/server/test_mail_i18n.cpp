// The language of mail and of the pages mail links to: a tag's catalogue (mail_language) and the
// best supported language of an Accept-Language header (accepted_mail_language, RFC 9110 12.5.4).
#include <doctest/doctest.h>

#include "server/mail_i18n.hpp"

namespace srv = continuata::server;

TEST_CASE("mail language: a tag's primary subtag picks the catalogue, English for the unknown") {
  CHECK(srv::mail_language("de-AT") == "de");
  CHECK(srv::mail_language("FR_ca") == "fr");
  CHECK(srv::mail_language("pt-BR") == "en");
  CHECK(srv::mail_language("") == "en");
  CHECK(srv::mail_text("de").lang() == "de");
}

TEST_CASE("mail language: Accept-Language gives the supported language of the highest q") {
  CHECK(srv::accepted_mail_language("") == "en");  // no header
  CHECK(srv::accepted_mail_language("de") == "de");
  CHECK(srv::accepted_mail_language("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5") == "fr");
  CHECK(srv::accepted_mail_language("fr;q=0.5, de-AT, en;q=0.8") == "de");  // order is not rank
  CHECK(srv::accepted_mail_language("pt-BR, es;q=0.9, de;q=0.2") == "de");  // the unsupported skipped
  CHECK(srv::accepted_mail_language("pt-BR, es;q=0.9") == "en");
  CHECK(srv::accepted_mail_language("de;q=0, fr;q=0.1") == "fr");  // q=0: not acceptable
  CHECK(srv::accepted_mail_language("de;q=0") == "en");
  CHECK(srv::accepted_mail_language("*") == "en");
  CHECK(srv::accepted_mail_language("de;q=0.5, fr;q=0.5") == "de");  // the first among equals
  CHECK(srv::accepted_mail_language("  de-DE ;q=1 ,\tfr") == "de");  // spaces around
  // Malformed items are skipped, never thrown on.
  CHECK(srv::accepted_mail_language(",,;q=,de;q=x,fr;q=2,;,de;level=1") == "en");
  CHECK(srv::accepted_mail_language("\xff\xfe, fr") == "fr");
}
