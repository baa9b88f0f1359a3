// Refunds and chargebacks revoke a purchase's access; the seller may reinstate it. Three ways in:
// the signed refund webhook (POST /api/webhooks/{org}/refund {"orderId", "productId"?, "reason"?},
// the purchase webhook's signature scheme; without productId the whole order), and the admin
// seller API's POST /api/purchases/{id}/revoke and /reinstate. Each change is one transaction
// (Exclusive, like the purchase webhook) with its row in purchase_events (who: the webhook or the
// API key's id, when, why). A refunded purchase's download links answer 410, no new link can be
// minted for it (410 {"code": "purchase_refunded"}), and the portal lists it as refunded.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "server/model_seller.hpp"
#include "server/server_context.hpp"
#include "server/store_db.hpp"

namespace continuata::server {

inline constexpr size_t kMaxRefundReasonBytes = 500;
inline constexpr const char* kRefundedCode = "purchase_refunded";

// Idempotent: a purchase the webhook refunded once is never refunded again by it (not even after
// the seller reinstated it: a processor's retry must not undo the seller's decision). An order
// (or order and product) without purchases is a 404, so a processor retries a refund that
// arrived before its purchase. Answers {"success", "orderId", "purchases": [{"purchaseId",
// "productId", "status", "refundedAt"}]}, the same for a repeat.
nlohmann::json record_refund_webhook(ServerContext& ctx, const std::string& org, const std::string& timestamp,
                                     const std::string& signature, const std::string& raw_body);

// Another org's purchase (or none) is a 404. Revoking a revoked purchase, or reinstating an
// active one, changes and logs nothing. Both answer the purchase as GET /api/purchases lists it.
nlohmann::json revoke_purchase(ServerContext& ctx, const Principal& who, const std::string& id,
                               const nlohmann::json& body);
nlohmann::json reinstate_purchase(ServerContext& ctx, const Principal& who, const std::string& id,
                                  const nlohmann::json& body);
// GET /api/purchases/{id}/events: the purchase's refund log, oldest first.
nlohmann::json purchase_events(ServerContext& ctx, const Principal& who, const std::string& id);

// Throws 410 {"error", "code": "purchase_refunded"} when the purchase is refunded.
void require_not_refunded(Db& db, int64_t purchase_id);

}  // namespace continuata::server
