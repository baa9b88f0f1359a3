// The dev outbox: messages are stored in SQLite (read back at GET /api/dev/outbox) and printed
// to the log, so a developer or a test can read the code without a mail server.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "server/mail_mailer.hpp"
#include "server/store_db.hpp"

namespace continuata::server {

class OutboxMailer : public Mailer {
 public:
  OutboxMailer(Database& db, std::function<int64_t()> now_ms) : db_(db), now_ms_(std::move(now_ms)) {}
  void send(const MailMessage& message) override;
  void queue_bulk(Db& db, const MailMessage& message, int64_t slot_at) override;
  const char* name() const override { return "dev outbox"; }

 private:
  Database& db_;
  std::function<int64_t()> now_ms_;
};

// GET /api/dev/outbox?to=EMAIL: the last 20 messages to that address (normalised), newest
// first, as [{"to","subject","text","html","headers","sentAt"}] (headers: {name: value}). Throws ApiError 400
// when `to` is empty.
nlohmann::json dev_outbox(Database& db, const std::string& to);

}  // namespace continuata::server
