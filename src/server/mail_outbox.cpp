// Stores each message synchronously (tests read it right after the 202) and logs one JSON line.
#include "server/mail_outbox.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "server/store_portal.hpp"

namespace continuata::server {

void OutboxMailer::send(const MailMessage& m) {
  store::insert_outbox(db_.connection(), store::OutboxMessage{m.to, m.subject, m.text, m.html, now_ms_()});
  nlohmann::json line = {{"mail", "outbox"}, {"to", m.to}, {"subject", m.subject}, {"text", m.text}};
  std::fprintf(stdout, "%s\n", line.dump().c_str());
  std::fflush(stdout);
}

}  // namespace continuata::server
