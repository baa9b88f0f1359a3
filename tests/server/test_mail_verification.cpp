// mail_verification: the code and the magic link in both parts, the org's name escaped in HTML,
// the portal's colours.
#include <doctest/doctest.h>

#include "core/core_theme.hpp"
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
  // In the portal's colours (assets/theme.json), not colours of its own.
  auto palette = continuata::core::make_palette({}, false);
  CHECK(m.html.find("color:" + continuata::core::css_hex(palette.text)) != std::string::npos);
  CHECK(m.html.find("color:" + continuata::core::css_hex(palette.accent_text)) != std::string::npos);
}
