// What a signed-in customer sees and does: the purchases of their verified email (optionally
// scoped to one org), and fresh download links for their own purchases only.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/model_seller.hpp"
#include "server/server_context.hpp"
#include "server/store_portal.hpp"

namespace continuata::server {

// {"email", "purchases":[{purchaseId, orderId, purchasedAt, orgId, productId, productName,
//   purchasedVersion, latestVersion, files:[{path,size,sha256}]}]}
nlohmann::json portal_purchases(ServerContext& ctx, const store::PortalSession& session,
                                const std::optional<std::string>& org);

// Mints like generate-download-url for one of the session's purchases; another customer's
// purchase id is a 404, exactly like a purchase that does not exist.
MintedLink portal_download_link(ServerContext& ctx, const store::PortalSession& session, const nlohmann::json& body);

}  // namespace continuata::server
