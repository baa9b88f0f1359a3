// Linked email addresses' SQL, parameters always bound.
#include "server/store_email_links.hpp"

namespace continuata::server::store {

std::optional<EmailLink> find_email_link(Db& db, const std::string& email) {
  auto s =
      db.prepare("SELECT email_normalized, group_id, linked_at FROM email_links WHERE email_normalized = ?");
  s.bind(1, email);
  if (!s.step()) return std::nullopt;
  return EmailLink{s.text(0), s.text(1), s.integer(2)};
}

std::vector<EmailLink> email_group(Db& db, const std::string& group_id) {
  auto s = db.prepare(
      "SELECT email_normalized, group_id, linked_at FROM email_links WHERE group_id = ?"
      " ORDER BY linked_at, email_normalized");
  s.bind(1, group_id);
  std::vector<EmailLink> out;
  while (s.step()) out.push_back(EmailLink{s.text(0), s.text(1), s.integer(2)});
  return out;
}

void put_in_group(Db& db, const std::string& email, const std::string& group_id, int64_t now) {
  db.prepare(
        "INSERT INTO email_links (email_normalized, group_id, linked_at) VALUES (?, ?, ?)"
        " ON CONFLICT (email_normalized) DO UPDATE SET group_id = excluded.group_id,"
        " linked_at = excluded.linked_at")
      .bind(1, email)
      .bind(2, group_id)
      .bind(3, now)
      .run();
}

void remove_email_link(Db& db, const std::string& email) {
  db.prepare("DELETE FROM email_links WHERE email_normalized = ?").bind(1, email).run();
}

void dissolve_if_single(Db& db, const std::string& group_id) {
  db.prepare(
        "DELETE FROM email_links WHERE group_id = ?"
        " AND (SELECT count(*) FROM email_links WHERE group_id = ?) < 2")
      .bind(1, group_id)
      .bind(2, group_id)
      .run();
}

void lock_email_links(Db& db) {
  if (db.dialect() != Dialect::Postgres) return;
  db.prepare("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))").bind(1, kEmailLinksLockKey).run();
}

void replace_link_code(Db& db, const LinkCode& c) {
  db.prepare(
        "INSERT INTO email_link_codes (owner_email, email_normalized, code_hash, tries_left, created_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (owner_email, email_normalized) DO UPDATE SET"
        " code_hash = excluded.code_hash, tries_left = excluded.tries_left,"
        " created_at = excluded.created_at, expires_at = excluded.expires_at")
      .bind(1, c.owner_email)
      .bind(2, c.email_normalized)
      .bind(3, c.code_hash)
      .bind(4, c.tries_left)
      .bind(5, c.created_at)
      .bind(6, c.expires_at)
      .run();
}

std::optional<LinkCode> find_link_code(Db& db, const std::string& owner, const std::string& email) {
  auto s = db.prepare(
      "SELECT owner_email, email_normalized, code_hash, tries_left, created_at, expires_at"
      " FROM email_link_codes WHERE owner_email = ? AND email_normalized = ?");
  s.bind(1, owner).bind(2, email);
  if (!s.step()) return std::nullopt;
  return LinkCode{s.text(0), s.text(1), s.text(2), s.integer(3), s.integer(4), s.integer(5)};
}

// Both act only on the code whose hash is given: one a new request put in its place stays.
void set_link_code_tries_left(Db& db, const LinkCode& c, int64_t tries_left) {
  db.prepare(
        "UPDATE email_link_codes SET tries_left = ? WHERE owner_email = ? AND email_normalized = ?"
        " AND code_hash = ?")
      .bind(1, tries_left)
      .bind(2, c.owner_email)
      .bind(3, c.email_normalized)
      .bind(4, c.code_hash)
      .run();
}

void delete_link_code(Db& db, const LinkCode& c) {
  db.prepare("DELETE FROM email_link_codes WHERE owner_email = ? AND email_normalized = ? AND code_hash = ?")
      .bind(1, c.owner_email)
      .bind(2, c.email_normalized)
      .bind(3, c.code_hash)
      .run();
}

}  // namespace continuata::server::store
