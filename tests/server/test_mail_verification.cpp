// mail_verification: the code and the magic link in both parts, the org's name escaped in HTML.
#include <doctest/doctest.h>

#include "server/mail_verification.hpp"

TEST_CASE("the verification message carries the code and link, escaped where it is HTML") {
  auto m = continuata::server::verification_message(
      "buyer@example.com", "048213", "https://shop.example/my?email=buyer%40example.com&code=048213",
      "Tom & Jerry <Audio>");
  CHECK(m.to == "buyer@example.com");
  CHECK(m.subject == "Your Tom & Jerry <Audio> download code: 048213");
  CHECK(m.text.find("    048213\n") != std::string::npos);
  CHECK(m.text.find("https://shop.example/my?email=buyer%40example.com&code=048213") != std::string::npos);
  CHECK(m.html.find("Tom &amp; Jerry &lt;Audio&gt;") != std::string::npos);
  CHECK(m.html.find("<Audio>") == std::string::npos);
  CHECK(m.html.find("href=\"https://shop.example/my?email=buyer%40example.com&amp;code=048213\"") !=
        std::string::npos);
}
