// The portal's real Dear ImGui views, drawn natively by the headless runner
// (src/platform/platform_runner_headless.hpp) with fake services: each screen's semantics
// (roles, names, states), what an accessibility action dispatches, and that an unchanged frame
// publishes nothing.
#include <doctest/doctest.h>

#include "portal_test_support.hpp"

using namespace portal_test;

TEST_CASE("the email screen: heading, a focused email field, an enabled Send code, the brand") {
  Portal p;
  const auto& sem = p.frame();
  CHECK(node(sem, "brand", "text").name == "Continuata downloads");
  const auto& title = node(sem, "title", "heading");
  CHECK(title.name == "Get your downloads");
  CHECK(title.level == 1);
  const auto& email = node(sem, "email", "textbox");
  CHECK(email.name == "Email address");
  CHECK(email.kind == "email");
  CHECK(email.focused);  // a new screen's field takes the browser's focus
  CHECK(email.w > 0);
  CHECK(email.h > 0);
  const auto& send = node(sem, "send", "button");
  CHECK(send.name == "Send code");
  CHECK(!send.disabled);
  CHECK(send.y > email.y);  // laid out below the field, in Tab order after it
  CHECK(find(sem, "status") == nullptr);
  CHECK(p.services.requests.empty());
  CHECK(p.runner.reported_content_height() > send.y + send.h);
  CHECK(p.runner.reported_content_height() < 900);
}

TEST_CASE("the seller's name replaces the portal's, and its logo is asked for") {
  portal::PageConfig config = page();
  config.options.name = "Audio Company";
  config.options.logo = "https://shop.example/logo.png";
  Portal p(config);
  CHECK(node(p.frame(), "brand", "text").name == "Audio Company");
  CHECK(p.services.images == std::vector<std::string>{"https://shop.example/logo.png"});
}

TEST_CASE("accessibility actions dispatch their events at once, without waiting for a frame") {
  Portal p;
  p.frame();
  p.act("setValue", "email", "demo@example.com");
  CHECK(p.state().email == "demo@example.com");
  p.act("activate", "send");
  // The request went out from the action itself: no frame was drawn in between.
  REQUIRE(p.services.requests.size() == 1);
  CHECK(p.services.requests[0].request.method == "POST");
  CHECK(p.services.requests[0].request.url == "https://api.example/api/portal/verification");
  CHECK(json::parse(p.services.requests[0].request.body) ==
        json({{"email", "demo@example.com"}, {"org", "audio-company"}, {"language", "en"}}));
  // A second click before the next frame is the same click (as on the canvas).
  p.act("activate", "send");
  CHECK(p.services.requests.size() == 1);

  const auto& sem = p.frame();
  const auto& send = node(sem, "send", "button");
  CHECK(send.disabled);  // in flight
  CHECK(send.name == "Send code");
  // A disabled button's element has no event.
  p.act("activate", "send");
  CHECK(p.services.requests.size() == 1);
  // Focus follows the page's element, and the views draw it.
  p.act("focus", "send");
  CHECK(node(p.frame(), "send", "button").focused);
  CHECK(!node(p.runner.app().semantics(), "email", "textbox").focused);
  p.act("blur", "send");
  CHECK(!node(p.frame(), "send", "button").focused);
  // Widgets this screen does not have do nothing.
  p.act("activate", "sign-out");
  p.act("setValue", "search", "x");
  CHECK(p.state().search.empty());
  CHECK(p.state().screen == core::Screen::Email);
}

TEST_CASE("the action table holds each widget's event as last drawn") {
  Portal p;
  p.frame();
  const portal::ActionTable& table = p.runner.app().actions();
  auto event_of = [&table](const char* id, portal::ActionKind kind, const std::string& value = "") {
    std::optional<core::Event> found;
    table.with_event(id, kind, value, [&found](const core::Event& e) { found = e; });
    return found;
  };
  auto send = event_of("send", portal::ActionKind::Activate);
  REQUIRE(send);
  CHECK(std::holds_alternative<core::SubmitEmail>(*send));
  auto submit = event_of("email", portal::ActionKind::Submit);
  REQUIRE(submit);
  CHECK(std::holds_alternative<core::SubmitEmail>(*submit));
  auto typed = event_of("email", portal::ActionKind::SetValue, "x@y.z");
  REQUIRE(typed);
  CHECK(std::get<core::EmailEdited>(*typed).text == "x@y.z");
  CHECK(!event_of("email", portal::ActionKind::Cancel));
  CHECK(!event_of("send", portal::ActionKind::SetValue, "x"));
}

TEST_CASE("the code screen: field, Verify, Resend waiting out its cooldown, Use a different email") {
  Portal p;
  p.frame();
  p.act("setValue", "email", "demo@example.com");
  p.act("submit", "email", "demo@example.com");
  p.services.answer("/api/portal/verification", 202, {{"status", "sent"}});
  const auto& sem = p.frame();  // the answer is dispatched, and the new screen drawn
  CHECK(p.state().screen == core::Screen::Code);
  CHECK(node(sem, "title", "heading").name == "Check your email");
  const auto& code = node(sem, "code", "textbox");
  CHECK(code.name == "Verification code");
  CHECK(code.kind == "code");
  CHECK(code.focused);
  CHECK(!node(sem, "verify", "button").disabled);
  const auto& resend = node(sem, "resend", "button");
  CHECK(resend.name == "Resend code");
  CHECK(resend.disabled);
  CHECK(node(sem, "other-email", "button").name == "Use a different email");
  // Where the code went is said once: the intro, which is the live region while it is the news.
  CHECK(node(sem, "intro", "status").name ==
        "We sent a 6-digit code to demo@example.com. Enter it below, or open the link in the email. "
        "It works for 10 minutes.");
  CHECK(find(sem, "status") == nullptr);
  int saying = 0;
  for (const auto& n : sem) saying += n.name.find("6-digit code") != std::string::npos;
  CHECK(saying == 1);
  CHECK(find(sem, "email") == nullptr);

  // The cooldown passes: Resend is enabled once the clock has moved on.
  p.services.now += double(core::kResendCooldownMs) + 1000;
  CHECK(!node(p.settle(), "resend", "button").disabled);

  // A short code is refused in plain words before anything is sent.
  p.act("setValue", "code", "12345");
  p.act("submit", "code", "12345");
  CHECK(p.services.requests.empty());
  CHECK(node(p.frame(), "status", "alert").name == "The code is the 6 digits from the email.");

  // Escape in the code field goes back to the email screen at once.
  p.act("cancel", "code");
  CHECK(p.state().screen == core::Screen::Email);
  CHECK(node(p.frame(), "email", "textbox").value == "demo@example.com");
}

TEST_CASE("the library: rows with their place in the list, links got, copied and opened") {
  Portal p;
  sign_in(p, 3);
  CHECK(p.services.storage.count("continuata.session") == 1);
  const auto& sem = p.runner.app().semantics();
  CHECK(p.state().screen == core::Screen::Library);
  CHECK(node(sem, "title", "heading").name == "Your purchases");
  CHECK(node(sem, "sign-out", "button").name == "Sign out");
  CHECK(node(sem, "search", "textbox").kind == "search");
  CHECK(node(sem, "sort-date", "radio").name == "Sort by date");
  CHECK(node(sem, "sort-date", "radio").checked);
  CHECK(node(sem, "sort-date", "radio").parent == "sort");
  CHECK(node(sem, "sort", "radiogroup").name == "Sort");
  CHECK(!node(sem, "sort-name", "radio").checked);
  CHECK(node(sem, "count", "status").name == "3 purchases.");  // once: not again in the status line
  CHECK(find(sem, "status") == nullptr);
  CHECK(node(sem, "purchases", "list").name == "Your purchases");
  REQUIRE(count_role(sem, "listitem") == 3);
  const auto& row = node(sem, "row-1", "listitem");
  CHECK(row.name == "Synth Pack 1");
  CHECK(node(sem, "name-1", "heading").name == "Synth Pack 1");
  CHECK(node(sem, "name-1", "heading").level == 2);
  CHECK(node(sem, "details-1", "text").name.find("Version 1.1.0  ·  Bought ") == 0);
  CHECK(node(sem, "files-1", "text").name == "pack.zip  ·  1.4 MB");
  CHECK(row.parent == "purchases");
  CHECK(row.position == 1);
  CHECK(row.set_size == 3);
  CHECK(node(sem, "row-3", "listitem").position == 3);
  CHECK(node(sem, "update-1", "text").name == "You bought 1.0.0 · 1.1.0 is the latest");
  CHECK(node(sem, "update-1", "text").parent == "row-1");
  const auto& get = node(sem, "get-1", "button");
  CHECK(get.name == "Get download link, Synth Pack 1");
  CHECK(get.parent == "row-1");
  CHECK(!get.disabled);
  // Every row laid out would need more than the window: the embedding page is told so.
  CHECK(p.runner.reported_content_height() > row.h * 3);

  p.act("activate", "get-1");
  REQUIRE(p.services.requests.size() == 1);
  CHECK(p.services.requests[0].request.url == "https://api.example/api/portal/download-url");
  CHECK(node(p.frame(), "get-1", "button").disabled);
  p.services.answer("/api/portal/download-url", 200, link_json(1));
  const auto& ready = p.settle();
  const auto& link = node(ready, "download-1", "link");
  CHECK(link.name == "Download, Synth Pack 1");
  CHECK(link.value == "https://api.example/download?token=x");
  CHECK(node(ready, "copy-1", "button").name == "Copy link, Synth Pack 1");
  CHECK(node(ready, "expiry-1", "text").name.find("Expires in") != std::string::npos);
  CHECK(find(ready, "get-1") == nullptr);
  CHECK(node(ready, "get-2", "button").name == "Get download link, Synth Pack 2");

  p.act("activate", "copy-1");
  CHECK(p.services.copied == std::vector<std::string>{"https://api.example/download?token=x"});
  // Said at the row (a live region there), not in the status line above the list.
  const auto& copied = p.settle();
  CHECK(node(copied, "note-1", "status").name == "Link copied");
  CHECK(node(copied, "note-1", "status").parent == "row-1");
  CHECK(find(copied, "status") == nullptr);

  // Search narrows the rows; Escape clears it.
  p.act("setValue", "search", "Pack 2");
  const auto& searched = p.frame();
  CHECK(count_role(searched, "listitem") == 1);
  CHECK(node(searched, "row-2", "listitem").set_size == 1);
  CHECK(node(searched, "search", "textbox").value == "Pack 2");
  p.act("cancel", "search");
  CHECK(count_role(p.frame(), "listitem") == 3);

  // Sorting by name from the sort button's element; another button at once is another press.
  p.act("activate", "sort-name");
  CHECK(p.state().sort == core::SortOrder::Name);
  p.act("activate", "sort-date");
  CHECK(p.state().sort == core::SortOrder::Newest);

  p.act("activate", "sign-out");
  CHECK(p.state().screen == core::Screen::Email);
  CHECK(p.services.storage.count("continuata.session") == 0);
  CHECK(node(p.frame(), "email", "textbox").focused);
}

TEST_CASE("errors: an unreachable server and a rate limit are alerts in plain words") {
  Portal p;
  p.frame();
  p.act("setValue", "email", "demo@example.com");
  p.act("activate", "send");
  p.services.fail(core::TransportFailure::Offline);
  const auto& offline = p.settle();
  CHECK(node(offline, "status", "alert").name ==
        "Can't reach the server. Check your internet connection and try again.");
  CHECK(!node(offline, "send", "button").disabled);

  p.act("activate", "send");
  p.services.answer("/api/portal/verification", 429, {{"error", "Too many requests"}}, "30");
  const auto& limited = p.settle();
  const auto& alert = node(limited, "status", "alert");
  CHECK(alert.name.find("Too many requests.") == 0);
  CHECK(node(limited, "send", "button").disabled);  // until the wait is over
  CHECK(p.runner.app().next_wakeup_ms() <= p.services.now + 1000);
}

TEST_CASE("loading: a saved session opens on the library, loading its purchases") {
  std::map<std::string, std::string> storage;
  {
    Portal first;
    sign_in(first, 2);
    storage = first.services.storage;
  }
  REQUIRE(storage.count("continuata.session") == 1);
  Portal p(page(), storage);
  REQUIRE(p.services.requests.size() == 1);
  CHECK(p.services.requests[0].request.url.find("/api/portal/purchases") != std::string::npos);
  const auto& loading = p.frame();
  CHECK(p.state().screen == core::Screen::Library);
  CHECK(node(loading, "status", "status").name == "Loading your purchases…");
  CHECK(count_role(loading, "listitem") == 0);
  p.services.answer("/api/portal/purchases", 200, purchases_json(2));
  CHECK(count_role(p.settle(), "listitem") == 2);
}

TEST_CASE("the magic link signs in by itself and leaves the address bar") {
  portal::PageConfig config = page();
  config.link_email = "demo@example.com";
  config.link_code = "123456";
  Portal p(config);
  REQUIRE(p.services.requests.size() == 1);
  CHECK(p.services.requests[0].request.url == "https://api.example/api/portal/session");
  CHECK(node(p.frame(), "status", "status").name == "Checking the code…");
  p.services.answer("/api/portal/session", 200, session_json());
  p.settle();
  CHECK(p.services.cleared_url == 1);
  p.services.answer("/api/portal/purchases", 200, purchases_json(1));
  CHECK(count_role(p.settle(), "listitem") == 1);
}

TEST_CASE("semantics are published only in frames that changed them") {
  Portal p;
  p.frame();
  CHECK(p.runner.semantics_publications() == 1);
  // The new screen's field asks for the focus in its first frame only (the page's element then
  // has it, and says so with a focus action).
  p.frame();
  int published = p.runner.semantics_publications();
  CHECK(published == 2);
  uint64_t generation = p.runner.app().semantics_generation();
  std::string json_text = p.runner.published_semantics();
  auto parsed = json::parse(json_text);
  REQUIRE(parsed.is_array());
  CHECK(parsed.size() == p.runner.app().semantics().size());
  for (int i = 0; i < 5; ++i) p.frame();
  CHECK(p.runner.semantics_publications() == published);
  CHECK(p.runner.app().semantics_generation() == generation);
  p.act("setValue", "email", "a");
  p.frame();
  CHECK(p.runner.semantics_publications() == published + 1);
  bool found = false;
  for (const auto& n : json::parse(p.runner.published_semantics()))
    if (n["id"] == "email") found = n["value"] == "a";
  CHECK(found);
}

TEST_CASE("German from the page's lang, English from an unknown one") {
  portal::PageConfig config = page();
  config.options.lang = "de";
  Portal german(config);
  CHECK(node(german.frame(), "email", "textbox").name != "Email address");
  config.options.lang = "";
  config.browser_language = "xx";
  Portal fallback(config);
  CHECK(node(fallback.frame(), "email", "textbox").name == "Email address");
}

TEST_CASE("the page's language and title follow the UI's") {
  portal::PageConfig config = page();
  config.options.lang = "de";
  Portal p(config);
  const auto& doc = node(p.frame(), "document", "document");
  CHECK(doc.value == "de");
  CHECK(doc.name.find("Continuata") != std::string::npos);
  CHECK(doc.name.find("Get your downloads") == std::string::npos);
}

TEST_CASE("every purchase is in the page's tree: the row catalogue, built only when the list changes") {
  Portal p;
  p.runner.set_size(800, 600);
  sign_in(p, 14);
  int drawn = count_role(p.runner.app().semantics(), "listitem");
  CHECK(drawn < 14);  // the drawing stays virtualised
  auto rows = json::parse(p.runner.published_rows());
  REQUIRE(rows.size() == 14);
  CHECK(rows[13]["heading"] == "Synth Pack 14");
  CHECK(rows[13]["position"] == 14);
  CHECK(rows[13]["setSize"] == 14);
  REQUIRE(rows[13]["controls"].size() == 2);  // and the download history's toggle, last
  CHECK(rows[13]["controls"][1]["id"] == "history-14");
  CHECK(rows[13]["controls"][0]["id"] == "get-14");
  CHECK(rows[13]["controls"][0]["role"] == "button");
  CHECK(rows[13]["controls"][0]["name"] == "Get download link, Synth Pack 14");
  CHECK(rows[13]["details"].get<std::string>().find("Order order-1013") != std::string::npos);
  CHECK(rows[13]["details"].get<std::string>().find("pack.zip") != std::string::npos);
  int publications = p.runner.rows_publications();
  for (int i = 0; i < 3; ++i) p.frame();
  CHECK(p.runner.rows_publications() == publications);

  // Tab reaches a row's control off screen: the row is scrolled in and drawn, focus kept.
  p.act("focus", "get-14");
  const auto& sem = p.settle();
  const auto& get = node(sem, "get-14", "button");
  CHECK(get.focused);
  const auto& list = node(sem, "purchases", "list");
  CHECK(get.y >= list.y);
  CHECK(get.y + get.h <= list.y + list.h + 0.5f);
  CHECK(p.runner.rows_publications() == publications);  // scrolling does not rebuild it

  // Activated from its element, the link is got; the focus moves on to the Download link.
  p.act("activate", "get-14");
  p.services.answer("/api/portal/download-url", 200,
                    {{"success", true},
                     {"productId", "product-13"},
                     {"version", "1.0.0"},
                     {"downloadToken", "x"},
                     {"downloadUrl", "https://api.example/download?token=x"},
                     {"expiresAt", core::format_iso8601_utc(T0 + 86400000)}});
  const auto& ready = p.settle();
  CHECK(node(ready, "download-14", "link").focused);
  // Every control of the row is in the catalogue, named with the product: Download, Copy link and
  // the download history.
  json controls = json::parse(p.runner.published_rows())[13]["controls"];
  REQUIRE(controls.size() == 3);
  CHECK(controls[0]["id"] == "download-14");
  CHECK(controls[0]["role"] == "link");
  CHECK(controls[0]["name"] == "Download, Synth Pack 14");
  CHECK(controls[0]["href"] == "https://api.example/download?token=x");
  CHECK(controls[1]["id"] == "copy-14");
  CHECK(controls[1]["name"] == "Copy link, Synth Pack 14");
  // The feedback is at the row it is about.
  const core::SemanticNode* note = find(ready, "note-14");
  REQUIRE(note != nullptr);
  CHECK(note->parent == "row-14");
  CHECK(note->role == "status");

  // A control of a row not drawn acts from its id alone: Get download link, then Copy link.
  p.act("activate", "get-1");
  REQUIRE(p.services.requests.size() == 1);
  p.services.answer("/api/portal/download-url", 200, link_json(1, "one"));
  p.settle();
  REQUIRE(find(p.runner.app().semantics(), "copy-1") == nullptr);  // row 1 is not drawn now
  p.act("activate", "copy-1");
  CHECK(p.services.copied == std::vector<std::string>{"https://api.example/download?token=one"});

  p.act("activate", "sign-out");
  p.frame();
  CHECK(p.runner.published_rows() == "[]");
}

TEST_CASE("a multi-file purchase opens into its files: sizes, checksums, a download each") {
  Portal p;
  json list = purchases_json(1);
  list["purchases"][0]["files"] = json::array();
  for (int i = 0; i < 12; ++i)
    list["purchases"][0]["files"].push_back({{"path", "part " + std::to_string(i + 1) + ".wav"},
                                             {"size", 2500000},
                                             {"sha256", std::string(64, 'b')}});
  const auto& closed = sign_in_with(p, list);
  const auto& toggle = node(closed, "files-1", "button");
  CHECK(toggle.value == "collapsed");
  // The catalogue has the toggle before the row's Get download link, and follows its state.
  json controls = json::parse(p.runner.published_rows())[0]["controls"];
  REQUIRE(controls.size() == 3);
  CHECK(controls[0]["id"] == "files-1");
  CHECK(controls[0]["value"] == "collapsed");
  CHECK(controls[0]["name"] == toggle.name);
  CHECK(controls[1]["id"] == "get-1");
  CHECK(toggle.name.find("Synth Pack 1") != std::string::npos);
  CHECK(find(closed, "file-1-0") == nullptr);
  p.act("activate", "files-1");
  const auto& open = p.settle();
  CHECK(node(open, "files-1", "button").value == "expanded");
  CHECK(json::parse(p.runner.published_rows())[0]["controls"][0]["value"] == "expanded");
  CHECK(node(open, "file-1-11", "text").name == "part 12.wav  ·  2.5 MB");
  const auto& sum = node(open, "sum-1-0", "button");
  CHECK(sum.name.find("SHA-256 bbbbbbbbbbbb…") == 0);
  CHECK(find(open, "file-get-1-0") == nullptr);  // no link yet
  p.act("activate", "sum-1-0");
  CHECK(node(p.settle(), "sum-1-0", "text").name == "SHA-256 " + std::string(64, 'b'));
  p.act("activate", "get-1");
  p.services.answer("/api/portal/download-url", 200, link_json(1));
  const auto& ready = p.settle();
  const auto& file = node(ready, "file-get-1-3", "link");
  CHECK(file.name == "Download, part 4.wav");
  CHECK(file.value == "https://api.example/download?token=x&file=part%204.wav");
}
