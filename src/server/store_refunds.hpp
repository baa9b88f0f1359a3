// All SQL of refunds: a purchase's refund state (purchases.refunded_at), the purchases of an
// order, the log of refunds, revokes and reinstatements (purchase_events), and whether a
// download token's purchase is revoked. Every statement binds its parameters.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/model_seller.hpp"
#include "server/store_db.hpp"

namespace continuata::server::store {

// What a purchase's row alone does not say: its refund and its licence key.
struct PurchaseState {
  std::optional<int64_t> refunded_at;  // nullopt: active
  std::optional<std::string> license_key;
};

struct PurchaseEvent {
  int64_t id = 0, purchase_id = 0, created_at = 0;
  std::string org_id, action, source;  // action: refund | revoke | reinstate; source: webhook | api
  std::optional<int64_t> api_key_id;
  std::optional<std::string> reason;
};

// The purchase, only if it belongs to the org.
std::optional<Purchase> find_org_purchase(Db& db, const std::string& org, int64_t id);
// The order's purchases (of one product when given), oldest first.
std::vector<Purchase> purchases_of_order(Db& db, const std::string& org, const std::string& order_id,
                                         const std::optional<std::string>& product_id);
PurchaseState purchase_state(Db& db, int64_t purchase_id);
// Both change the row only when it is in the other state; true when they did.
bool mark_refunded(Db& db, int64_t purchase_id, int64_t now);
bool mark_reinstated(Db& db, int64_t purchase_id);
void insert_purchase_event(Db& db, const PurchaseEvent& e);
std::vector<PurchaseEvent> purchase_events(Db& db, int64_t purchase_id);
// The refund webhook already refunded this purchase once (a repeat must not do it again).
bool has_webhook_refund(Db& db, int64_t purchase_id);
// The token was minted for a purchase that is refunded now.
bool token_purchase_refunded(Db& db, int64_t token_id);

// The seller's listing: the org's purchases (of one normalised email when given) with their
// state, oldest first.
struct PurchaseWithState {
  Purchase purchase;
  PurchaseState state;
};
std::vector<PurchaseWithState> purchases_with_state(Db& db, const std::string& org,
                                                    const std::optional<std::string>& email_normalized);

}  // namespace continuata::server::store
