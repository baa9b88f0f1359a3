// The refunds' SQL, parameters always bound, one text for both engines.
#include "server/store_refunds.hpp"

#include "server/store_seller.hpp"

namespace continuata::server::store {

std::optional<Purchase> find_org_purchase(Db& db, const std::string& org, int64_t id) {
  auto s = db.prepare(std::string("SELECT ") + kPurchaseCols + " FROM purchases WHERE id = ? AND org_id = ?");
  s.bind(1, id).bind(2, org);
  if (!s.step()) return std::nullopt;
  return read_purchase(s);
}

std::vector<Purchase> purchases_of_order(Db& db, const std::string& org, const std::string& order_id,
                                         const std::optional<std::string>& product_id) {
  auto s = db.prepare(std::string("SELECT ") + kPurchaseCols +
                      " FROM purchases WHERE org_id = ? AND order_id = ?"
                      " AND (CAST(? AS TEXT) IS NULL OR product_id = ?) ORDER BY id");
  s.bind(1, org).bind(2, order_id).bind(3, product_id).bind(4, product_id);
  std::vector<Purchase> out;
  while (s.step()) out.push_back(read_purchase(s));
  return out;
}

PurchaseState purchase_state(Db& db, int64_t purchase_id) {
  auto s = db.prepare(
      "SELECT p.refunded_at, k.license_key FROM purchases p LEFT JOIN license_keys k ON k.purchase_id = p.id"
      " WHERE p.id = ?");
  s.bind(1, purchase_id);
  PurchaseState st;
  if (!s.step()) return st;
  if (!s.is_null(0)) st.refunded_at = s.integer(0);
  st.license_key = s.optional_text(1);
  return st;
}

bool mark_refunded(Db& db, int64_t purchase_id, int64_t now) {
  db.prepare("UPDATE purchases SET refunded_at = ? WHERE id = ? AND refunded_at IS NULL")
      .bind(1, now)
      .bind(2, purchase_id)
      .run();
  return db.changes() == 1;
}

bool mark_reinstated(Db& db, int64_t purchase_id) {
  db.prepare("UPDATE purchases SET refunded_at = NULL WHERE id = ? AND refunded_at IS NOT NULL")
      .bind(1, purchase_id)
      .run();
  return db.changes() == 1;
}

void insert_purchase_event(Db& db, const PurchaseEvent& e) {
  db.prepare(
        "INSERT INTO purchase_events (org_id, purchase_id, action, source, api_key_id, reason, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, e.org_id)
      .bind(2, e.purchase_id)
      .bind(3, e.action)
      .bind(4, e.source)
      .bind(5, e.api_key_id)
      .bind(6, e.reason)
      .bind(7, e.created_at)
      .run();
}

std::vector<PurchaseEvent> purchase_events(Db& db, int64_t purchase_id) {
  auto s = db.prepare(
      "SELECT id, purchase_id, created_at, org_id, action, source, api_key_id, reason FROM purchase_events"
      " WHERE purchase_id = ? ORDER BY id");
  s.bind(1, purchase_id);
  std::vector<PurchaseEvent> out;
  while (s.step()) {
    PurchaseEvent e;
    e.id = s.integer(0);
    e.purchase_id = s.integer(1);
    e.created_at = s.integer(2);
    e.org_id = s.text(3);
    e.action = s.text(4);
    e.source = s.text(5);
    if (!s.is_null(6)) e.api_key_id = s.integer(6);
    e.reason = s.optional_text(7);
    out.push_back(std::move(e));
  }
  return out;
}

bool has_webhook_refund(Db& db, int64_t purchase_id) {
  auto s = db.prepare(
      "SELECT count(*) FROM purchase_events WHERE purchase_id = ? AND action = 'refund' AND source = "
      "'webhook'");
  s.bind(1, purchase_id);
  s.step();
  return s.integer(0) > 0;
}

bool token_purchase_refunded(Db& db, int64_t token_id) {
  auto s = db.prepare(
      "SELECT count(*) FROM download_tokens t JOIN purchases p ON p.id = t.purchase_id"
      " WHERE t.id = ? AND p.refunded_at IS NOT NULL");
  s.bind(1, token_id);
  s.step();
  return s.integer(0) > 0;
}

std::vector<PurchaseWithState> purchases_with_state(Db& db, const std::string& org,
                                                    const std::optional<std::string>& email) {
  auto s = db.prepare(
      "SELECT p.id, p.org_id, p.order_id, p.email, p.product_id, p.version, p.created_at, p.refunded_at,"
      " k.license_key FROM purchases p LEFT JOIN license_keys k ON k.purchase_id = p.id"
      " WHERE p.org_id = ? AND (CAST(? AS TEXT) IS NULL OR p.email_normalized = ?)"
      " ORDER BY p.created_at, p.id");
  s.bind(1, org).bind(2, email).bind(3, email);
  std::vector<PurchaseWithState> out;
  while (s.step()) {
    PurchaseWithState r;
    r.purchase = read_purchase(s);
    if (!s.is_null(7)) r.state.refunded_at = s.integer(7);
    r.state.license_key = s.optional_text(8);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace continuata::server::store
