// Proving ownership of an email address, part two: a right code opens a portal session (a
// random bearer token, stored only as its sha256, 7 days); routes resolve the bearer token of
// every signed-in request to its session here, and sign-out revokes it.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "core/core_api.hpp"
#include "server/server_context.hpp"
#include "server/service_portal_scope.hpp"
#include "server/store_portal.hpp"

namespace continuata::server {

inline constexpr int64_t kSessionLifetimeMs = 7LL * 24 * 60 * 60 * 1000;

// POST /api/portal/session. Throws 400/401/403/410/429 (see redeem_code).
core::Session open_session(ServerContext& ctx, const nlohmann::json& body, const std::string& ip,
                           const PortalScope& scope);

// The live session of an "Authorization: Bearer" header; throws 401 when missing/expired/revoked
// and 403 when its org is outside `scope`.
store::PortalSession require_session(ServerContext& ctx, const std::string& authorization_header,
                                     const PortalScope& scope);
// DELETE /api/portal/session: the session stops working at once.
void close_session(ServerContext& ctx, const store::PortalSession& session);

}  // namespace continuata::server
