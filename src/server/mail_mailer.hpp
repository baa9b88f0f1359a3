// Outgoing mail: a message with a plain-text and an HTML body (and any extra header lines, such
// as an update notice's List-Unsubscribe), and the Mailer interface with two real
// implementations: the dev outbox (mail_outbox) and SMTP through libcurl (mail_smtp).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace continuata::server {

class Db;

struct MailMessage {
  std::string to, subject, text, html;
  // Extra header lines, each name a token and each value one line (mail_headers checks both).
  std::vector<std::pair<std::string, std::string>> headers;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Queues or sends the message. Never throws for delivery problems: they are logged, because a
  // customer's request must get the same answer whether or not the relay is up.
  virtual void send(const MailMessage& message) = 0;
  // Accepts a bulk message (an update notice) inside the caller's open transaction on `db`, so
  // it is queued exactly when the caller's own rows commit. SMTP sends it at `slot_at` at the
  // earliest (the caller spaces slots to the configured rate); the dev outbox stores it at once.
  virtual void queue_bulk(Db& db, const MailMessage& message, int64_t slot_at) = 0;
  virtual const char* name() const = 0;
};

}  // namespace continuata::server
