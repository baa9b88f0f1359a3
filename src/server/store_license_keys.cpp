// The licence keys' SQL, parameters always bound, one text for both engines (but the row lock).
#include "server/store_license_keys.hpp"

namespace continuata::server::store {

bool insert_free_key(Db& db, const std::string& org, const std::string& product, const std::string& key,
                     int64_t now) {
  db.prepare(
        "INSERT INTO license_keys (org_id, product_id, license_key, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (org_id, product_id, license_key) DO NOTHING")
      .bind(1, org)
      .bind(2, product)
      .bind(3, key)
      .bind(4, now)
      .run();
  return db.changes() == 1;
}

bool give_key(Db& db, const std::string& org, const std::string& product, const std::string& key,
              int64_t purchase_id, int64_t now) {
  db.prepare(
        "INSERT INTO license_keys (org_id, product_id, license_key, purchase_id, created_at, assigned_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, product_id, license_key) DO NOTHING")
      .bind(1, org)
      .bind(2, product)
      .bind(3, key)
      .bind(4, purchase_id)
      .bind(5, now)
      .bind(6, now)
      .run();
  if (db.changes() == 1) return true;
  db.prepare(
        "UPDATE license_keys SET purchase_id = ?, assigned_at = ?"
        " WHERE org_id = ? AND product_id = ? AND license_key = ? AND purchase_id IS NULL")
      .bind(1, purchase_id)
      .bind(2, now)
      .bind(3, org)
      .bind(4, product)
      .bind(5, key)
      .run();
  return db.changes() == 1;
}

std::optional<std::string> take_free_key(Db& db, const std::string& org, const std::string& product,
                                         int64_t purchase_id, int64_t now) {
  static const std::string claim =
      "UPDATE license_keys SET purchase_id = ?, assigned_at = ? WHERE purchase_id IS NULL AND id = ("
      "SELECT id FROM license_keys WHERE org_id = ? AND product_id = ? AND purchase_id IS NULL"
      " ORDER BY id LIMIT 1";
  auto s = db.prepare(claim + (db.dialect() == Dialect::Postgres ? " FOR UPDATE SKIP LOCKED" : "") +
                      ") RETURNING license_key");
  s.bind(1, purchase_id).bind(2, now).bind(3, org).bind(4, product);
  if (!s.step()) return std::nullopt;
  std::string key = s.text(0);
  while (s.step()) {
  }
  return key;
}

std::optional<std::string> key_of_purchase(Db& db, int64_t purchase_id) {
  auto s = db.prepare("SELECT license_key FROM license_keys WHERE purchase_id = ?");
  s.bind(1, purchase_id);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

PoolCounts pool_counts(Db& db, const std::string& org, const std::string& product) {
  auto s = db.prepare(
      "SELECT count(*), count(*) - count(purchase_id) FROM license_keys WHERE org_id = ? AND product_id = ?");
  s.bind(1, org).bind(2, product);
  s.step();
  PoolCounts c{s.integer(0), s.integer(1), 0};
  s.reset();
  auto w = db.prepare(
      "SELECT count(*) FROM purchases p WHERE p.org_id = ? AND p.product_id = ? AND p.refunded_at IS NULL"
      " AND NOT EXISTS (SELECT 1 FROM license_keys k WHERE k.purchase_id = p.id)");
  w.bind(1, org).bind(2, product);
  w.step();
  c.pending = c.total > 0 ? w.integer(0) : 0;  // a product without a pool sells no keys
  return c;
}

std::vector<int64_t> purchases_waiting_for_key(Db& db, const std::string& org, const std::string& product,
                                               int limit) {
  auto s = db.prepare(
      "SELECT p.id FROM purchases p WHERE p.org_id = ? AND p.product_id = ? AND p.refunded_at IS NULL"
      " AND NOT EXISTS (SELECT 1 FROM license_keys k WHERE k.purchase_id = p.id)"
      " ORDER BY p.created_at, p.id LIMIT ?");
  s.bind(1, org).bind(2, product).bind(3, int64_t(limit));
  std::vector<int64_t> out;
  while (s.step()) out.push_back(s.integer(0));
  return out;
}

}  // namespace continuata::server::store
