// Refunds, revokes and reinstatements, each logged.
#include "server/service_refunds.hpp"

#include "core/core_api.hpp"
#include "server/api_error.hpp"
#include "server/api_fields.hpp"
#include "server/mail_refund.hpp"
#include "server/service_license_keys.hpp"
#include "server/service_purchases.hpp"
#include "server/service_webhook.hpp"
#include "server/store_refunds.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {
namespace {

int64_t purchase_id_of(const std::string& text) {
  if (text.empty() || text.size() > 17 || text.find_first_not_of("0123456789") != std::string::npos)
    throw ApiError(404, "Purchase not found");
  return std::stoll(text);
}

std::optional<std::string> reason_of(const nlohmann::json& body) {
  if (body.is_null()) return std::nullopt;
  require_object(body);
  auto reason = optional_string(body, "reason");
  if (reason && reason->size() > kMaxRefundReasonBytes)
    throw ApiError(400, "\"reason\" is at most " + std::to_string(kMaxRefundReasonBytes) + " bytes");
  if (reason && reason->empty()) reason.reset();
  return reason;
}

store::PurchaseEvent event(const Purchase& p, const char* action, const char* source,
                           std::optional<int64_t> key_id, const std::optional<std::string>& reason,
                           int64_t now) {
  store::PurchaseEvent e;
  e.org_id = p.org_id;
  e.purchase_id = p.id;
  e.action = action;
  e.source = source;
  e.api_key_id = key_id;
  e.reason = reason;
  e.created_at = now;
  return e;
}

// Tells the buyer their access ended, in the same transaction as the refund (mail_refund).
void notify_buyer(ServerContext& ctx, Db& db, const Purchase& p) {
  auto product = store::find_product(db, p.org_id, p.product_id);
  // The normalised address, as update mail uses: the remembered language is keyed by it.
  std::string name = product ? product->name : p.product_id;
  queue_refund_notice(ctx, db, RefundNotice{p.org_id, core::normalise_email(p.email), name, p.order_id});
}

// The seller's change of one purchase of its org, in one transaction.
nlohmann::json change(ServerContext& ctx, const Principal& who, const std::string& id,
                      const nlohmann::json& body, bool revoke) {
  int64_t pid = purchase_id_of(id);
  std::optional<std::string> reason = reason_of(body);
  Db& db = ctx.db->connection();
  int64_t now = ctx.now_ms();
  Transaction tx(db, TxLock::Exclusive);
  auto p = store::find_org_purchase(db, who.org_id, pid);
  if (!p) throw ApiError(404, "Purchase not found");
  bool changed = revoke ? store::mark_refunded(db, p->id, now) : store::mark_reinstated(db, p->id);
  if (changed) {
    store::insert_purchase_event(db,
                                 event(*p, revoke ? "revoke" : "reinstate", "api", who.key_id, reason, now));
    // A purchase that waited for a key while refunded gets one now, if the pool has one.
    if (!revoke) assign_license_key(db, p->org_id, p->product_id, p->id, std::nullopt, now);
    if (revoke) notify_buyer(ctx, db, *p);
  }
  nlohmann::json out = seller_purchase_json(*p, store::purchase_state(db, p->id));
  tx.commit();
  out["changed"] = changed;
  return out;
}

}  // namespace

nlohmann::json record_refund_webhook(ServerContext& ctx, const std::string& org_id,
                                     const std::string& timestamp, const std::string& signature,
                                     const std::string& raw_body) {
  nlohmann::json body = verified_webhook_body(ctx, org_id, timestamp, signature, raw_body);
  // A purchase webhook's signed body sent here (it has "items") is refused: the signature covers
  // the body, not the endpoint, and a captured purchase must not turn into a refund.
  if (body.contains("items")) throw ApiError(400, "A refund has no \"items\": {\"orderId\", \"productId\"?}");
  std::string order_id = nonempty_string(body, "orderId");
  std::optional<std::string> product_id = optional_string(body, "productId");
  std::optional<std::string> reason = reason_of(body);
  Db& db = ctx.db->connection();
  int64_t now = ctx.now_ms();
  Transaction tx(db, TxLock::Exclusive);
  auto purchases = store::purchases_of_order(db, org_id, order_id, product_id);
  if (purchases.empty())
    throw ApiError(404, "Order \"" + order_id + "\"" +
                            (product_id ? " has no product \"" + *product_id + "\"" : " not found"));
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : purchases) {
    if (!store::has_webhook_refund(db, p.id)) {
      bool changed = store::mark_refunded(db, p.id, now);  // false when the seller had revoked it already
      store::insert_purchase_event(db, event(p, "refund", "webhook", std::nullopt, reason, now));
      if (changed) notify_buyer(ctx, db, p);
    }
    store::PurchaseState st = store::purchase_state(db, p.id);
    list.push_back({{"purchaseId", p.id},
                    {"productId", p.product_id},
                    {"status", st.refunded_at ? "refunded" : "active"},
                    {"refundedAt", st.refunded_at ? iso(*st.refunded_at) : nlohmann::json(nullptr)}});
  }
  tx.commit();  // acknowledged only once stored
  return {{"success", true}, {"orderId", order_id}, {"purchases", list}};
}

nlohmann::json revoke_purchase(ServerContext& ctx, const Principal& who, const std::string& id,
                               const nlohmann::json& body) {
  return change(ctx, who, id, body, true);
}

nlohmann::json reinstate_purchase(ServerContext& ctx, const Principal& who, const std::string& id,
                                  const nlohmann::json& body) {
  return change(ctx, who, id, body, false);
}

nlohmann::json purchase_events(ServerContext& ctx, const Principal& who, const std::string& id) {
  int64_t pid = purchase_id_of(id);
  Db& db = ctx.db->connection();
  if (!store::find_org_purchase(db, who.org_id, pid)) throw ApiError(404, "Purchase not found");
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : store::purchase_events(db, pid))
    out.push_back({{"id", e.id},
                   {"purchaseId", e.purchase_id},
                   {"action", e.action},
                   {"source", e.source},
                   {"apiKeyId", e.api_key_id ? nlohmann::json(*e.api_key_id) : nlohmann::json(nullptr)},
                   {"reason", opt(e.reason)},
                   {"createdAt", iso(e.created_at)}});
  return {{"purchaseId", pid}, {"events", out}};
}

void require_not_refunded(Db& db, int64_t purchase_id) {
  if (!store::purchase_state(db, purchase_id).refunded_at) return;
  ApiError e(410, "This purchase was refunded: no download link can be made for it");
  e.body.code = kRefundedCode;
  throw e;
}

}  // namespace continuata::server
