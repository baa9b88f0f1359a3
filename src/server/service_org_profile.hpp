// An org's profile: the seller's display name (orgs.name) and help contact (an email and/or a
// URL) that the portal shows instead of "Continuata downloads". Set by the admin CLI
// (`admin set-profile`) and the seller API (PATCH /api/org/profile), both through
// change_org_profile so they validate alike; read by the seller API and, before sign-in, by the
// portal (GET /api/portal/profile, within the request Origin's PortalScope).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/core_api.hpp"
#include "server/server_context.hpp"
#include "server/service_portal_scope.hpp"

namespace continuata::server {

// What to change: a field left nullopt stays; "" clears a help field (the name cannot be cleared).
struct OrgProfileChange {
  std::optional<std::string> name, help_email, help_url;
};

// Throws ApiError 404 when the org does not exist.
core::OrgProfile org_profile(ServerContext& ctx, const std::string& org);

// Validates and stores: the name 1-200 bytes of UTF-8 without control characters; the help
// email plausible (core_api's rule); the help URL http(s) (core_api's plausible_web_url). Text
// is trimmed of surrounding spaces first. Throws ApiError 400 with the reason, 404 for no org.
core::OrgProfile change_org_profile(ServerContext& ctx, const std::string& org, OrgProfileChange change);

// PATCH /api/org/profile's body: any of "name", "helpEmail", "helpUrl" (null or "" clears a
// help field); orgId is read-only and other fields are refused (ApiError 400).
OrgProfileChange read_org_profile_change(const nlohmann::json& body);

// GET /api/portal/profile?org=: the profile of `requested`, or of the Origin's only org when
// none is asked for; nullopt when no org is in scope (the server's own unscoped portal).
// Throws ApiError 403 for an org the Origin may not use, 404 for an unknown org.
std::optional<core::OrgProfile> portal_profile(ServerContext& ctx, const PortalScope& scope,
                                               const std::optional<std::string>& requested);

}  // namespace continuata::server
