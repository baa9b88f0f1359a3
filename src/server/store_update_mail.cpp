// Update mail's SQL, one function per query, parameters always bound.
#include "server/store_update_mail.hpp"

namespace continuata::server::store {

std::vector<std::string> product_buyers(Db& db, const std::string& org, const std::string& product) {
  auto s = db.prepare(
      "SELECT DISTINCT email_normalized FROM purchases WHERE org_id = ? AND product_id = ?"
      " AND refunded_at IS NULL ORDER BY email_normalized");  // a refunded buyer gets no update
  s.bind(1, org).bind(2, product);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

bool claim_update_notice(Db& db, const std::string& version_id, const std::string& email, int64_t now) {
  db.prepare(
        "INSERT INTO update_mail_sent (version_id, email_normalized, queued_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING")
      .bind(1, version_id)
      .bind(2, email)
      .bind(3, now)
      .run();
  return db.changes() > 0;
}

void insert_opt_out(Db& db, const std::string& org, const std::string& email, int64_t now) {
  db.prepare(
        "INSERT INTO mail_opt_outs (org_id, email_normalized, created_at) VALUES (?, ?, ?) ON CONFLICT DO "
        "NOTHING")
      .bind(1, org)
      .bind(2, email)
      .bind(3, now)
      .run();
}

bool opted_out(Db& db, const std::string& org, const std::string& email) {
  auto s = db.prepare("SELECT 1 FROM mail_opt_outs WHERE org_id = ? AND email_normalized = ?");
  s.bind(1, org).bind(2, email);
  bool found = s.step();
  while (found && s.step()) {
  }
  return found;
}

void remember_language(Db& db, const std::string& org, const std::string& email, const std::string& lang,
                       int64_t now) {
  db.prepare(
        "INSERT INTO mail_languages (org_id, email_normalized, language, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (org_id, email_normalized) DO UPDATE SET language = excluded.language,"
        " updated_at = excluded.updated_at")
      .bind(1, org)
      .bind(2, email)
      .bind(3, lang)
      .bind(4, now)
      .run();
}

std::optional<std::string> remembered_language(Db& db, const std::string& org, const std::string& email) {
  auto s = db.prepare(
      "SELECT language FROM mail_languages WHERE email_normalized = ? AND org_id IN (?, '')"
      " ORDER BY updated_at DESC, org_id DESC LIMIT 1");
  s.bind(1, email).bind(2, org);
  if (!s.step()) return std::nullopt;
  std::string lang = s.text(0);
  while (s.step()) {
  }
  return lang;
}

}  // namespace continuata::server::store
