// SMTP delivery against a real SMTP server on loopback (python3-aiosmtpd): the message that
// arrives has the right envelope, headers, and the code and magic link in both the plain-text and
// the HTML part, whether sent directly or by the server's verification endpoint.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "server/mail_smtp.hpp"
#include "server/mail_verification.hpp"
#include "server/server_fixture.hpp"
#include "server/smtp_sink.hpp"
#include "server/store_portal.hpp"

using continuata::testing::part;
using continuata::testing::SmtpEnvironment;
using continuata::testing::SmtpSink;

using namespace continuata::server;

TEST_CASE("a verification message sent by SMTP arrives whole at a real SMTP server") {
  SmtpSink sink;
  SmtpConfig cfg;
  cfg.url = "smtp://127.0.0.1:" + std::to_string(sink.port());
  cfg.from = "Audio Company <no-reply@shop.example>";
  cfg.starttls = "off";
  auto msg =
      verification_message("buyer@example.com", "123456",
                           "https://shop.example/my?email=buyer%40example.com&code=123456", "Audio Company");
  CHECK(smtp_send_now(cfg, msg) == "");
  std::string envelope;
  std::string mime = sink.message(1, &envelope);
  CHECK(envelope == "no-reply@shop.example\nbuyer@example.com\n");
  CHECK(mime.find("From: Audio Company <no-reply@shop.example>\r\n") != std::string::npos);
  CHECK(mime.find("To: buyer@example.com\r\n") != std::string::npos);
  CHECK(mime.find("Subject: Your Audio Company download code: 123456\r\n") != std::string::npos);
  CHECK(mime.find("multipart/alternative") != std::string::npos);
  std::string text = part(mime, "text/plain"), html = part(mime, "text/html");
  CHECK(text.find("123456") != std::string::npos);
  CHECK(text.find("https://shop.example/my?email=buyer%40example.com&code=123456") != std::string::npos);
  CHECK(html.find("123456") != std::string::npos);
  CHECK(html.find("href=\"https://shop.example/my?email=buyer%40example.com&amp;code=123456\"") !=
        std::string::npos);
}

TEST_CASE("an unreachable relay is an error value, not a crash") {
  SmtpConfig cfg;
  cfg.url = "smtp://127.0.0.1:1";
  cfg.from = "no-reply@shop.example";
  cfg.starttls = "off";
  CHECK(smtp_send_now(cfg, verification_message("a@example.com", "111111", "http://x/my", "X")) != "");
}

TEST_CASE("the server sends the verification code through the configured SMTP relay") {
  SmtpSink sink;
  std::string url = "smtp://127.0.0.1:" + std::to_string(sink.port());
  SmtpEnvironment env(url);
  {
    continuata::testing::TestServer s;  // neither --demo nor --dev: real delivery
    auto res =
        s.client().Post("/api/portal/verification", R"({"email":"Buyer@Example.com"})", "application/json");
    REQUIRE(res);
    CHECK(res->status == 202);
    std::string mime = sink.message(1);
    CHECK(mime.find("To: buyer@example.com\r\n") != std::string::npos);
    std::smatch m;
    std::string text = part(mime, "text/plain");
    REQUIRE(std::regex_search(text, m, std::regex(R"(\b(\d{6})\b)")));
    CHECK(text.find("/my?email=buyer%40example.com&code=" + m[1].str()) != std::string::npos);
    // No dev outbox without --demo/--dev.
    auto outbox = s.client().Get("/api/dev/outbox?to=buyer@example.com");
    REQUIRE(outbox);
    CHECK(outbox->status == 404);
  }
}

TEST_CASE("accepted mail is queued durably: an unreachable relay keeps it, a restart delivers it") {
  continuata::testing::SharedStore store;  // the restart finds the same queue
  continuata::server::ServerConfig cfg = store.config();
  SmtpEnvironment env("smtp://127.0.0.1:1");  // nothing listens there
  {
    continuata::testing::TestServer s(cfg);
    auto res =
        s.client().Post("/api/portal/verification", R"({"email":"later@example.com"})", "application/json");
    REQUIRE(res);
    CHECK(res->status == 202);
    auto& db = s.app().context().db->connection();
    CHECK(continuata::server::store::pending_mail_count(db) == 1);  // on disk before the 202
  }
  SmtpSink sink;
  std::string url = "smtp://127.0.0.1:" + std::to_string(sink.port());
  env.relay(url);
  {
    // The first attempt failed and was put off; a restart with a working relay sends it once due.
    continuata::testing::TestServer s(cfg);
    auto& ctx = s.app().context();
    int64_t later = ctx.now_ms() + 10 * 60 * 1000;
    ctx.now_ms = [later] { return later; };
    std::string mime = sink.message(1);
    CHECK(mime.find("To: later@example.com\r\n") != std::string::npos);
  }
}

TEST_CASE("STARTTLS is required unless the operator turns it down; CR/LF never reach a header") {
  ::unsetenv("CONTINUATA_SMTP_STARTTLS");
  ::setenv("CONTINUATA_SMTP_URL", "smtp://relay.example:587", 1);
  auto cfg = SmtpConfig::from_environment();
  REQUIRE(cfg);
  CHECK(cfg->starttls == "required");
  ::unsetenv("CONTINUATA_SMTP_URL");
  continuata::server::MailMessage m{"a@example.com", "Code\r\nBcc: all@example.com", "t", "<p>h</p>", {}};
  std::string mime = render_mime_message(*cfg, m, "id@x", "Tue, 01 Dec 2026 07:00:00 +0000");
  CHECK(mime.find("\r\nBcc:") == std::string::npos);
  CHECK(mime.find("Subject: Code  Bcc: all@example.com\r\n") != std::string::npos);
}

// The one duplicate an at-least-once queue can make: the relay accepted a message, and the
// instance died before marking its row sent. The copy sent again has the same Message-ID, so the
// mailbox sees one message; another message has its own.
TEST_CASE("a queued message sent again carries the same Message-ID; another message has its own") {
  SmtpSink sink;
  std::string url = "smtp://127.0.0.1:" + std::to_string(sink.port());
  SmtpEnvironment env(url);
  auto message_id = [](const std::string& mime) {
    std::smatch m;
    REQUIRE(std::regex_search(mime, m, std::regex("\r\nMessage-ID: <([^>\r\n]+)>\r\n")));
    return m[1].str();
  };
  {
    continuata::testing::TestServer s;
    auto& ctx = s.app().context();
    REQUIRE(s.client()
                .Post("/api/portal/verification", R"({"email":"again@example.com"})", "application/json")
                ->status == 202);
    std::string first = message_id(sink.message(1));
    CHECK(first.find("@continuata.test") != std::string::npos);
    // As if the instance had died after the relay's 250: the row is not marked sent. (The
    // worker marks it once the relay has answered, after the sink has the message: wait for it.)
    auto& db = ctx.db->connection();
    for (int i = 0; i < 1000 && store::pending_mail_count(db) > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(store::pending_mail_count(db) == 0);
    db.prepare("UPDATE mail_queue SET sent_at = NULL").run();
    int64_t later = ctx.now_ms() + 5 * 60 * 1000;  // past the claim's two-minute lease
    ctx.now_ms = [later] { return later; };
    CHECK(message_id(sink.message(2)) == first);
    REQUIRE(s.client()
                .Post("/api/portal/verification", R"({"email":"other@example.com"})", "application/json")
                ->status == 202);
    CHECK(message_id(sink.message(3)) != first);
  }
}
