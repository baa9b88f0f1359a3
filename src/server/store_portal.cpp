// The customer portal's SQL, parameters always bound.
#include "server/store_portal.hpp"

#include <map>

#include "server/store_email_links.hpp"
#include "server/store_seller.hpp"

namespace continuata::server::store {

void replace_code(Db& db, const VerificationCode& c) {
  db.prepare(
        "INSERT INTO verification_codes (email_normalized, org_id, code_hash, tries_left, created_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (email_normalized) DO UPDATE SET"
        " org_id = excluded.org_id, code_hash = excluded.code_hash, tries_left = excluded.tries_left,"
        " created_at = excluded.created_at, expires_at = excluded.expires_at")
      .bind(1, c.email_normalized)
      .bind(2, c.org_id)
      .bind(3, c.code_hash)
      .bind(4, c.tries_left)
      .bind(5, c.created_at)
      .bind(6, c.expires_at)
      .run();
}

std::optional<VerificationCode> find_code(Db& db, const std::string& email) {
  auto s = db.prepare(
      "SELECT email_normalized, org_id, code_hash, tries_left, created_at, expires_at"
      " FROM verification_codes WHERE email_normalized = ?");
  s.bind(1, email);
  if (!s.step()) return std::nullopt;
  return VerificationCode{s.text(0), s.optional_text(1), s.text(2), s.integer(3), s.integer(4), s.integer(5)};
}

void set_tries_left(Db& db, const std::string& email, const std::string& code_hash, int64_t tries_left) {
  db.prepare("UPDATE verification_codes SET tries_left = ? WHERE email_normalized = ? AND code_hash = ?")
      .bind(1, tries_left)
      .bind(2, email)
      .bind(3, code_hash)
      .run();
}

void delete_code(Db& db, const std::string& email, const std::string& code_hash) {
  db.prepare("DELETE FROM verification_codes WHERE email_normalized = ? AND code_hash = ?")
      .bind(1, email)
      .bind(2, code_hash)
      .run();
}

CodeFailures code_failures(Db& db, const std::string& email) {
  auto s = db.prepare("SELECT window_started_at, failures FROM code_failures WHERE email_normalized = ?");
  s.bind(1, email);
  if (!s.step()) return {};
  return CodeFailures{s.integer(0), s.integer(1)};
}

void record_code_failure(Db& db, const std::string& email, int64_t now, int64_t window_start) {
  db.prepare(
        "INSERT INTO code_failures (email_normalized, window_started_at, failures) VALUES (?, ?, 1)"
        " ON CONFLICT (email_normalized) DO UPDATE SET"
        " failures = CASE WHEN code_failures.window_started_at < ? THEN 1 ELSE code_failures.failures + 1 "
        "END,"
        " window_started_at = CASE WHEN code_failures.window_started_at < ? THEN excluded.window_started_at"
        " ELSE code_failures.window_started_at END")
      .bind(1, email)
      .bind(2, now)
      .bind(3, window_start)
      .bind(4, window_start)
      .run();
}

std::vector<int64_t> rate_event_times(Db& db, const std::string& key) {
  auto s = db.prepare("SELECT at FROM rate_events WHERE rate_key = ? ORDER BY at");
  s.bind(1, key);
  std::vector<int64_t> out;
  while (s.step()) out.push_back(s.integer(0));
  return out;
}

void insert_rate_event(Db& db, const std::string& key, int64_t at) {
  db.prepare("INSERT INTO rate_events (rate_key, at) VALUES (?, ?)").bind(1, key).bind(2, at).run();
}

void delete_rate_events_before(Db& db, const std::string& key, int64_t before) {
  db.prepare("DELETE FROM rate_events WHERE rate_key = ? AND at <= ?").bind(1, key).bind(2, before).run();
}

void delete_all_rate_events_before(Db& db, int64_t before) {
  db.prepare("DELETE FROM rate_events WHERE at <= ?").bind(1, before).run();
}

void insert_session(Db& db, const std::string& token_hash, const std::string& email,
                    const std::optional<std::string>& org, int64_t now, int64_t expires_at) {
  db.prepare(
        "INSERT INTO portal_sessions (token_hash, email_normalized, org_id, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)")
      .bind(1, token_hash)
      .bind(2, email)
      .bind(3, org)
      .bind(4, now)
      .bind(5, expires_at)
      .run();
}

std::optional<PortalSession> find_session(Db& db, const std::string& token_hash, int64_t now) {
  auto s = db.prepare(
      "SELECT id, email_normalized, org_id, expires_at FROM portal_sessions"
      " WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?");
  s.bind(1, token_hash).bind(2, now);
  if (!s.step()) return std::nullopt;
  return PortalSession{s.integer(0), s.text(1), s.optional_text(2), s.integer(3)};
}

void revoke_session(Db& db, int64_t id, int64_t now) {
  db.prepare("UPDATE portal_sessions SET revoked_at = ? WHERE id = ?").bind(1, now).bind(2, id).run();
}

void insert_outbox(Db& db, const OutboxMessage& m) {
  db.prepare(
        "INSERT INTO outbox (to_email, subject, text_body, html_body, created_at, headers)"
        " VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, m.to)
      .bind(2, m.subject)
      .bind(3, m.text)
      .bind(4, m.html)
      .bind(5, m.created_at)
      .bind(6, m.headers.empty() ? std::nullopt : std::optional<std::string>(m.headers))
      .run();
}

std::vector<OutboxMessage> outbox_for(Db& db, const std::string& to, int limit) {
  auto s = db.prepare(
      "SELECT to_email, subject, text_body, html_body, created_at, headers FROM outbox"
      " WHERE to_email = ? ORDER BY id DESC LIMIT ?");
  s.bind(1, to).bind(2, int64_t(limit));
  std::vector<OutboxMessage> out;
  while (s.step())
    out.push_back(OutboxMessage{s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4),
                                s.optional_text(5).value_or("")});
  return out;
}

std::vector<PortalPurchase> purchases_for_email(Db& db, const std::string& email,
                                                const std::optional<std::string>& org) {
  auto s = db.prepare(
      "SELECT p.id, p.org_id, p.order_id, p.email, p.product_id, p.version, p.created_at, pr.name, "
      "v.version, v.id, p.email_normalized, v.notes, p.refunded_at, k.license_key"
      " FROM purchases p JOIN products pr ON pr.org_id = p.org_id AND pr.id = p.product_id"
      " LEFT JOIN versions v ON v.id = pr.active_version_id"
      " LEFT JOIN license_keys k ON k.purchase_id = p.id"
      " WHERE (p.email_normalized = ? OR p.email_normalized IN (" +
      std::string(kLinkedEmailsSql) +
      ")) AND (CAST(? AS TEXT) IS NULL OR p.org_id = ?)"
      " ORDER BY p.created_at DESC, p.id DESC");
  s.bind(1, email).bind(2, email).bind(3, org).bind(4, org);
  std::vector<PortalPurchase> out;
  std::map<std::string, std::vector<FileEntry>> files_by_version;  // purchases share versions
  while (s.step()) {
    PortalPurchase r;
    r.purchase = read_purchase(s);
    r.product_name = s.text(7);
    r.latest_version = s.optional_text(8);
    r.latest_version_id = s.optional_text(9);
    r.email_normalized = s.text(10);
    r.latest_notes = s.optional_text(11);
    if (!s.is_null(12)) r.after_sale.refunded_at = s.integer(12);
    r.after_sale.license_key = s.optional_text(13);
    out.push_back(std::move(r));
  }
  for (auto& r : out) {
    if (!r.latest_version_id) continue;
    auto it = files_by_version.find(*r.latest_version_id);
    if (it == files_by_version.end())
      it = files_by_version.emplace(*r.latest_version_id, list_files(db, *r.latest_version_id)).first;
    r.files = it->second;
  }
  return out;
}

std::optional<Purchase> find_purchase_of(Db& db, int64_t id, const std::string& email,
                                         const std::optional<std::string>& org) {
  auto s = db.prepare(std::string("SELECT ") + kPurchaseCols +
                      " FROM purchases"
                      " WHERE id = ? AND (email_normalized = ? OR email_normalized IN (" +
                      kLinkedEmailsSql + ")) AND (CAST(? AS TEXT) IS NULL OR org_id = ?)");
  s.bind(1, id).bind(2, email).bind(3, email).bind(4, org).bind(5, org);
  if (!s.step()) return std::nullopt;
  return read_purchase(s);
}

namespace {
void insert_queued(Db& db, const OutboxMessage& m, int64_t now, int64_t due, std::optional<int64_t> slot) {
  db.prepare(
        "INSERT INTO mail_queue (to_email, subject, text_body, html_body, created_at, next_attempt_at, "
        "headers,"
        " slot_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, m.to)
      .bind(2, m.subject)
      .bind(3, m.text)
      .bind(4, m.html)
      .bind(5, now)
      .bind(6, due)
      .bind(7, m.headers.empty() ? std::nullopt : std::optional<std::string>(m.headers))
      .bind(8, slot)
      .run();
}
}  // namespace

void enqueue_mail(Db& db, const OutboxMessage& m, int64_t now) {
  insert_queued(db, m, now, now, std::nullopt);
}

void enqueue_bulk_mail(Db& db, const OutboxMessage& m, int64_t now, int64_t slot_at) {
  insert_queued(db, m, now, slot_at, slot_at);
}

std::optional<int64_t> last_bulk_slot(Db& db) {
  auto s = db.prepare("SELECT max(slot_at) FROM mail_queue WHERE slot_at IS NOT NULL");
  if (!s.step() || s.is_null(0)) return std::nullopt;
  return s.integer(0);
}

int64_t pending_mail_count(Db& db) {
  auto s = db.prepare("SELECT count(*) FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL");
  s.step();
  return s.integer(0);
}

int64_t pending_direct_mail_count(Db& db) {
  auto s = db.prepare(
      "SELECT count(*) FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL AND slot_at IS NULL");
  s.step();
  return s.integer(0);
}

std::optional<QueuedMail> claim_due_mail(Db& db, int64_t now, int64_t lease_until) {
  // On PostgreSQL, workers of every instance claim at once: SKIP LOCKED passes over a row another
  // worker is claiming instead of waiting for it (and then finding it leased). SQLite has one
  // writer at a time, so the plain subquery is already exclusive there.
  static const std::string claim = std::string(
      "UPDATE mail_queue SET next_attempt_at = ? WHERE id = (SELECT id FROM mail_queue"
      " WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT 1");
  auto s =
      db.prepare(claim + (db.dialect() == Dialect::Postgres ? " FOR UPDATE SKIP LOCKED" : "") +
                 ") RETURNING id, attempts, to_email, subject, text_body, html_body, created_at, headers");
  s.bind(1, lease_until).bind(2, now);
  if (!s.step()) return std::nullopt;
  QueuedMail q{s.integer(0), s.integer(1),
               OutboxMessage{s.text(2), s.text(3), s.text(4), s.text(5), s.integer(6),
                             s.optional_text(7).value_or("")}};
  while (s.step()) {
  }
  return q;
}

void mark_mail_sent(Db& db, int64_t id, int64_t now) {
  db.prepare("UPDATE mail_queue SET sent_at = ?, attempts = attempts + 1 WHERE id = ?")
      .bind(1, now)
      .bind(2, id)
      .run();
}

void mark_mail_retry(Db& db, int64_t id, int64_t attempts, int64_t next_attempt_at) {
  db.prepare("UPDATE mail_queue SET attempts = ?, next_attempt_at = ? WHERE id = ?")
      .bind(1, attempts)
      .bind(2, next_attempt_at)
      .bind(3, id)
      .run();
}

void mark_mail_failed(Db& db, int64_t id, int64_t attempts, int64_t now) {
  db.prepare("UPDATE mail_queue SET attempts = ?, failed_at = ? WHERE id = ?")
      .bind(1, attempts)
      .bind(2, now)
      .bind(3, id)
      .run();
}

}  // namespace continuata::server::store
