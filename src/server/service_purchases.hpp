// The org's purchases as the seller API lists them (GET /api/purchases); purchases are recorded
// by the webhook (service_webhook) and seen by customers through the portal (service_portal).
#pragma once
#include <string>
#include <vector>

#include "server/model_seller.hpp"
#include "server/server_context.hpp"

namespace continuata::server {

// Every purchase of the org, oldest first.
std::vector<Purchase> list_purchases(ServerContext& ctx, const std::string& org);

}  // namespace continuata::server
