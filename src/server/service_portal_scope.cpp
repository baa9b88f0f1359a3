// Portal scopes from the Origin: see the header.
#include "server/service_portal_scope.hpp"

#include <algorithm>

#include "server/api_error.hpp"
#include "server/store_seller.hpp"

namespace continuata::server {
namespace {

// "https://shop.example" of "https://shop.example/some/path".
std::string origin_of(const std::string& url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t path = url.find('/', scheme + 3);
  return path == std::string::npos ? url : url.substr(0, path);
}

bool operator_allows(ServerContext& ctx, const std::string& origin) {
  if (origin.empty() || origin == origin_of(ctx.config.public_url)) return true;
  return std::find(ctx.config.allow_origins.begin(), ctx.config.allow_origins.end(), origin) !=
         ctx.config.allow_origins.end();
}

}  // namespace

bool PortalScope::allows(const std::optional<std::string>& org) const {
  return any_org || (org && std::find(orgs.begin(), orgs.end(), *org) != orgs.end());
}

std::optional<std::string> PortalScope::scope_for(const std::optional<std::string>& requested) const {
  if (!requested && !any_org && orgs.size() == 1) return orgs[0];
  if (!allows(requested)) throw ApiError(403, "This site may not use the portal for that shop");
  return requested;
}

PortalScope portal_scope(ServerContext& ctx, const std::string& origin) {
  PortalScope scope;
  if (operator_allows(ctx, origin)) return scope;
  scope.any_org = false;
  scope.orgs = store::orgs_allowing_origin(ctx.db->connection(), origin);
  return scope;
}

bool origin_may_use_portal(ServerContext& ctx, const std::string& origin) {
  return operator_allows(ctx, origin) || !store::orgs_allowing_origin(ctx.db->connection(), origin).empty();
}

}  // namespace continuata::server
