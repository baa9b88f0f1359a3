// SMTP delivery through libcurl to a relay configured by environment:
//   CONTINUATA_SMTP_URL       smtp://relay.example:587 (or smtps://relay.example:465)
//   CONTINUATA_SMTP_USER, CONTINUATA_SMTP_PASSWORD   optional AUTH
//   CONTINUATA_SMTP_FROM      the From address, e.g. "Continuata <no-reply@example.com>"
//   CONTINUATA_SMTP_STARTTLS  "required" (default: refuse to send in plain text), "try"
//                             (upgrade when offered, else plain: only for a relay on a trusted
//                             network), or "off"
// A message is accepted by a row in the mail_queue table (committed before the request that
// asked for it is answered) and sent by a worker thread, so a slow relay never slows (or reveals
// anything through) that request, and a restart picks up what was not yet sent. The queue is
// bounded: past kMaxQueuedMail unsent messages new ones are dropped and logged. Bulk messages
// (update notices) are due at their rate slot and not counted in that bound.
#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "server/mail_mailer.hpp"
#include "server/store_db.hpp"

namespace continuata::server {

struct SmtpConfig {
  std::string url, user, password, from;
  std::string starttls = "required";
  // From the CONTINUATA_SMTP_* environment; nullopt when CONTINUATA_SMTP_URL is unset.
  static std::optional<SmtpConfig> from_environment();
};

// The full RFC 5322 message (multipart/alternative: text/plain, text/html), CRLF line ends.
std::string render_mime_message(const SmtpConfig& cfg, const MailMessage& m, const std::string& message_id,
                                const std::string& date);

// Sends one message now (blocking). Returns "" on success, else curl's error text. The
// Message-ID is `id`@ the From address's domain, or a random one when `id` is empty.
std::string smtp_send_now(const SmtpConfig& cfg, const MailMessage& m, const std::string& id = "");

// The left part of a queued message's Message-ID: the same on every attempt, so a copy sent
// again (the relay accepted it, the instance died before marking the row sent) is the same
// message to the mailbox (RFC 5322 3.6.4), which may drop it. From the row's id, time and
// recipient: two rows never share it, nor rows of two databases in practice.
std::string queued_message_id(int64_t row_id, int64_t created_at, const std::string& to);

inline constexpr int64_t kMaxQueuedMail = 10000;
inline constexpr int kMailAttempts = 8;  // then the message is marked failed (about 2 hours of retries)

class SmtpMailer : public Mailer {
 public:
  SmtpMailer(SmtpConfig cfg, Database& db, std::function<int64_t()> now_ms);
  ~SmtpMailer() override;  // stops after the message being sent; the rest stays queued
  void send(const MailMessage& message) override;
  void queue_bulk(Db& db, const MailMessage& message, int64_t slot_at) override;
  const char* name() const override { return "smtp"; }

 private:
  void run();
  bool send_one_due();  // claims, sends and marks one due message; false when none was due
  SmtpConfig cfg_;
  Database& db_;
  std::function<int64_t()> now_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace continuata::server
