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
#include "server/store_portal.hpp"

namespace {

// Runs tests/server/smtp_sink.py; its stdin is our pipe, so closing it stops the server.
class SmtpSink {
 public:
  SmtpSink() {
    dir_ = std::filesystem::temp_directory_path() /
           ("continuata-smtp-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    int in[2], out[2];
    REQUIRE(::pipe(in) == 0);
    REQUIRE(::pipe(out) == 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::close(in[1]);
      ::close(out[0]);
      std::string script = std::string(CONTINUATA_SOURCE_DIR) + "/tests/server/smtp_sink.py";
      // Debian's python3, which has python3-aiosmtpd (a python3 earlier on PATH may not); argv[0] is
      // its path too, since Python finds its library from argv[0] through PATH when it has no slash.
      ::execl("/usr/bin/python3", "/usr/bin/python3", script.c_str(), dir_.c_str(), nullptr);
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    ::close(out[0]);
    REQUIRE_MESSAGE(line.rfind("PORT ", 0) == 0, "smtp_sink.py did not start: " << line);
    port_ = std::stoi(line.substr(5));
  }
  ~SmtpSink() {
    ::close(stdin_);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  int port() const { return port_; }
  // The n-th received message (1-based), waiting up to 10 s for it.
  std::string message(int n, std::string* envelope = nullptr) const {
    auto path = dir_ / (std::to_string(n) + ".eml");
    for (int i = 0; i < 1000 && !std::filesystem::exists(path); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (envelope) {
      std::ifstream env(dir_ / (std::to_string(n) + ".env"));
      std::stringstream es;
      es << env.rdbuf();
      *envelope = es.str();
    }
    return ss.str();
  }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int stdin_ = -1, port_ = 0;
};

// The body of the MIME part with this content type.
std::string part(const std::string& mime, const std::string& type) {
  auto at = mime.find("Content-Type: " + type);
  if (at == std::string::npos) return "";
  auto start = mime.find("\r\n\r\n", at) + 4;
  auto end = mime.find("\r\n--continuata-", start);
  return mime.substr(start, end - start);
}

}  // namespace

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
  ::setenv("CONTINUATA_SMTP_URL", url.c_str(), 1);
  ::setenv("CONTINUATA_SMTP_FROM", "Continuata <no-reply@continuata.test>", 1);
  ::setenv("CONTINUATA_SMTP_STARTTLS", "off", 1);
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
  ::unsetenv("CONTINUATA_SMTP_URL");
  ::unsetenv("CONTINUATA_SMTP_FROM");
  ::unsetenv("CONTINUATA_SMTP_STARTTLS");
}

TEST_CASE("accepted mail is queued durably: an unreachable relay keeps it, a restart delivers it") {
  continuata::testing::SharedStore store;  // the restart finds the same queue
  continuata::server::ServerConfig cfg = store.config();
  ::setenv("CONTINUATA_SMTP_FROM", "Continuata <no-reply@continuata.test>", 1);
  ::setenv("CONTINUATA_SMTP_STARTTLS", "off", 1);
  ::setenv("CONTINUATA_SMTP_URL", "smtp://127.0.0.1:1", 1);  // nothing listens there
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
  ::setenv("CONTINUATA_SMTP_URL", url.c_str(), 1);
  {
    // The first attempt failed and was put off; a restart with a working relay sends it once due.
    continuata::testing::TestServer s(cfg);
    auto& ctx = s.app().context();
    int64_t later = ctx.now_ms() + 10 * 60 * 1000;
    ctx.now_ms = [later] { return later; };
    std::string mime = sink.message(1);
    CHECK(mime.find("To: later@example.com\r\n") != std::string::npos);
  }
  ::unsetenv("CONTINUATA_SMTP_URL");
  ::unsetenv("CONTINUATA_SMTP_FROM");
  ::unsetenv("CONTINUATA_SMTP_STARTTLS");
}

TEST_CASE("STARTTLS is required unless the operator turns it down; CR/LF never reach a header") {
  ::unsetenv("CONTINUATA_SMTP_STARTTLS");
  ::setenv("CONTINUATA_SMTP_URL", "smtp://relay.example:587", 1);
  auto cfg = SmtpConfig::from_environment();
  REQUIRE(cfg);
  CHECK(cfg->starttls == "required");
  ::unsetenv("CONTINUATA_SMTP_URL");
  continuata::server::MailMessage m{"a@example.com", "Code\r\nBcc: all@example.com", "t", "<p>h</p>"};
  std::string mime = render_mime_message(*cfg, m, "id@x", "Tue, 01 Dec 2026 07:00:00 +0000");
  CHECK(mime.find("\r\nBcc:") == std::string::npos);
  CHECK(mime.find("Subject: Code  Bcc: all@example.com\r\n") != std::string::npos);
}
