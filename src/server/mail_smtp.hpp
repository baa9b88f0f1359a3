// SMTP delivery through libcurl to a relay configured by environment:
//   CONTINUATA_SMTP_URL       smtp://relay.example:587 (or smtps://relay.example:465)
//   CONTINUATA_SMTP_USER, CONTINUATA_SMTP_PASSWORD   optional AUTH
//   CONTINUATA_SMTP_FROM      the From address, e.g. "Continuata <no-reply@example.com>"
//   CONTINUATA_SMTP_STARTTLS  "required" (refuse plain text), "off", or "try" (default)
// Messages go out on a worker thread so a slow relay never slows (or reveals anything through)
// the request that asked for the mail.
#pragma once
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "server/mail_mailer.hpp"

namespace continuata::server {

struct SmtpConfig {
  std::string url, user, password, from;
  std::string starttls = "try";
  // From the CONTINUATA_SMTP_* environment; nullopt when CONTINUATA_SMTP_URL is unset.
  static std::optional<SmtpConfig> from_environment();
};

// The full RFC 5322 message (multipart/alternative: text/plain, text/html), CRLF line ends.
std::string render_mime_message(const SmtpConfig& cfg, const MailMessage& m, const std::string& message_id,
                                const std::string& date);

// Sends one message now (blocking). Returns "" on success, else curl's error text.
std::string smtp_send_now(const SmtpConfig& cfg, const MailMessage& m);

class SmtpMailer : public Mailer {
 public:
  explicit SmtpMailer(SmtpConfig cfg);
  ~SmtpMailer() override;  // delivers what is queued, then stops
  void send(const MailMessage& message) override;
  const char* name() const override { return "smtp"; }

 private:
  void run();
  SmtpConfig cfg_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<MailMessage> queue_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace continuata::server
