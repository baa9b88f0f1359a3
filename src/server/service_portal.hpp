// What a signed-in customer sees and does: the purchases of their verified email (optionally
// scoped to one org), and fresh download links for their own purchases only. Answers are
// core_api's models, so the server sends exactly what the portal parses.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/core_api.hpp"
#include "server/server_context.hpp"
#include "server/store_portal.hpp"

namespace continuata::server {

// GET /api/portal/purchases: newest first, each with the files of its product's active version.
core::PurchaseList portal_purchases(ServerContext& ctx, const store::PortalSession& session,
                                    const std::optional<std::string>& org);

// POST /api/portal/download-url's body: purchaseId a number (or a string of digits), version
// an optional string. Throws ApiError 400 otherwise.
core::DownloadLinkRequest read_download_link_request(const nlohmann::json& body);

// Mints like generate-download-url for one of the session's purchases; another customer's
// purchase id is a 404, exactly like a purchase that does not exist.
core::DownloadLink portal_download_link(ServerContext& ctx, const store::PortalSession& session,
                                        const nlohmann::json& body);

}  // namespace continuata::server
