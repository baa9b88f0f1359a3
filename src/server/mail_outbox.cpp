// The dev outbox: each message stored synchronously (tests read it right after the 202) and
// logged as one JSON line, and read back for /api/dev/outbox.
#include "server/mail_outbox.hpp"

#include <cstdio>

#include "core/core_api.hpp"
#include "core/core_time.hpp"
#include "server/api_error.hpp"
#include "server/mail_headers.hpp"
#include "server/store_portal.hpp"

namespace continuata::server {

namespace {
store::OutboxMessage row_of(const MailMessage& m, int64_t now) {
  return store::OutboxMessage{m.to, m.subject, m.text, m.html, now, stored_headers(m.headers)};
}
}  // namespace

void OutboxMailer::send(const MailMessage& m) {
  store::insert_outbox(db_.connection(), row_of(m, now_ms_()));
  nlohmann::json line = {{"mail", "outbox"}, {"to", m.to}, {"subject", m.subject}, {"text", m.text}};
  std::fprintf(stdout, "%s\n", line.dump().c_str());
  std::fflush(stdout);
}

void OutboxMailer::queue_bulk(Db& db, const MailMessage& m, int64_t) {
  store::insert_outbox(db, row_of(m, now_ms_()));  // in the caller's transaction; logged by no one
}

nlohmann::json dev_outbox(Database& db, const std::string& to) {
  if (to.empty()) throw ApiError(400, "\"to\" is required: /api/dev/outbox?to=EMAIL");
  nlohmann::json out = nlohmann::json::array();
  for (auto& m : store::outbox_for(db.connection(), core::normalise_email(to), 20)) {
    nlohmann::json headers = nlohmann::json::object();
    for (auto& [name, value] : read_stored_headers(m.headers)) headers[name] = value;
    out.push_back({{"to", m.to},
                   {"subject", m.subject},
                   {"text", m.text},
                   {"html", m.html},
                   {"headers", headers},
                   {"sentAt", core::format_iso8601_utc(m.created_at)}});
  }
  return out;
}

}  // namespace continuata::server
