// Which orgs a portal request may act for, decided by the server from the request's Origin,
// never by a field the client sends. A widget on a seller's site (an Origin that orgs allowed
// with `admin allow-origin`) may only create and use sessions scoped to one of those orgs, so
// one seller's page can never read a customer's purchases from another seller. The server's own
// portal (no Origin, or the public URL's origin) and origins the operator allows for every org
// (--allow-origin) may use any org, or none (every purchase of the email).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "server/server_context.hpp"

namespace continuata::server {

struct PortalScope {
  bool any_org = true;
  std::vector<std::string> orgs;  // when !any_org: the orgs that allowed the origin
  bool allows(const std::optional<std::string>& org) const;
  // The org a new code is scoped to: `requested` if allowed; the only org of a one-org origin
  // when none is requested; throws ApiError 403 otherwise.
  std::optional<std::string> scope_for(const std::optional<std::string>& requested) const;
};

PortalScope portal_scope(ServerContext& ctx, const std::string& origin);

// The Origin header may use the portal API at all (CORS answers).
bool origin_may_use_portal(ServerContext& ctx, const std::string& origin);

}  // namespace continuata::server
