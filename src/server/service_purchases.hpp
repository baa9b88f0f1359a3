// The org's purchases as the seller API lists them (GET /api/purchases?email=); purchases are
// recorded by the webhook (service_webhook) and seen by customers through the portal
// (service_portal). Each carries its refund state and licence key (service_refunds,
// service_license_keys).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/model_seller.hpp"
#include "server/server_context.hpp"
#include "server/store_refunds.hpp"

namespace continuata::server {

// The purchase's reference shape plus "status" ("active" | "refunded"), "refundedAt" and
// "licenseKey" (null when none).
nlohmann::json seller_purchase_json(const Purchase& p, const store::PurchaseState& state);

// Every purchase of the org, oldest first; with `email`, only that buyer's (compared
// normalised, like the portal).
nlohmann::json list_purchases(ServerContext& ctx, const std::string& org,
                              const std::optional<std::string>& email);

}  // namespace continuata::server
