// Org profiles: see the header.
#include "server/service_org_profile.hpp"

#include "server/api_error.hpp"
#include "server/api_fields.hpp"
#include "server/store_seller.hpp"
#include "server/text_encoding.hpp"

namespace continuata::server {
namespace {

std::string trimmed(const std::string& t) {
  size_t a = t.find_first_not_of(" \t"), b = t.find_last_not_of(" \t");
  return a == std::string::npos ? "" : t.substr(a, b - a + 1);
}

// The name goes into mail subjects and the portal's heading: one line of well-formed text.
void check_name(const std::string& name) {
  if (name.empty()) throw ApiError(400, "\"name\" must not be empty");
  if (name.size() > 200) throw ApiError(400, "\"name\" must be at most 200 bytes");
  if (!is_valid_utf8(name) || printable_utf8(name, name.size()) != name ||
      name.find('\t') != std::string::npos)
    throw ApiError(400, "\"name\" must be UTF-8 text without control characters");
}

}  // namespace

core::OrgProfile org_profile(ServerContext& ctx, const std::string& org) {
  auto p = store::find_org_profile(ctx.db->connection(), org);
  if (!p) throw ApiError(404, "Org \"" + org + "\" not found");
  return *p;
}

core::OrgProfile change_org_profile(ServerContext& ctx, const std::string& org, OrgProfileChange change) {
  Db& db = ctx.db->connection();
  Transaction tx(db);
  core::OrgProfile p = org_profile(ctx, org);
  if (change.name) {
    p.name = trimmed(*change.name);
    check_name(p.name);
  }
  if (change.help_email) {
    p.help_email = trimmed(*change.help_email);
    if (!p.help_email.empty() && !core::plausible_email(p.help_email))
      throw ApiError(400, "\"helpEmail\" must be an email address, like help@shop.example");
  }
  if (change.help_url) {
    p.help_url = trimmed(*change.help_url);
    if (!p.help_url.empty() && !core::plausible_web_url(p.help_url))
      throw ApiError(400, "\"helpUrl\" must be an http:// or https:// URL without spaces or quotes");
  }
  store::update_org_profile(db, p);
  tx.commit();
  return p;
}

OrgProfileChange read_org_profile_change(const nlohmann::json& body) {
  require_object(body);
  OrgProfileChange c;
  for (auto& [k, v] : body.items()) {
    if (k == "name") {
      c.name = required_string(body, "name");
    } else if (k == "helpEmail") {
      c.help_email = optional_string(body, "helpEmail").value_or("");
    } else if (k == "helpUrl") {
      c.help_url = optional_string(body, "helpUrl").value_or("");
    } else if (k == "orgId") {
      throw ApiError(400, "\"orgId\" is read-only");
    } else {
      throw ApiError(400, "Unknown field \"" + k + "\": updatable fields are name, helpEmail and helpUrl");
    }
  }
  return c;
}

std::optional<core::OrgProfile> portal_profile(ServerContext& ctx, const PortalScope& scope,
                                               const std::optional<std::string>& requested) {
  std::optional<std::string> org = scope.scope_for(requested);
  if (!org) return std::nullopt;
  return org_profile(ctx, *org);
}

}  // namespace continuata::server
