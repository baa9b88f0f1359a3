// A signed-in customer's download history: the summary each purchase carries in
// GET /api/portal/purchases, and one purchase's full list (newest first, a page at a time).
// Clients are named by user_agent_label; the address is never read.
#pragma once
#include <optional>
#include <string>

#include "core/core_api.hpp"
#include "core/core_history.hpp"
#include "server/server_context.hpp"
#include "server/store_portal.hpp"

namespace continuata::server {

// Fills each purchase's `downloads` (the list's purchases are this email's within `scope`).
void add_download_summaries(ServerContext& ctx, const std::string& email_normalized,
                            const std::optional<std::string>& scope, core::PurchaseList& list);

// GET /api/portal/purchases/{id}/downloads?offset=&limit=: `id`, `offset` and `limit` as the
// request gave them (""  = absent). Another customer's purchase, or an id that is no number, is
// a 404 exactly like a purchase that does not exist; a bad offset or limit a 400.
core::DownloadHistory portal_download_history(ServerContext& ctx, const store::PortalSession& session,
                                              const std::string& id, const std::string& offset,
                                              const std::string& limit);

}  // namespace continuata::server
