// Outgoing mail: a message with a plain-text and an HTML body, and the Mailer interface with two
// real implementations: the dev outbox (mail_outbox) and SMTP through libcurl (mail_smtp).
#pragma once
#include <memory>
#include <string>

namespace continuata::server {

struct MailMessage {
  std::string to, subject, text, html;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Queues or sends the message. Never throws for delivery problems: they are logged, because a
  // customer's request must get the same answer whether or not the relay is up.
  virtual void send(const MailMessage& message) = 0;
  virtual const char* name() const = 0;
};

}  // namespace continuata::server
