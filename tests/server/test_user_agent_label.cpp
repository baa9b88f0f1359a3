// user_agent_label on real User-Agent headers of current browsers, tools and download managers.
#include <doctest/doctest.h>

#include "server/user_agent_label.hpp"

using continuata::server::user_agent_label;

TEST_CASE("browsers are named with their platform") {
  CHECK(user_agent_label("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0") ==
        "Firefox on Linux");
  CHECK(
      user_agent_label("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0") ==
      "Firefox on Windows");
  CHECK(user_agent_label("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/131.0.0.0 Mobile Safari/537.36") == "Chrome on Android");
  CHECK(user_agent_label("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 "
                         "(KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1") ==
        "Safari on iPhone");
  CHECK(user_agent_label("Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
                         "Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1") == "Chrome on iPad");
  CHECK(user_agent_label("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
                         "Gecko) Version/18.1 Safari/605.1.15") == "Safari on macOS");
  CHECK(user_agent_label("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0") == "Edge on Windows");
  CHECK(user_agent_label("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0") == "Opera on Linux");
  CHECK(user_agent_label("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36") ==
        "Samsung Internet on Android");
  CHECK(user_agent_label("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "Chrome/131.0.0.0 Safari/537.36") == "Chrome on ChromeOS");
  // Playwright's headless Chromium says what it is, like any Chrome.
  CHECK(user_agent_label("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                         "HeadlessChrome/131.0.0.0 Safari/537.36") == "Chrome on Linux");
  CHECK(user_agent_label("Mozilla/5.0 Firefox/128.0") == "Firefox");  // no platform said
}

TEST_CASE("tools and download managers by name, anything else Other") {
  CHECK(user_agent_label("curl/8.11.0") == "curl");
  CHECK(user_agent_label("Wget/1.21.3") == "Wget");
  CHECK(user_agent_label("aria2/1.37.0") == "aria2");
  CHECK(user_agent_label("JDownloader") == "Download manager");
  CHECK(user_agent_label("FDM 6.x") == "Download manager");
  CHECK(user_agent_label("Axel 2.17.11 (Linux)") == "Download manager");
  CHECK(user_agent_label("uGet/2.2") == "Download manager");
  CHECK(user_agent_label("") == "Other");
  CHECK(user_agent_label("python-requests/2.32.3") == "Other");
  CHECK(user_agent_label("Mozilla/5.0 (compatible; Googlebot/2.1)") == "Other");
  // Only a prefix names a tool: a browser header that mentions curl later is still the browser.
  CHECK(user_agent_label("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 curl/8") ==
        "Firefox on Linux");
}
