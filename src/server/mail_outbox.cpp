// The dev outbox: each message stored synchronously (tests read it right after the 202) and
// logged as one JSON line, and read back for /api/dev/outbox.
#include "server/mail_outbox.hpp"

#include <cstdio>

#include "core/core_api.hpp"
#include "core/core_time.hpp"
#include "server/api_error.hpp"
#include "server/store_portal.hpp"

namespace continuata::server {

void OutboxMailer::send(const MailMessage& m) {
  store::insert_outbox(db_.connection(), store::OutboxMessage{m.to, m.subject, m.text, m.html, now_ms_()});
  nlohmann::json line = {{"mail", "outbox"}, {"to", m.to}, {"subject", m.subject}, {"text", m.text}};
  std::fprintf(stdout, "%s\n", line.dump().c_str());
  std::fflush(stdout);
}

nlohmann::json dev_outbox(Database& db, const std::string& to) {
  if (to.empty()) throw ApiError(400, "\"to\" is required: /api/dev/outbox?to=EMAIL");
  nlohmann::json out = nlohmann::json::array();
  for (auto& m : store::outbox_for(db.connection(), core::normalise_email(to), 20))
    out.push_back({{"to", m.to},
                   {"subject", m.subject},
                   {"text", m.text},
                   {"html", m.html},
                   {"sentAt", core::format_iso8601_utc(m.created_at)}});
  return out;
}

}  // namespace continuata::server
