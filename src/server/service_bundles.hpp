// Bundle links: one download token whose download is a ZIP of several versions, one folder per
// product. The portal mints one for the signed-in email's whole library ({"all": true}: each
// purchased product's active version, as the portal's own links pick it, in the session's org
// scope); the seller API for a list of items ({"items": [{"productId", "version"?}, ...]}, each
// checked like a single link). The answer has the single link's shape, with productId and
// version empty.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "core/core_api.hpp"
#include "server/server_context.hpp"
#include "server/store_portal.hpp"

namespace continuata::server {

inline constexpr size_t kMaxBundleItems = 100;  // the seller API's items per bundle

// POST /api/generate-download-url with "items": 1..kMaxBundleItems items, each like a single
// request's body (400 when not; 404 as a single link for an item with no active manifest).
core::DownloadLink mint_bundle_from_request(ServerContext& ctx, const std::string& org,
                                            const nlohmann::json& body);

// POST /api/portal/download-url {"all": true} ("org" optional, as the purchase list's ?org=, but
// never outside the session's own scope). 404 when no purchase has an active version.
core::DownloadLink portal_library_link(ServerContext& ctx, const store::PortalSession& session,
                                       const nlohmann::json& body);

// The folder a product's files get in a bundle's ZIP: its name made safe for every unzipper
// ('/', '\', ':' and control characters replaced, no leading or trailing dots or spaces, at
// most 120 bytes), or `fallback` (the product id) when nothing is left.
std::string bundle_folder_name(const std::string& product_name, const std::string& fallback);

}  // namespace continuata::server
